"""Permission matrix: accounts, municipalities, audit, reminders and Django's own URLs."""

from tests.security.matrix import hidden, lead, only, public, signed_in

URLS = {
    "None:set_language": public(),
    "None:favicon": public(get_answer="302"),  # to the icon in the static files, for anyone
    "accounts:login": public(),
    "accounts:logout": public(login_ok=True),  # answers with the login page
    # The panels of every app: the internal note only to leadership and the advisor, the participants'
    # needs only to leadership, an unshared hand-in only to its readers.
    "accounts:dashboard": signed_in(
        secrets=hidden("internal_note", "leadership", "advisor")
        | hidden("needs", "leadership")
        | hidden("hand_in_text", "leadership", "contact_own", "advisor")
    ),
    "accounts:health": public(),
    "accounts:two_factor_verify": signed_in(),
    "accounts:two_factor_setup": signed_in(),
    "accounts:two_factor_replace": signed_in(),
    "accounts:two_factor_disable": signed_in(),
    "accounts:two_factor_recovery_codes": signed_in(),
    "accounts:invitation_accept": public({"token": "ukjent-token-ukjent-token"}),
    "accounts:people_list": lead(),
    "accounts:person_invite": lead(),
    "accounts:invitation_list": lead(),
    "accounts:invitation_resend": lead({"pk": "invitation"}),
    "accounts:invitation_cancel": lead({"pk": "invitation"}),
    "accounts:person_detail": lead({"pk": "person"}),
    "accounts:person_role_remove": lead({"pk": "person", "assignment_id": "person_role"}),
    "accounts:person_deactivate": lead({"pk": "person"}),
    "accounts:person_reactivate": lead({"pk": "person"}),
    "accounts:person_two_factor_reset": lead({"pk": "person"}),
    "accounts:person_data_export": lead({"pk": "person"}),
    "accounts:person_data_download": lead({"pk": "person"}),
    "accounts:person_erase": lead({"pk": "person"}),
    "accounts:password_reset": public(),
    "accounts:password_reset_done": public(),
    "accounts:password_reset_confirm": public({"uidb64": "MQ", "token": "x-x"}),
    "accounts:password_reset_complete": public(),
    "municipalities:municipality_list": only("leadership", "board_own", "board_other"),
    "municipalities:municipality_update": lead({"pk": "municipality"}),
    "municipalities:branch_list": lead(),
    "municipalities:branch_create": lead(),
    "municipalities:branch_update": lead({"pk": "branch"}),
    "municipalities:county_update": lead({"pk": "county"}),
    "audit:entry_list": lead(),
    "audit:object_log": lead({"content_type_id": "person_content_type", "object_id": "person_id"}),
    "reminders:delivery_list": lead(),
    "reminders:delivery_resend": lead({"pk": "delivery"}),
    "reminders:delivery_cancel": lead({"pk": "delivery"}),
    "reminders:delivery_restore": lead({"pk": "delivery"}),
    "reminders:occasion_setting_edit": lead({"program_id": "program", "code": "programs.interest_deadline"}),
    "reminders:occasion_pause": lead({"program_id": "program", "code": "programs.interest_deadline"}),
    "reminders:occasion_preview_mail": lead({"program_id": "program", "code": "programs.interest_deadline"}),
}
