"""Occasions: what an app declares to get reminders, without touching the mechanism.

An app that owns a deadline writes `<app>/reminders.py` with a subclass of `Occasion` (usually
`DeadlineOccasion`) and calls `register(...)`. The reminders app imports every `<app>/reminders.py` at
start-up. The sweep then asks each occasion for its plan (who should get what, when, computed from the
database), stores it as `Delivery` rows, and at send time asks the occasion again whether the row still
applies and what to put in it.

One module per kind: `base` (plan, prepared message, settings, registry), `deadline` (reminders before a
deadline), `notice` (a notice that starts a step), `immediate` (messages rendered when queued, with an
optional check at send time), `placeholders` (leadership's own texts). Import from here.
"""

from .base import (
    DEFAULT_OFFSETS,
    OSLO,
    ConfigLookup,
    Occasion,
    OccasionConfig,
    OccasionT,
    Plan,
    PlannedDelivery,
    Prepared,
    Stale,
    _registry,
    occasion_get,
    occasion_label,
    occasions_all,
    occasions_configurable,
    register,
    site_link,
    unregister,
)
from .deadline import DeadlineOccasion, Target, deadline_display, reminder_times
from .immediate import ImmediateOccasion, SendCheck
from .notice import NoticeOccasion, Sample
from .placeholders import (
    PLACEHOLDERS,
    REGION_PLACEHOLDER,
    fields_help,
    fill_placeholders,
    has_stray_brace,
    overrides_context,
    placeholder_errors,
    unknown_placeholders,
)

__all__ = [
    "DEFAULT_OFFSETS",
    "OSLO",
    "PLACEHOLDERS",
    "REGION_PLACEHOLDER",
    "ConfigLookup",
    "DeadlineOccasion",
    "ImmediateOccasion",
    "NoticeOccasion",
    "Occasion",
    "OccasionConfig",
    "OccasionT",
    "Plan",
    "PlannedDelivery",
    "Prepared",
    "Sample",
    "SendCheck",
    "Stale",
    "Target",
    "_registry",
    "deadline_display",
    "fields_help",
    "fill_placeholders",
    "has_stray_brace",
    "occasion_get",
    "occasion_label",
    "occasions_all",
    "occasions_configurable",
    "overrides_context",
    "placeholder_errors",
    "register",
    "reminder_times",
    "site_link",
    "unknown_placeholders",
    "unregister",
]
