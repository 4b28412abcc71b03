"""Permission matrix: guidance. Object-level rows (own/other party) are left to the app's owners:
give an arg a world key (see test_permission_matrix.world) and the reaching roles."""

from tests.security.matrix import Entry, public

URLS = {
    "guidance:home": Entry("scoped", {}),
    "guidance:agreement_detail": Entry("scoped", {"pk": None}),
    "guidance:agreement_update": Entry("scoped", {"pk": None}),
    "guidance:agreement_decline": Entry("scoped", {"pk": None}),
    "guidance:session_create": Entry("scoped", {"pk": None}),
    "guidance:plan_detail": Entry("scoped", {"pk": None}),
    "guidance:plan_revise": Entry("scoped", {"pk": None}),
    "guidance:plan_comment": Entry("scoped", {"pk": None, "revision_id": None}),
    "guidance:session_update": Entry("scoped", {"pk": None}),
    "guidance:session_delete": Entry("scoped", {"pk": None}),
    "guidance:region_assign": Entry("scoped", {"rp_id": None}),
    "guidance:agreement_create": Entry("scoped", {"rp_id": None}),
    "guidance:overview": Entry("scoped", {"rp_id": None}),
    "guidance:overview_export": Entry("scoped", {"rp_id": None, "fmt": "x-ukjent"}),
    "guidance:calendar_settings": Entry("scoped", {}),
    "guidance:calendar_feed": public({"token": "x-ukjent"}),  # a calendar feed: the token is the key
}
