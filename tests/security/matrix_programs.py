"""Permission matrix: programme editions, interest, dialogue meetings, regional programmes."""

from tests.security.matrix import lead, only, public, scoped

P = {"pk": "program"}
URLS = {
    "programs:program_list": only("leadership", "board_own", "board_other"),
    "programs:program_create": lead(),
    "programs:program_detail": scoped(P, "board_own", "board_other"),
    "programs:program_update": lead(P),
    "programs:program_publish": lead(P),
    "programs:interest_registration": only(
        "leadership", "board_own", args={"pk": "program", "branch_id": "branch"}, post=("board_own",)
    ),
    "programs:deadline_extend": lead({"pk": "program", "branch_id": "branch"}),
    "programs:annual_meeting_decision": only("board_own", args={"pk": "program", "branch_id": "branch"}),
    "programs:temperature": lead(P),
    "programs:temperature_export": lead({"pk": "program", "fmt": "csv"}),
    "programs:dialogue_meeting_list": scoped(P, "board_own", "board_other"),
    "programs:dialogue_meeting_request": scoped(P, "board_own", "board_other"),
    "programs:dialogue_meeting_schedule": lead({"meeting_id": "dialogue_meeting"}),
    "programs:dialogue_meeting_cancel": lead({"meeting_id": "dialogue_meeting"}),
    "programs:dialogue_meeting_calendar": scoped({"meeting_id": "dialogue_meeting"}, "board_own"),
    "programs:regional_program_list": lead(P),
    "programs:program_public": public({"slug": "program_slug"}),
    # The programme's report: leadership for the edition; leadership and the region's own board per region.
    "programs:edition_report": lead(P),
    "programs:edition_report_export": lead(P),
    "programs:region_report": scoped({"rp_id": "regional_program"}, "board_own"),
    "programs:region_report_export": scoped({"rp_id": "regional_program"}, "board_own"),
}
