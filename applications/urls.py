from django.urls import path

from .views import attachments, decisions, drafting, groups, jury, members, recommendation, window

app_name = "applications"

urlpatterns = [
    path("", drafting.application_list, name="list"),
    path("jury/", jury.jury_list, name="jury"),
    path("vurderinger/<int:review_id>/", jury.review_detail, name="review"),
    path("vurderinger/<int:review_id>/inhabil/", jury.review_conflict_late, name="review_conflict"),
    path("kommunegrupper/<int:group_id>/", groups.group_detail, name="group"),
    path("kommunegrupper/<int:group_id>/medlemmer/ny/", groups.group_member_edit, name="group_member_create"),
    path(
        "kommunegrupper/<int:group_id>/medlemmer/<int:member_id>/",
        groups.group_member_edit,
        name="group_member_edit",
    ),
    path(
        "kommunegrupper/<int:group_id>/medlemmer/<int:member_id>/slett/",
        groups.group_member_delete,
        name="group_member_delete",
    ),
    path("program/<int:rp_id>/ny/", drafting.application_start, name="start"),
    path("program/<int:rp_id>/utvelgelse/", window.selection_overview, name="selection"),
    path("program/<int:rp_id>/soknadsvindu/", window.window_edit, name="window"),
    path("program/<int:rp_id>/kriterier/ny/", window.criterion_edit, name="criterion_create"),
    path("program/<int:rp_id>/kriterier/<int:criterion_id>/", window.criterion_edit, name="criterion_edit"),
    path(
        "program/<int:rp_id>/kriterier/<int:criterion_id>/slett/",
        window.criterion_delete,
        name="criterion_delete",
    ),
    path("program/<int:rp_id>/frister/ny/", window.deadline_extension_create, name="extension_create"),
    path(
        "program/<int:rp_id>/frister/<int:extension_id>/slett/",
        window.deadline_extension_delete,
        name="extension_delete",
    ),
    path("program/<int:rp_id>/jury/ny/", jury.jury_add, name="jury_add"),
    path("program/<int:rp_id>/jury/<int:member_id>/", jury.jury_assign, name="jury_assign"),
    path("program/<int:rp_id>/jury/<int:member_id>/fjern/", jury.jury_remove, name="jury_remove"),
    path("program/<int:rp_id>/rangering/", decisions.ranking, name="ranking"),
    path(
        "program/<int:rp_id>/brevmaler/<str:outcome>/", decisions.letter_template_edit, name="letter_template"
    ),
    path("program/<int:rp_id>/eksport.<str:fmt>", decisions.export_applications, name="export"),
    path("program/<int:rp_id>/utskrift/", decisions.print_bundle, name="print_bundle"),
    path("<int:pk>/", drafting.application_detail, name="detail"),
    path("<int:pk>/utskrift/", drafting.application_print, name="print"),
    path("<int:pk>/rediger/", drafting.application_edit, name="edit"),
    path("<int:pk>/kommunegruppe/", members.application_members, name="members"),
    path("<int:pk>/kommunegruppe/<int:member_id>/", members.application_members, name="member_edit"),
    path(
        "<int:pk>/kommunegruppe/<int:member_id>/slett/",
        members.application_member_delete,
        name="member_delete",
    ),
    path("<int:pk>/vedlegg/", attachments.application_attachments, name="attachments"),
    path("<int:pk>/vedlegg/<int:attachment_id>/", attachments.attachment_download, name="attachment"),
    path(
        "<int:pk>/vedlegg/<int:attachment_id>/slett/", attachments.attachment_delete, name="attachment_delete"
    ),
    path("<int:pk>/send-inn/", drafting.application_submit, name="submit"),
    path("<int:pk>/trekk/", drafting.application_withdraw, name="withdraw"),
    path("<int:pk>/anbefaling/", recommendation.application_recommend, name="recommend"),
    path("<int:pk>/vedtak/", decisions.decision_make, name="decide"),
]
