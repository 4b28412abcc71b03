from django.urls import path

from . import views
from .report import views as report_views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("ny/", views.program_create, name="program_create"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
    path("<int:pk>/rediger/", views.program_update, name="program_update"),
    path("<int:pk>/publisering/", views.program_publish, name="program_publish"),
    path(
        "<int:pk>/fylkesavdeling/<int:branch_id>/interessemelding/",
        views.interest_registration,
        name="interest_registration",
    ),
    path(
        "<int:pk>/fylkesavdeling/<int:branch_id>/fristforlengelse/",
        views.interest_deadline_extend,
        name="deadline_extend",
    ),
    path(
        "<int:pk>/fylkesavdeling/<int:branch_id>/arsmote/",
        views.annual_meeting_decision,
        name="annual_meeting_decision",
    ),
    path("<int:pk>/temperaturmaling/", views.temperature, name="temperature"),
    path("<int:pk>/temperaturmaling/eksport.<str:fmt>", views.temperature_export, name="temperature_export"),
    path("<int:pk>/dialogmoter/", views.dialogue_meeting_list, name="dialogue_meeting_list"),
    path("<int:pk>/dialogmoter/ny/", views.dialogue_meeting_request, name="dialogue_meeting_request"),
    path(
        "dialogmoter/<int:meeting_id>/avtal/",
        views.dialogue_meeting_schedule,
        name="dialogue_meeting_schedule",
    ),
    path(
        "dialogmoter/<int:meeting_id>/avlys/", views.dialogue_meeting_cancel, name="dialogue_meeting_cancel"
    ),
    path(
        "dialogmoter/<int:meeting_id>/kalender.ics",
        views.dialogue_meeting_calendar,
        name="dialogue_meeting_calendar",
    ),
    path("<int:pk>/regionale-program/", views.regional_program_list, name="regional_program_list"),
    path("<int:pk>/rapport/", report_views.edition_report, name="edition_report"),
    path("<int:pk>/rapport/rapport.xlsx", report_views.edition_report_export, name="edition_report_export"),
    path("region/<int:rp_id>/rapport/", report_views.region_report, name="region_report"),
    path(
        "region/<int:rp_id>/rapport/rapport.xlsx",
        report_views.region_report_export,
        name="region_report_export",
    ),
    # Last: the public page of a published edition, by its slug (no login).
    path("<slug:slug>/", views.program_public, name="program_public"),
]
