"""Permission matrix: gatherings. Object-level rows (own/other party) are left to the app's owners:
give an arg a world key (see test_permission_matrix.world) and the reaching roles."""

from tests.security.matrix import Entry, public, scoped

URLS = {
    "gatherings:index": Entry("scoped", {}),
    "gatherings:program": Entry("scoped", {"rp_id": None}),
    "gatherings:semesters": Entry("scoped", {"rp_id": None}),
    "gatherings:semester_edit": Entry("scoped", {"rp_id": None, "semester_id": None}),
    "gatherings:create": Entry("scoped", {"rp_id": None}),
    "gatherings:region_hand_ins": Entry("scoped", {"rp_id": None}),
    "gatherings:detail": Entry("scoped", {"pk": None}),
    "gatherings:edit": Entry("scoped", {"pk": None}),
    "gatherings:cancel": Entry("scoped", {"pk": None}),
    "gatherings:calendar": Entry("scoped", {"pk": None}),
    "gatherings:file_add": Entry("scoped", {"pk": None}),
    "gatherings:file": Entry("scoped", {"pk": None, "file_id": None}),
    "gatherings:file_delete": Entry("scoped", {"pk": None, "file_id": None}),
    "gatherings:register": Entry("scoped", {"pk": None, "group_id": None}),
    "gatherings:member_add": Entry("scoped", {"pk": None, "group_id": None}),
    "gatherings:pre_register": Entry("scoped", {"pk": None}),
    "gatherings:withdraw": Entry("scoped", {"pk": None, "registration_id": None}),
    # leadership and the board of the gathering's region (without the needs); everyone else 404
    "gatherings:participants": scoped({"pk": "gathering"}, "board_own"),
    "gatherings:participants_export": Entry("scoped", {"pk": None, "fmt": "x-ukjent"}),
    "gatherings:name_tags": Entry("scoped", {"pk": None}),
    "gatherings:attendance": Entry("scoped", {"pk": None}),
    "gatherings:attendance_mark": Entry("scoped", {"pk": None, "registration_id": None}),
    "gatherings:hand_in": Entry("scoped", {"pk": None, "group_id": None}),
    "gatherings:hand_in_file_add": Entry("scoped", {"pk": None, "group_id": None}),
    "gatherings:hand_in_file": Entry("scoped", {"pk": None, "group_id": None, "file_id": None}),
    "gatherings:hand_in_file_delete": Entry("scoped", {"pk": None, "group_id": None, "file_id": None}),
    "gatherings:feeds": Entry("scoped", {}),
    "gatherings:feed_revoke": Entry("scoped", {"feed_id": None}),
    "gatherings:feed_renew": Entry("scoped", {"feed_id": None}),
    "gatherings:feed": public({"token": "x-ukjent"}),  # a calendar feed: the token is the key
}
