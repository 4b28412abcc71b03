from django.urls import path

from . import views

app_name = "gatherings"

urlpatterns = [
    path("", views.index, name="index"),
    path("region/<int:rp_id>/", views.program_page, name="program"),
    path("region/<int:rp_id>/semestre/", views.semesters, name="semesters"),
    path("region/<int:rp_id>/semestre/<int:semester_id>/", views.semesters, name="semester_edit"),
    path("region/<int:rp_id>/ny/", views.gathering_create, name="create"),
    path("region/<int:rp_id>/mellomarbeid/", views.region_hand_ins, name="region_hand_ins"),
    path("<int:pk>/", views.gathering_detail, name="detail"),
    path("<int:pk>/rediger/", views.gathering_edit, name="edit"),
    path("<int:pk>/avlys/", views.gathering_cancel, name="cancel"),
    path("<int:pk>/kalender.ics", views.gathering_calendar, name="calendar"),
    path("<int:pk>/filer/", views.gathering_file_add, name="file_add"),
    path("<int:pk>/filer/<int:file_id>/", views.gathering_file_download, name="file"),
    path("<int:pk>/filer/<int:file_id>/slett/", views.gathering_file_delete, name="file_delete"),
    path("<int:pk>/pamelding/<int:group_id>/", views.register_group, name="register"),
    path("<int:pk>/pamelding/<int:group_id>/nytt-medlem/", views.group_member_add, name="member_add"),
    path("<int:pk>/presamling/", views.pre_register, name="pre_register"),
    path("<int:pk>/presamling/<int:registration_id>/meld-av/", views.registration_withdraw, name="withdraw"),
    path("<int:pk>/deltakere/", views.participants, name="participants"),
    path("<int:pk>/deltakere/eksport.<str:fmt>", views.participants_export, name="participants_export"),
    path("<int:pk>/navnelapper/", views.name_tags, name="name_tags"),
    path("<int:pk>/oppmote/", views.attendance, name="attendance"),
    path("<int:pk>/oppmote/<int:registration_id>/", views.attendance_mark, name="attendance_mark"),
    path("<int:pk>/mellomarbeid/<int:group_id>/", views.hand_in, name="hand_in"),
    path("<int:pk>/mellomarbeid/<int:group_id>/filer/", views.hand_in_file_add, name="hand_in_file_add"),
    path(
        "<int:pk>/mellomarbeid/<int:group_id>/filer/<int:file_id>/",
        views.hand_in_file_download,
        name="hand_in_file",
    ),
    path(
        "<int:pk>/mellomarbeid/<int:group_id>/filer/<int:file_id>/slett/",
        views.hand_in_file_delete,
        name="hand_in_file_delete",
    ),
    path("kalender/", views.feeds, name="feeds"),
    path("kalender/<int:feed_id>/trekk-tilbake/", views.feed_revoke, name="feed_revoke"),
    path("kalender/<int:feed_id>/forny/", views.feed_renew, name="feed_renew"),
    path("kalender/<str:token>.ics", views.feed, name="feed"),
]
