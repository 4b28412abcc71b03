"""The rendered report kept in Django's cache, so that a second look does not build it again.

What is kept is the report's body (its header and sections), never the page around it: the menu, the
breadcrumb, the messages and the filter form are rendered for every request and the person looking. The XLSX
is kept the same way under its own keys.

The key holds everything the body depends on: the edition or region, the filter (period, branch and the query
its links carry), the variant the person may read (with or without the internal texts: board and leadership
never share an entry), the language, the time zone and the day (the timeline marks today). Beside the body
the entry keeps the data stamp it was made at; a different stamp now means it is made again.

The data stamp is the newest row of the audit log. Every state change in the product writes an
`audit.AuditEntry` in the same transaction (the DoD rule), so the highest id changes with any change to what
the report counts, and reading it is one index-only step on the primary key (about 0.1 ms). The stamp is read
BEFORE the report is built: a change committed during the build gives a newer stamp, so the next request
builds again instead of keeping the older figures under the new stamp.

Each entry also lives at most `TTL` seconds, a safety net for what does not go through the audit log: data
migrations, the Django admin, a transaction with a lower audit id committing after one with a higher id, and
time itself (a gathering passing from "ahead" to "has been", a hand-in becoming missing at its deadline).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone, translation

from audit.models import AuditEntry

TTL = 10 * 60  # seconds
T = TypeVar("T")

VERSION = 1  # raise when the markup of the report's body changes, so no old body is shown after a release


def report_stamp() -> int:
    """The id of the newest audit row: changes whenever anything in the product changes."""
    return AuditEntry.objects.aggregate(newest=Max("pk"))["newest"] or 0


def report_key(*, scope: str, scope_id: int, period, branch, query: str, all_texts: bool) -> str:
    parts = (
        VERSION,
        scope,
        scope_id,
        period.start,
        period.end,
        period.label,
        branch.pk if branch is not None else None,
        query,
        "all-texts" if all_texts else "shared-texts",
        translation.get_language(),
        timezone.get_current_timezone_name(),
        timezone.localdate(),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"programs:report:{scope}:{scope_id}:{digest}"


def cached_report(key: str, stamp: int, render: Callable[[], T]) -> T:
    """What is kept under `key` (the page's rendered parts, or the XLSX) if it was made at `stamp`; otherwise
    made now and kept for `TTL`. The stamp is kept beside it rather than in the key, so that every change
    replaces the one entry per variant instead of leaving a copy per change behind until the TTL."""
    kept = cache.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    made = render()
    cache.set(key, (stamp, made), TTL)
    return made
