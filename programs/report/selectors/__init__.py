"""Every figure of the report, counted and summed by the database in a fixed number of queries.

One query per kind of row for all the regions of the report together (never one per region, gathering or
municipality); Python only arranges the aggregated rows into tables. One module per section of the report.
"""

from .attendance import heat_level
from .build import Report, report_build
from .common import Period, percent, report_regions, report_semesters, semester_choices
from .funnel import APPLIED_STATUSES
from .hand_ins import expects_hand_in
from .plans import PLAN_FIELDS

__all__ = [
    "APPLIED_STATUSES",
    "PLAN_FIELDS",
    "Period",
    "Report",
    "expects_hand_in",
    "heat_level",
    "percent",
    "report_build",
    "report_regions",
    "report_semesters",
    "semester_choices",
]
