"""Reads of applications, selection and the jury: scoped to the acting user and prefetched.

One module per process (the lists, the ranking, the jury); `from applications.selectors import X` keeps
working for every name."""

from programs.selectors import group_rows_of, municipal_groups_of, municipal_groups_visible_to

from .jury import (
    JuryRow,
    jury_members_of,
    jury_review_list,
    jury_reviews_for,
    jury_rows_of,
    other_reviews_visible,
    review_for_jury_member,
    reviews_of,
    reviews_of_application,
)
from .lists import (
    LIST_COLUMNS,
    ProgramChoice,
    application_deadline_for,
    application_detail,
    application_list,
    application_list_programs,
    applications_for_print,
    applications_visible_to,
    contacts_of,
    dashboard_applications,
    dashboard_open_windows,
    regional_programs_open_to,
    regional_programs_with_applications,
)
from .ranking import (
    TWO_PLACES,
    RankedApplication,
    SelectionProgram,
    accepted_count,
    applications_missing_review,
    ranked_applications,
    regional_programs_for_selection,
    regional_programs_selectable,
    review_scores_of,
    selection_program_get,
)

__all__ = [
    "LIST_COLUMNS",
    "TWO_PLACES",
    "ProgramChoice",
    "RankedApplication",
    "SelectionProgram",
    "accepted_count",
    "application_deadline_for",
    "application_detail",
    "application_list",
    "application_list_programs",
    "applications_for_print",
    "applications_missing_review",
    "applications_visible_to",
    "contacts_of",
    "dashboard_applications",
    "dashboard_open_windows",
    "JuryRow",
    "group_rows_of",
    "jury_members_of",
    "jury_rows_of",
    "jury_review_list",
    "jury_reviews_for",
    "municipal_groups_of",
    "municipal_groups_visible_to",
    "other_reviews_visible",
    "ranked_applications",
    "regional_programs_for_selection",
    "regional_programs_open_to",
    "regional_programs_selectable",
    "regional_programs_with_applications",
    "review_for_jury_member",
    "review_scores_of",
    "selection_program_get",
    "reviews_of",
    "reviews_of_application",
]
