"""Response headers every page gets: Permissions-Policy, and no caching of anything shown to a signed-in person."""

from django.conf import settings
from django.utils.cache import patch_vary_headers


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Personal data must not stay in a shared browser's cache or a proxy's.
            response.headers["Cache-Control"] = "private, no-store"
            patch_vary_headers(response, ("Cookie",))
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than MAX_REQUEST_BODY_BYTES from its Content-Length alone, before any
    part of the app (CSRF, forms, upload handlers) reads it. Placed after authentication, so the page
    knows who is signed in, and before anything touches request.POST."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            from django.shortcuts import render

            megabytes = settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024)
            response = render(request, "413.html", {"megabytes": megabytes}, status=413)
            response["Connection"] = "close"  # the unread body is not for us
            return response
        return self.get_response(request)
