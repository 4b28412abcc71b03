"""Language selection: Norwegian bokmål unless the person has chosen otherwise.

Django's LocaleMiddleware falls back to the browser's Accept-Language header, which turned English
browsers into a mix of English (Django's own texts) and Norwegian (ours). Here the language comes only
from the explicit choice stored in the language cookie by the footer's ``set_language`` form; without a
valid choice it is always ``settings.LANGUAGE_CODE`` (nb).
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


def language_from_cookie(request) -> str:
    """The language the person chose, or the default (nb) when there is no valid choice."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ExplicitLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware that ignores Accept-Language (no i18n_patterns in this project)."""

    def process_request(self, request):
        translation.activate(language_from_cookie(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The page depends on the language cookie, not on the browser's Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
