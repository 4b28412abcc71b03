from django.urls import path

from . import views

app_name = "guidance"

urlpatterns = [
    path("", views.home, name="home"),
    path("avtaler/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("avtaler/<int:pk>/rediger/", views.agreement_update, name="agreement_update"),
    path("avtaler/<int:pk>/takket-nei/", views.agreement_decline, name="agreement_decline"),
    path("avtaler/<int:pk>/moter/ny/", views.session_create, name="session_create"),
    path("avtaler/<int:pk>/utviklingsplan/", views.plan_detail, name="plan_detail"),
    path("avtaler/<int:pk>/utviklingsplan/ny-versjon/", views.plan_revise, name="plan_revise"),
    path(
        "avtaler/<int:pk>/utviklingsplan/<int:revision_id>/kommentar/",
        views.plan_comment,
        name="plan_comment",
    ),
    path("moter/<int:pk>/rediger/", views.session_update, name="session_update"),
    path("moter/<int:pk>/slett/", views.session_delete, name="session_delete"),
    path("regionalt-program/<int:rp_id>/veiledere/", views.region_assign, name="region_assign"),
    path("regionalt-program/<int:rp_id>/ny-avtale/", views.agreement_create, name="agreement_create"),
    path("regionalt-program/<int:rp_id>/oversikt/", views.overview, name="overview"),
    path(
        "regionalt-program/<int:rp_id>/oversikt/eksport.<str:fmt>",
        views.overview_export,
        name="overview_export",
    ),
    path("kalender/", views.calendar_settings, name="calendar_settings"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
