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
