"""The agreements a person may see, one agreement, the list, and what leadership's assignment page reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Count,
    F,
    Max,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404

from accounts.models import Role, User
from accounts.permissions import is_leadership, role_scope
from core.sql import aware, day

from ..models import (
    GuidanceAgreement,
)
from ..permissions import advisor_agreement_ids, can_view_agreement
from .hours import ADVISOR_NAME, _base_agreements, decorate, with_hours


def agreements_for(*, user) -> QuerySet[GuidanceAgreement]:
    """The agreements this person may see: leadership all, an advisor theirs, a municipality its own."""
    qs = _base_agreements()
    if is_leadership(user):
        return qs
    scope = role_scope(user)
    return qs.filter(Q(pk__in=advisor_agreement_ids(user)) | Q(municipality_id__in=scope.municipality_ids))


def agreement_get(*, user, pk: int) -> GuidanceAgreement:
    agreement = with_hours(agreements_for(user=user)).filter(pk=pk).first()
    if agreement is None or not can_view_agreement(user, agreement):
        raise Http404
    return decorate(agreement)


def agreement_list_queryset(*, user) -> QuerySet[GuidanceAgreement]:
    """The agreements of the guidance page as a queryset: what `agreement_list` reads in SQL of its own (a test holds
    the two equal). The list shows the municipality's and the region's names, the advisors and the hours."""
    return (
        with_hours(agreements_for(user=user))
        .select_related(None)
        .select_related("municipality", "regional_program")
        .only("agreed_hours", "starts_on", "declined_on", "municipality__name", "regional_program__name")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("advisors", queryset=User.objects.only(*ADVISOR_NAME).order_by(*ADVISOR_NAME))
        )
        .order_by(*_LIST_ORDER)
    )


_LIST_ORDER = (
    "-regional_program__program__interest_deadline",
    "regional_program__name",
    "municipality__name",
)

# The guidance page's list, written out (issue 14): built by the ORM, the query with its four subqueries, its
# three models per row and the advisors' prefetch cost several times the database's own time. Same rows, same
# order as `agreement_list_queryset`; plain SQL, so SQLite runs it too.
_LIST_SQL = """
SELECT a.id, m.name, rp.name, a.agreed_hours, a.starts_on, a.declined_on,
  COALESCE((SELECT SUM(s.duration_minutes) FROM guidance_guidancesession s WHERE s.agreement_id = a.id), 0),
  (SELECT s.held_on FROM guidance_guidancesession s WHERE s.agreement_id = a.id
    ORDER BY s.held_on DESC, s.id DESC LIMIT 1),
  (SELECT s.next_session_at FROM guidance_guidancesession s WHERE s.agreement_id = a.id
    ORDER BY s.held_on DESC, s.id DESC LIMIT 1)
FROM guidance_guidanceagreement a
INNER JOIN municipalities_municipality m ON m.id = a.municipality_id
INNER JOIN programs_regionalprogram rp ON rp.id = a.regional_program_id
INNER JOIN programs_program p ON p.id = rp.program_id
{where}
ORDER BY p.interest_deadline DESC, rp.name ASC, m.name ASC
LIMIT %s OFFSET %s
"""
_COUNT_SQL = "SELECT COUNT(*) FROM guidance_guidanceagreement a {where}"
_ADVISORS_SQL = """
SELECT aa.guidanceagreement_id, u.full_name, u.email
FROM guidance_guidanceagreement_advisors aa INNER JOIN accounts_user u ON u.id = aa.user_id
WHERE aa.guidanceagreement_id IN ({ids})
ORDER BY u.full_name ASC, u.email ASC
"""


class AgreementRow:
    """One agreement of the guidance page: what the list shows, and what `decorate` reads and adds."""

    def __init__(self, row) -> None:
        (
            self.pk,
            self.municipality_name,
            self.regional_program_name,
            agreed_hours,
            self.starts_on,
            self.declined_on,
            self.used_minutes,
            self.last_held_on,
            self.planned_next_at,
        ) = row
        # PostgreSQL gives these typed; SQLite gives numbers and text: made what the model's fields give.
        if not isinstance(agreed_hours, Decimal):
            agreed_hours = Decimal(str(agreed_hours)).quantize(Decimal("0.1"))
        self.agreed_hours = agreed_hours
        self.agreed_minutes = int(agreed_hours * 60)  # as GuidanceAgreement.agreed_minutes
        self.used_minutes = int(self.used_minutes)
        self.starts_on, self.declined_on, self.last_held_on = (
            day(self.starts_on),
            day(self.declined_on),
            day(self.last_held_on),
        )
        self.planned_next_at = aware(self.planned_next_at)
        self.advisor_names: list[str] = []


class AgreementList:
    """The rows of the guidance page for `core.pagination`: counted, then one page read with its advisors."""

    def __init__(self, *, where: str | None, params: list) -> None:
        # `where` None: the person sees no agreement at all
        self.where, self.params = where, params

    def count(self) -> int:
        if self.where is None:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(_COUNT_SQL.format(where=self.where), self.params)
            return cursor.fetchone()[0]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[AgreementRow]:
        if self.where is None:
            return []
        start, stop = index.start or 0, index.stop
        with connection.cursor() as cursor:
            cursor.execute(_LIST_SQL.format(where=self.where), [*self.params, stop - start, start])
            rows = [AgreementRow(row) for row in cursor.fetchall()]
            if not rows:
                return rows
            by_pk = {row.pk: row for row in rows}
            cursor.execute(_ADVISORS_SQL.format(ids=", ".join(["%s"] * len(by_pk))), list(by_pk))
            for agreement_id, full_name, email in cursor.fetchall():
                by_pk[agreement_id].advisor_names.append(full_name or email)  # as User.get_full_name
        return rows


def agreement_list(*, user) -> AgreementList:
    """The guidance page's agreements this person may see (`agreements_for`), newest edition first, then region and
    municipality, as `AgreementRow`s with their hours and advisors' names; paginate them (`core.pagination`)."""
    if is_leadership(user):
        return AgreementList(where="", params=[])
    try:
        sql, params = agreements_for(user=user).order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return AgreementList(where=None, params=[])
    return AgreementList(where=f"WHERE a.id IN ({sql})", params=list(params))


def regional_programs_with_agreements():
    from programs.models import RegionalProgram

    return (
        RegionalProgram.objects.annotate(agreement_count=Count("guidance_agreements"))
        .values("pk", "name", "agreement_count", program_name=F("program__name"))
        .order_by("-program__interest_deadline", "name")
    )


def advisors_all() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, role_assignments__role=Role.ADVISOR)
        .distinct()
        .order_by("full_name", "email")
    )


def region_participants(*, regional_program):
    """The municipalities of a regional programme that leadership assigns advisors to: those with a
    municipal group, and any that already have an agreement."""
    from municipalities.models import Municipality

    return (
        Municipality.objects.filter(
            Q(guidance_agreements__regional_program=regional_program)
            | Q(municipal_groups__regional_program=regional_program)
        )
        .distinct()
        .order_by("name")
    )


def programme_last_day(*, regional_program) -> dt.date | None:
    """The last day of the regional programme's last semester (from the gatherings' semesters), if any."""
    from gatherings.models import Semester

    return Semester.objects.filter(regional_program=regional_program).aggregate(last=Max("ends_on"))["last"]
