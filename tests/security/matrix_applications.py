"""Permission matrix: applications, municipal groups, jury and selection."""

from tests.security.matrix import lead, only, scoped

A = {"pk": "application"}
RP = {"rp_id": "regional_program"}
WRITERS = (
    "board_own",
    "contact_own",
)  # the applicant municipality and its branch (leadership does not write)
READERS = ("leadership", *WRITERS)  # the jury reads an application through its review page
URLS = {
    "applications:list": only("leadership", "board_own", "board_other", "contact_own", "contact_other"),
    "applications:jury": only("jury", "jury_conflict"),
    "applications:review": only("jury", args={"review_id": "review"}),
    "applications:review_conflict": only("jury", args={"review_id": "review"}),
    "applications:group": scoped({"group_id": "municipal_group"}, *WRITERS),
    "applications:group_member_create": scoped({"group_id": "municipal_group"}, *WRITERS),
    "applications:group_member_edit": scoped(
        {"group_id": "municipal_group", "member_id": "municipal_group_member"}, *WRITERS
    ),
    "applications:group_member_delete": scoped(
        {"group_id": "municipal_group", "member_id": "municipal_group_member"}, *WRITERS
    ),
    "applications:start": only("leadership", *WRITERS, args=RP, post=WRITERS),
    "applications:selection": lead(RP),
    "applications:window": lead(RP),
    "applications:criterion_create": lead(RP),
    "applications:criterion_edit": lead({**RP, "criterion_id": "criterion"}),
    "applications:criterion_delete": lead({**RP, "criterion_id": "criterion"}),
    "applications:extension_create": lead(RP),
    "applications:extension_delete": lead({**RP, "extension_id": "deadline_extension"}),
    "applications:jury_add": lead(RP),
    "applications:jury_assign": lead({**RP, "member_id": "jury_member"}),
    "applications:jury_remove": lead({**RP, "member_id": "jury_member"}),
    "applications:ranking": lead(RP),
    "applications:letter_template": lead({**RP, "outcome": "accepted"}),
    "applications:export": lead({**RP, "fmt": "csv"}),
    "applications:print_bundle": lead(RP),
    "applications:detail": only(*READERS, args=A),
    "applications:print": only(*READERS, args=A),
    "applications:edit": only(*WRITERS, args=A),
    "applications:members": only(*WRITERS, args=A),
    "applications:member_edit": only(*WRITERS, args={"pk": "application", "member_id": "group_member"}),
    "applications:member_delete": only(*WRITERS, args={"pk": "application", "member_id": "group_member"}),
    "applications:attachments": only(*WRITERS, args=A),
    "applications:attachment": only(
        *READERS, "jury", args={"pk": "application", "attachment_id": "attachment"}
    ),  # the assigned jury member opens attachments from the review page
    "applications:attachment_delete": only(
        *WRITERS, args={"pk": "application", "attachment_id": "attachment"}
    ),
    "applications:submit": only(*WRITERS, args=A),
    "applications:withdraw": only(*WRITERS, args=A),
    "applications:recommend": only("board_own", args=A),
    "applications:decide": lead(A),
}
