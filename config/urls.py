from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.decorators.http import require_GET


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on their own (every page also links the icon, see base.html). Not a
    permanent redirect: the hashed file name changes with the icon."""
    return redirect(static_url("core/favicon.ico"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("kommuner/", include("municipalities.urls")),
    path("program/", include("programs.urls")),
    path("soknader/", include("applications.urls")),
    path("samlinger/", include("gatherings.urls")),
    path("veiledning/", include("guidance.urls")),
    path("paminnelser/", include("reminders.urls")),
    path("logg/", include("audit.urls")),
    path("", include("accounts.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
