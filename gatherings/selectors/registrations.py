"""Who comes: the groups of a region and their overview, a gathering's registrations, participants and
waiting list."""

from __future__ import annotations

from django.db import connection
from django.db.models import Case, Count, F, Q, QuerySet, Value, When

from accounts.permissions import is_leadership, role_scope
from programs.models import MunicipalGroup, MunicipalGroupMember, RegionalProgram

from ..models import Gathering, GatheringStatus, Registration, RegistrationStatus


def groups_of(*, regional_program: RegionalProgram) -> QuerySet[MunicipalGroup]:
    return MunicipalGroup.objects.filter(regional_program=regional_program).select_related("municipality")


def groups_coordinated_by(user, *, regional_program: RegionalProgram) -> QuerySet[MunicipalGroup]:
    if is_leadership(user):
        return groups_of(regional_program=regional_program)
    return groups_of(regional_program=regional_program).filter(
        municipality_id__in=role_scope(user).municipality_ids
    )


# Per group of a region: people registered to and come to gatherings not cancelled, hand-ins delivered and late.
# Written once: the ORM's building of four correlated counts cost three times the database's own time.
_OVERVIEW_SQL = (
    "SELECT m.name,"
    " (SELECT COUNT(*) FROM gatherings_registration r INNER JOIN gatherings_gathering g ON g.id = r.gathering_id"
    "  WHERE r.group_id = mg.id AND g.status <> %(cancelled)s AND r.status = %(attending)s),"
    " (SELECT COUNT(*) FROM gatherings_registration r INNER JOIN gatherings_gathering g ON g.id = r.gathering_id"
    "  WHERE r.group_id = mg.id AND g.status <> %(cancelled)s AND r.attended),"
    " (SELECT COUNT(*) FROM gatherings_handin h WHERE h.group_id = mg.id AND h.submitted_at IS NOT NULL),"
    " (SELECT COUNT(*) FROM gatherings_handin h WHERE h.group_id = mg.id AND h.is_late)"
    " FROM programs_municipalgroup mg INNER JOIN municipalities_municipality m ON m.id = mg.municipality_id"
    " WHERE mg.regional_program_id = %(region)s ORDER BY m.name"
)


_OVERVIEW_KEYS = ("name", "registered_count", "attended_count", "handed_in_count", "late_count")


class GroupOverview:
    """The rows of `group_overview` for `core.pagination`. A region has at most one group per municipality of
    its counties (a few dozen), so they are read in one statement when first counted and the page is cut from
    them: a COUNT query besides cost more than the rows."""

    def __init__(self, regional_program_id: int) -> None:
        self.regional_program_id = regional_program_id
        self._rows: list[dict] | None = None

    def _all(self) -> list[dict]:
        if self._rows is None:
            params: dict[str, str | int] = {
                "cancelled": GatheringStatus.CANCELLED.value,
                "attending": RegistrationStatus.ATTENDING.value,
                "region": self.regional_program_id,
            }
            with connection.cursor() as cursor:
                cursor.execute(_OVERVIEW_SQL, params)
                self._rows = [dict(zip(_OVERVIEW_KEYS, row, strict=True)) for row in cursor.fetchall()]
        return self._rows

    def count(self) -> int:
        return len(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, index: slice) -> list[dict]:
        return self._all()[index]


def group_overview(*, regional_program: RegionalProgram) -> GroupOverview:
    """Per municipality over the whole programme: people registered, people who came, hand-ins delivered.
    Rows are dicts of the shown values (`name` is the municipality's), in the municipalities' order; paginate
    them (`core.pagination.paginate`)."""
    return GroupOverview(regional_program.pk)


def group_members(*, group: MunicipalGroup) -> list[MunicipalGroupMember]:
    return list(group.members.order_by("-is_coordinator", "name", "id"))


def groups_answered(*, gathering: Gathering, groups) -> dict[int, dict]:
    """Per group: how many of its members are coming, waiting, not coming (one query for all groups)."""
    ids = [g.pk for g in groups]
    if not ids:
        return {}
    result: dict[int, dict] = {pk: {} for pk in ids}
    for row in (
        Registration.objects.filter(gathering=gathering, group_id__in=ids)
        .values("group_id", "status")
        .annotate(n=Count("pk"))
    ):
        result[row["group_id"]][row["status"]] = row["n"]
    return result


def registrations_of(*, gathering: Gathering) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(gathering=gathering)
        .select_related("municipality")
        .order_by("municipality__name", "name", "id")
    )


def registration_rows(*, gathering: Gathering, statuses: list[str]) -> QuerySet:
    """The participant list's and the attendance list's rows: dicts of what they show, in the lists' order:
    those registered by municipality and name, then (if asked for) the waiting list in the order its people
    get a place (first come first), so the participant page shows them as two lists."""
    waiting = RegistrationStatus.WAITLISTED
    return (
        Registration.objects.filter(gathering=gathering, status__in=statuses)
        .annotate(
            waiting_rank=Case(When(status=waiting, then=Value(1)), default=Value(0)),
            waiting_since=Case(When(status=waiting, then=F("waitlisted_at")), default=None),
        )
        .values(
            "pk",
            "name",
            "sector",
            "status",
            "attended",
            "dietary_needs",
            "accessibility_needs",
            municipality_name=F("municipality__name"),
        )
        .order_by("waiting_rank", "waiting_since", "municipality__name", "name", "id")
    )


def registrations_by_member(*, gathering: Gathering, group: MunicipalGroup) -> dict[int, Registration]:
    return {
        r.member_id: r
        for r in Registration.objects.filter(gathering=gathering, group=group, member__isnull=False)
        if r.member_id is not None
    }


def pre_registrations(*, gathering: Gathering, municipality) -> list[Registration]:
    return list(
        Registration.objects.filter(gathering=gathering, municipality=municipality).order_by("name", "id")
    )


def participant_totals(*, gathering: Gathering) -> dict:
    """Totals of people coming, per municipality and per sector, counted by the database."""
    attending = Registration.objects.filter(gathering=gathering, status=RegistrationStatus.ATTENDING)
    coming = Q(status=RegistrationStatus.ATTENDING)
    totals = Registration.objects.filter(gathering=gathering).aggregate(
        attending=Count("pk", filter=coming),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        with_needs=Count("pk", filter=coming & ~Q(dietary_needs="", accessibility_needs="")),
    )
    return {
        **totals,
        "per_municipality": list(
            attending.values("municipality__name").annotate(n=Count("pk")).order_by("municipality__name")
        ),
        "per_sector": list(attending.values("sector").annotate(n=Count("pk")).order_by("sector")),
    }


def waiting_list(*, gathering: Gathering) -> QuerySet[Registration]:
    return Registration.objects.filter(gathering=gathering, status=RegistrationStatus.WAITLISTED).order_by(
        "waitlisted_at", "id"
    )
