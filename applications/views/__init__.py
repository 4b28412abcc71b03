"""Thin views: scoped selector + get_object_or_404, bind a form, call one service, redirect.

One module per business process, mirroring `applications.services`."""

from .attachments import application_attachments, attachment_delete, attachment_download
from .common import post_only
from .decisions import decision_make, export_applications, letter_template_edit, print_bundle, ranking
from .drafting import (
    application_detail,
    application_edit,
    application_list,
    application_print,
    application_start,
    application_submit,
    application_withdraw,
)
from .groups import group_detail, group_member_delete, group_member_edit
from .jury import jury_add, jury_assign, jury_list, jury_remove, review_conflict_late, review_detail
from .members import application_member_delete, application_members
from .recommendation import application_recommend
from .window import (
    criterion_delete,
    criterion_edit,
    deadline_extension_create,
    deadline_extension_delete,
    selection_overview,
    window_edit,
)

__all__ = [
    "application_attachments",
    "application_detail",
    "application_edit",
    "application_list",
    "application_member_delete",
    "application_members",
    "application_print",
    "application_recommend",
    "application_start",
    "application_submit",
    "application_withdraw",
    "attachment_delete",
    "attachment_download",
    "criterion_delete",
    "criterion_edit",
    "deadline_extension_create",
    "deadline_extension_delete",
    "decision_make",
    "export_applications",
    "group_detail",
    "group_member_delete",
    "group_member_edit",
    "jury_add",
    "jury_assign",
    "jury_list",
    "jury_remove",
    "letter_template_edit",
    "post_only",
    "print_bundle",
    "ranking",
    "review_conflict_late",
    "review_detail",
    "selection_overview",
    "window_edit",
]
