from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("jury/", views.jury_list, name="jury"),
    path("vurderinger/<int:review_id>/", views.review_detail, name="review"),
    path("vurderinger/<int:review_id>/inhabil/", views.review_conflict_late, name="review_conflict"),
    path("kommunegrupper/<int:group_id>/", views.group_detail, name="group"),
    path("kommunegrupper/<int:group_id>/medlemmer/ny/", views.group_member_edit, name="group_member_create"),
    path(
        "kommunegrupper/<int:group_id>/medlemmer/<int:member_id>/",
        views.group_member_edit,
        name="group_member_edit",
    ),
    path(
        "kommunegrupper/<int:group_id>/medlemmer/<int:member_id>/slett/",
        views.group_member_delete,
        name="group_member_delete",
    ),
    path("program/<int:rp_id>/ny/", views.application_start, name="start"),
    path("program/<int:rp_id>/utvelgelse/", views.selection_overview, name="selection"),
    path("program/<int:rp_id>/soknadsvindu/", views.window_edit, name="window"),
    path("program/<int:rp_id>/kriterier/ny/", views.criterion_edit, name="criterion_create"),
    path("program/<int:rp_id>/kriterier/<int:criterion_id>/", views.criterion_edit, name="criterion_edit"),
    path(
        "program/<int:rp_id>/kriterier/<int:criterion_id>/slett/",
        views.criterion_delete,
        name="criterion_delete",
    ),
    path("program/<int:rp_id>/frister/ny/", views.deadline_extension_create, name="extension_create"),
    path(
        "program/<int:rp_id>/frister/<int:extension_id>/slett/",
        views.deadline_extension_delete,
        name="extension_delete",
    ),
    path("program/<int:rp_id>/jury/ny/", views.jury_add, name="jury_add"),
    path("program/<int:rp_id>/jury/<int:member_id>/", views.jury_assign, name="jury_assign"),
    path("program/<int:rp_id>/jury/<int:member_id>/fjern/", views.jury_remove, name="jury_remove"),
    path("program/<int:rp_id>/rangering/", views.ranking, name="ranking"),
    path("program/<int:rp_id>/brevmaler/<str:outcome>/", views.letter_template_edit, name="letter_template"),
    path("program/<int:rp_id>/eksport.<str:fmt>", views.export_applications, name="export"),
    path("program/<int:rp_id>/utskrift/", views.print_bundle, name="print_bundle"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/utskrift/", views.application_print, name="print"),
    path("<int:pk>/rediger/", views.application_edit, name="edit"),
    path("<int:pk>/kommunegruppe/", views.application_members, name="members"),
    path("<int:pk>/kommunegruppe/<int:member_id>/", views.application_members, name="member_edit"),
    path(
        "<int:pk>/kommunegruppe/<int:member_id>/slett/", views.application_member_delete, name="member_delete"
    ),
    path("<int:pk>/vedlegg/", views.application_attachments, name="attachments"),
    path("<int:pk>/vedlegg/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/vedlegg/<int:attachment_id>/slett/", views.attachment_delete, name="attachment_delete"),
    path("<int:pk>/send-inn/", views.application_submit, name="submit"),
    path("<int:pk>/trekk/", views.application_withdraw, name="withdraw"),
    path("<int:pk>/anbefaling/", views.application_recommend, name="recommend"),
    path("<int:pk>/vedtak/", views.decision_make, name="decide"),
]
