"""Permission matrix: gatherings (gatherings/permissions.py, DESIGN.md «Who uses it»).

Side A's region is seen by leadership, its branch's board, the contact of its member municipality and the
advisor of that municipality's guidance agreement. Leadership schedules and marks attendance; the region's
board sees the participants without their needs; the municipality's contact registers its group and hands in
its between-work, which (not shared with the region) only leadership, the contact and the group's advisor
read. A jury member has a role (the list page opens, empty) but no region; a superuser without roles gets
nothing.

Besides the common roles, `EXTRA_ROLES`: contacts of other member municipalities of side A's region whose
application is a draft, submitted or declined (no municipal group: not admitted). They see the region's
pre-gatherings and register for them, and nothing of its gatherings: the gathering, its calendar entry and files,
the hand-ins are 404 to them, and the gathering's title is on none of their pages.
"""

from tests.security.matrix import WITH_ROLE, hidden, lead, only, public

# role → the status of the application of that contact's municipality to side A's region (no group).
EXTRA_ROLES = {
    "applicant_draft": "draft",
    "applicant_submitted": "submitted",
    "applicant_declined": "declined",
}
APPLICANTS = tuple(EXTRA_ROLES)

RP = {"rp_id": "regional_program"}
G = {"pk": "gathering"}
GROUP = {"pk": "gathering", "group_id": "municipal_group"}
HAND_IN_FILE = {**GROUP, "file_id": "hand_in_file"}
SEES_REGION = ("leadership", "board_own", "contact_own", "advisor")
COORDINATOR = ("leadership", "contact_own")  # the group's municipal contact (and leadership)
HAND_IN_READERS = (*COORDINATOR, "advisor")  # the group's advisor reads every hand-in of the group
# The region's board and member municipalities: also those not admitted (the pre-gathering comes first).
PRE_REGISTRARS = ("leadership", "board_own", "contact_own")
# The participants' needs: leadership only; a hand-in that is not shared: its readers only.
NEEDS = {"secrets": hidden("needs", "leadership")}
HAND_IN = {"secrets": hidden("hand_in_text", *HAND_IN_READERS)}
# The (regular) gathering's title: on no page of those who see the region's pre-gatherings only.
TITLE = hidden("gathering_title", *SEES_REGION)
URLS = {
    "gatherings:index": only(*WITH_ROLE, *APPLICANTS, secrets=TITLE),
    "gatherings:program": only(
        *SEES_REGION, *APPLICANTS, args=RP, secrets=hidden("needs", "leadership") | TITLE
    ),
    "gatherings:semesters": lead(RP),
    "gatherings:semester_edit": lead({**RP, "semester_id": "semester"}),
    "gatherings:create": lead(RP),
    "gatherings:region_hand_ins": only(*SEES_REGION, args=RP, **HAND_IN),
    "gatherings:detail": only(*SEES_REGION, args=G, **NEEDS),
    "gatherings:edit": lead(G),
    "gatherings:cancel": lead(G),
    "gatherings:calendar": only(*SEES_REGION, args=G, **NEEDS),
    "gatherings:file_add": lead(G),
    "gatherings:file": only(*SEES_REGION, args={"pk": "gathering", "file_id": "gathering_file"}),
    "gatherings:file_delete": lead({"pk": "gathering", "file_id": "gathering_file"}),
    "gatherings:register": only(*COORDINATOR, args=GROUP, **NEEDS),
    "gatherings:member_add": only(*COORDINATOR, args=GROUP),
    "gatherings:pre_register": only(
        *PRE_REGISTRARS, *APPLICANTS, args={"pk": "pre_gathering"}, secrets=TITLE
    ),
    "gatherings:withdraw": only(
        *PRE_REGISTRARS, args={"pk": "pre_gathering", "registration_id": "pre_registration"}
    ),
    # leadership and the board of the gathering's region (without the needs); everyone else 404
    "gatherings:participants": only("leadership", "board_own", args=G, **NEEDS),
    "gatherings:participants_export": lead({"pk": "gathering", "fmt": "csv"}),
    "gatherings:name_tags": lead(G),
    "gatherings:attendance": lead(G),
    "gatherings:attendance_mark": lead({"pk": "gathering", "registration_id": "registration"}),
    # The advisor reads the hand-in; a POST from them changes nothing (the read-only page answers).
    "gatherings:hand_in": only(*HAND_IN_READERS, args=GROUP, **HAND_IN),
    "gatherings:hand_in_file_add": only(*COORDINATOR, args=GROUP),
    "gatherings:hand_in_file": only(*HAND_IN_READERS, args=HAND_IN_FILE),
    "gatherings:hand_in_file_delete": only(*COORDINATOR, args=HAND_IN_FILE),
    "gatherings:feeds": only(*WITH_ROLE, *APPLICANTS),
    # A feed is its owner's (side A's municipal contact): nobody else revokes or renews it, not even leadership.
    "gatherings:feed_revoke": only("contact_own", args={"feed_id": "gathering_feed"}),
    "gatherings:feed_renew": only("contact_own", args={"feed_id": "gathering_feed"}),
    # A calendar feed: the token is the key; it never carries the participants' needs.
    "gatherings:feed": public({"token": "gathering_feed_token"}, secrets=hidden("needs"), get_answer="200"),
}
