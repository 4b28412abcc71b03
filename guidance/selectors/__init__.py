"""Every read of guidance a view, export or task needs, one module per business process: scoped to the acting
person, with its joins and sums.

Hours are summed in the database (minutes), shown as hours with one decimal (`hours`). A session with several
themes counts in the per-theme sums with its time split equally between its themes, so the theme column adds up
to the total (`overview`).
"""

from .agreements import (
    advisors_all,
    agreement_get,
    agreement_list,
    agreement_list_queryset,
    agreements_for,
    programme_last_day,
    region_participants,
    regional_programs_with_agreements,
)
from .calendar import planned_sessions_for_feed
from .dashboards import AdvisorDashboard, advisor_dashboard, municipality_dashboard_agreements
from .hours import ADVISOR_NAME, decorate, frame_state, near_frame_percent, not_met_weeks, percent, with_hours
from .overview import HoursRow, Overview, overview, theme_minutes
from .plans import plan_first_and_current, plan_for, plan_revisions
from .sessions import session_get_for_change, sessions_for

__all__ = [
    "ADVISOR_NAME",
    "AdvisorDashboard",
    "HoursRow",
    "Overview",
    "advisor_dashboard",
    "advisors_all",
    "agreement_get",
    "agreement_list",
    "agreement_list_queryset",
    "agreements_for",
    "decorate",
    "frame_state",
    "municipality_dashboard_agreements",
    "near_frame_percent",
    "not_met_weeks",
    "overview",
    "percent",
    "plan_first_and_current",
    "plan_for",
    "plan_revisions",
    "planned_sessions_for_feed",
    "programme_last_day",
    "region_participants",
    "regional_programs_with_agreements",
    "session_get_for_change",
    "sessions_for",
    "theme_minutes",
    "with_hours",
]
