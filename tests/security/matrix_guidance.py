"""Permission matrix: guidance (guidance/permissions.py, DESIGN.md «Who uses it»).

Side A's agreement names the matrix's advisor, side B's another advisor. Leadership sees every agreement and
manages them; an advisor sees the agreements that name them, logs sessions there and changes only their own
sessions; the municipality's contact reads its own agreement, sessions and plan and writes the plan, but never
sees the internal note; the board, the jury and a superuser without roles have nothing in guidance (404).
"""

from tests.security.matrix import hidden, lead, only, public

AGREEMENT = {"pk": "agreement"}
SESSION = {"pk": "guidance_session"}
RP = {"rp_id": "regional_program"}
READERS = ("leadership", "advisor", "contact_own")
# The internal note: leadership and the agreement's advisors only, never the municipality.
NOTE = {"secrets": hidden("internal_note", "leadership", "advisor")}
URLS = {
    "guidance:home": only("leadership", "advisor", "contact_own", "contact_other", **NOTE),
    "guidance:agreement_detail": only(*READERS, args=AGREEMENT, **NOTE),
    "guidance:agreement_update": lead(AGREEMENT),
    "guidance:agreement_decline": lead(AGREEMENT),
    "guidance:session_create": only("advisor", args=AGREEMENT),  # the agreement's advisor, while it is open
    "guidance:plan_detail": only(*READERS, args=AGREEMENT, **NOTE),
    "guidance:plan_revise": only("contact_own", args=AGREEMENT),  # the municipal group writes its plan
    "guidance:plan_comment": only(
        "leadership", "advisor", args={"pk": "agreement", "revision_id": "plan_revision"}
    ),  # POST only: leadership and the advisor comment
    "guidance:session_update": only("advisor", args=SESSION),  # the advisor's own session
    "guidance:session_delete": only("advisor", args=SESSION),
    "guidance:region_assign": lead(RP),
    "guidance:agreement_create": lead(RP),
    "guidance:overview": lead(RP),
    "guidance:overview_export": lead({**RP, "fmt": "csv"}),
    "guidance:calendar_settings": only("advisor"),
    # A calendar feed: the token is the key; side A's advisor's feed never carries an internal note.
    "guidance:calendar_feed": public(
        {"token": "guidance_feed_token"}, secrets=hidden("internal_note"), get_answer="200"
    ),
}
