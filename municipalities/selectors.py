"""Reads of counties, branches and municipalities, already scoped to the person asking."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Collate

from accounts.models import Role
from accounts.permissions import role_scope
from core.sql import id_list

from .models import County, CountyBranch, Municipality
from .permissions import can_manage_reference_data

# Norwegian alphabetical order (… Z, Æ, Ø, Å). PostgreSQL's ICU collation knows it; the database default
# (often C) puts Å before Ø. SQLite, the embedded default, keeps its own order.
NORWEGIAN_COLLATION = "nb-NO-x-icu"


def by_norwegian_name(field: str = "name"):
    """`order_by(by_norwegian_name())`: names in Norwegian alphabetical order, whatever the database's own
    collation (a Python `sorted` puts Å before Æ and Ø, as the C collation does)."""
    if connection.vendor == "postgresql":
        return Collate(field, NORWEGIAN_COLLATION)
    return field


def _counties_by_number() -> Prefetch:
    return Prefetch("counties", queryset=County.objects.order_by("number"))


def county_branch_list(*, user) -> QuerySet[CountyBranch]:
    """Every branch (leadership only) with its counties and the numbers the overview shows."""
    if not can_manage_reference_data(user):
        return CountyBranch.objects.none()
    return (
        CountyBranch.objects.annotate(
            municipality_count=Count("counties__municipalities", distinct=True),
            member_municipality_count=Count(
                "counties__municipalities",
                filter=Q(counties__municipalities__is_member=True),
                distinct=True,
            ),
            board_member_count=Count(
                "role_assignments__user",
                filter=Q(role_assignments__role=Role.BOARD_MEMBER, role_assignments__user__is_active=True),
                distinct=True,
            ),
        )
        .prefetch_related(_counties_by_number())
        .order_by("-is_active", by_norwegian_name())
    )


def county_branch_choices(*, user) -> list[CountyBranch]:
    """Active branches a county can be moved to."""
    if not can_manage_reference_data(user):
        return []
    return list(CountyBranch.objects.filter(is_active=True).order_by(by_norwegian_name()))


def county_list(*, user) -> QuerySet[County]:
    """Counties the person may look at: all for leadership, their own branch's for a board member. Only the
    number and name (the municipality list's filter shows the name)."""
    scope = role_scope(user)
    counties = County.objects.only("number", "name").order_by("number")
    if can_manage_reference_data(user):
        return counties
    if scope.branch_ids:
        return counties.filter(branch_id__in=scope.branch_ids)
    return counties.none()


def municipality_list(
    *,
    user,
    search: str = "",
    county: County | None = None,
    is_member: bool | None = None,
) -> QuerySet[Municipality]:
    """Municipalities the person may look at, filtered; each row carries its county and branch (only the
    columns the list shows)."""
    scope = role_scope(user)
    municipalities = (
        Municipality.objects.select_related("county__branch")
        .only("number", "name", "is_member", "email", "county__name", "county__branch__name")
        .order_by(by_norwegian_name(), "number")
    )
    if not can_manage_reference_data(user):
        if not scope.branch_ids:
            return municipalities.none()
        municipalities = municipalities.filter(county__branch_id__in=scope.branch_ids)
    search = " ".join(search.split())
    if search:
        if search.isdigit():
            municipalities = municipalities.filter(number__startswith=search)
        else:
            municipalities = municipalities.filter(
                Q(name__icontains=search) | Q(parallel_names__icontains=search)
            )
    if county is not None:
        municipalities = municipalities.filter(county=county)
    if is_member is not None:
        municipalities = municipalities.filter(is_member=is_member)
    return municipalities


def municipality_rows(**filters) -> QuerySet:
    """`municipality_list` as plain rows of what the list shows (pk, number, name, county_name, branch_name,
    is_member, email): no model objects to build, and a template reads a dict's keys faster than attributes
    through two relations (the rows cost a third of the page)."""
    return municipality_list(**filters).values(
        "pk",
        "number",
        "name",
        "is_member",
        "email",
        county_name=F("county__name"),
        branch_name=F("county__branch__name"),
    )


def municipality_for_edit(*, user, pk: int) -> Municipality | None:
    """The municipality leadership is about to edit, or None (→ 404) for anyone else or an unknown id."""
    if not can_manage_reference_data(user):
        return None
    return Municipality.objects.select_related("county__branch").filter(pk=pk).first()


def norwegian_name_sql(column: str) -> str:
    """`by_norwegian_name` for a query written out: the column with the Norwegian collation on PostgreSQL."""
    if connection.vendor == "postgresql":
        return f'{column} COLLATE "{NORWEGIAN_COLLATION}"'
    return column


# A board member's branches with their member municipality count and their counties (one row per county), in one
# statement: the ORM's annotated query and the counties' prefetch were two queries that cost more to build than
# the database took. tests/municipalities/test_selectors.py holds it to them.
_DASHBOARD_BRANCHES_SQL = (
    "SELECT b.id, b.name, b.email, b.is_active,"
    " (SELECT COUNT(*) FROM municipalities_municipality m INNER JOIN municipalities_county mc ON mc.id = m.county_id"
    "  WHERE mc.branch_id = b.id AND m.is_member),"
    " c.id, c.number, c.name"
    " FROM municipalities_countybranch b LEFT JOIN municipalities_county c ON c.branch_id = b.id"
    " WHERE b.id IN {branches} ORDER BY {name}, b.id, c.number"
)


def dashboard_branches(*, user) -> list[CountyBranch]:
    """The branches whose board the person sits on, in Norwegian alphabetical order, with `member_municipality_count`
    and `dashboard_counties` (by number). Read once per request and kept on the user (like `role_scope`): the
    programmes panel lists its editions per branch in this same order without a query of its own."""
    scope = role_scope(user)
    if not scope.branch_ids:
        return []
    cached = getattr(user, "_dashboard_branches", None)
    if cached is not None and cached[0] is scope:  # a new scope (roles changed) reads anew
        return cached[1]
    placeholders, params = id_list(scope.branch_ids)
    sql = _DASHBOARD_BRANCHES_SQL.format(branches=placeholders, name=norwegian_name_sql("b.name"))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    alias = connection.alias
    found: dict[int, CountyBranch] = {}
    for pk, name, email, is_active, member_count, county_id, number, county_name in rows:
        branch = found.get(pk)
        if branch is None:
            branch = found[pk] = CountyBranch.from_db(
                alias, ["id", "name", "email", "is_active"], [pk, name, email, is_active]
            )
            branch.member_municipality_count = member_count  # type: ignore[attr-defined]
            branch.dashboard_counties = []  # type: ignore[attr-defined]
        if county_id is not None:
            branch.dashboard_counties.append(  # type: ignore[attr-defined]
                County.from_db(
                    alias, ["id", "number", "name", "branch_id"], [county_id, number, county_name, pk]
                )
            )
    branches = list(found.values())
    user._dashboard_branches = (scope, branches)
    return branches


def dashboard_municipalities(*, user) -> list[Municipality]:
    """The municipalities the person is contact for, with their county and branch."""
    municipality_ids = role_scope(user).municipality_ids
    if not municipality_ids:
        return []
    return list(
        Municipality.objects.filter(pk__in=municipality_ids)
        .select_related("county__branch")
        .only("number", "name", "is_member", "county__name", "county__branch__name")
        .order_by(by_norwegian_name(), "pk")
    )
