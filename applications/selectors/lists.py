"""Reads of applications for the lists, the dashboard and one application: scoped to the acting user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from accounts.permissions import role_scope
from core.sql import aware, id_list, moment
from municipalities.models import Municipality
from programs.models import Program, RegionalProgram

from ..models import Application, ApplicationDeadlineExtension, ApplicationGroupMember, ApplicationStatus
from ..permissions import can_manage_selection
from .ranking import SelectionProgram, regional_programs_for_selection


def application_deadline_for(*, regional_program: RegionalProgram, municipality) -> dt.datetime | None:
    """The municipality's own deadline if leadership granted one, otherwise the region's deadline."""
    extension = (
        ApplicationDeadlineExtension.objects.filter(
            regional_program=regional_program, municipality=municipality
        )
        .values_list("deadline", flat=True)
        .first()
    )
    return extension or regional_program.application_deadline


def _with_deadline(qs: QuerySet[Application]) -> QuerySet[Application]:
    extension = (
        ApplicationDeadlineExtension.objects.filter(
            regional_program=OuterRef("regional_program"), municipality=OuterRef("municipality")
        )
        .order_by()
        .values("deadline")[:1]
    )
    return qs.annotate(
        effective_deadline=Coalesce(Subquery(extension), F("regional_program__application_deadline"))
    )


def _base_applications() -> QuerySet[Application]:
    return _with_deadline(
        Application.objects.select_related(
            "regional_program__program", "municipality__county__branch", "submitted_by", "decision"
        )
    )


def applications_visible_to(user) -> QuerySet[Application]:
    """Leadership: all. Municipal contact: their municipality's. Board member: every application in a
    regional programme their branch is part of (their region)."""
    return _scoped(_base_applications(), user)


def _scoped(qs: QuerySet[Application], user) -> QuerySet[Application]:
    """`qs` narrowed to the applications this person sees (the rule of `applications_visible_to`)."""
    if can_manage_selection(user):
        return qs
    scope = role_scope(user)
    if not scope.municipality_ids and not scope.branch_ids:
        return qs.none()
    # The regions as their branch links: the programmes table joined in as well only cost planning time.
    region = RegionalProgram.branches.through.objects.filter(countybranch_id__in=scope.branch_ids).values(
        "regionalprogram_id"
    )
    return qs.filter(Q(municipality_id__in=scope.municipality_ids) | Q(regional_program_id__in=region))


@dataclass(frozen=True, slots=True)
class ProgramChoice:
    """A regional programme as the list's filter offers it: its name, and its edition's."""

    pk: int
    name: str
    edition_id: int
    edition_name: str


def regional_programs_with_applications(user) -> list[ProgramChoice]:
    """The regional programmes in which this person sees at least one application (the list's filter), newest
    edition first. Plain values: the filter writes names, it needs no model objects."""
    visible = _scoped(Application.objects.order_by(), user)  # no deadline to annotate for an EXISTS
    rows = (
        RegionalProgram.objects.filter(Exists(visible.filter(regional_program=OuterRef("pk")).values("pk")))
        .order_by("-program__interest_deadline", "name", "pk")
        .values_list("pk", "name", "program_id", "program__name")
    )
    return [ProgramChoice(*row) for row in rows]


def application_list_programs(
    *, user
) -> tuple[Sequence[ProgramChoice | SelectionProgram], list[SelectionProgram]]:
    """The list page's regional programmes: those to filter by (where the person sees an application) and, for
    leadership, those to select in. Leadership sees every application, so both come from one read of the
    programmes (`has_applications`); anyone else has the filter's only."""
    if can_manage_selection(user):
        selection = regional_programs_for_selection(user=user)
        return [p for p in selection if p.has_applications], selection
    return regional_programs_with_applications(user), []


# What the applications list shows, and nothing more (the text sections are long).
LIST_COLUMNS = (
    "status",
    "edited_after_submit",
    "recommendation_priority",
    "updated_at",
    "regional_program__name",
    "regional_program__application_deadline",
    "municipality__name",
)


# The values of a row in the list's table (core.pagination.paginate_rows(values=…)), with the annotations.
LIST_VALUES = (
    "status",
    "edited_after_submit",
    "recommendation_priority",
    "updated_at",
    "regional_program__name",
    "municipality__name",
    "effective_deadline",
    "member_count",
)


def application_list(
    *,
    user,
    regional_programs: Collection[int] | None = None,
    status: str = "",
    search: str = "",
) -> QuerySet[Application]:
    """The list page's rows: newest edition first, then region and municipality. The member count is a
    subquery per row, not a GROUP BY over every column of the joined tables.

    `regional_programs`: only these programmes' applications (ids: the chosen one, or the chosen edition's, which
    the page has read already). A list of ids lets the database plan and use the index on the programme; a join
    on the edition read every year's applications, a subquery took longer to plan than to run."""
    members = (
        ApplicationGroupMember.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        applications_visible_to(user)
        .select_related(None)
        .select_related("regional_program", "municipality")
        .only(*LIST_COLUMNS)
        .annotate(member_count=Coalesce(Subquery(members), 0))
    )
    if regional_programs is not None:
        qs = qs.filter(regional_program_id__in=regional_programs)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(municipality__name__icontains=search)
    return qs.order_by(
        "-regional_program__program__interest_deadline", "regional_program__name", "municipality__name", "pk"
    )


def applications_for_print(*, user, regional_program: RegionalProgram) -> QuerySet[Application]:
    """Every sent-in or decided application of one regional programme, whole, for the print bundle."""
    return (
        applications_visible_to(user)
        .filter(regional_program=regional_program)
        .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        .prefetch_related("group_members", "attachments")
        .order_by("municipality__name", "pk")
    )


# The dashboard's newest applications of the person's municipalities (own, or their branch's), with only what the
# panel shows. Written out: built by the ORM (select_related, `only`, the deadline's subquery) it cost three times
# what the database took. tests/applications/test_selectors.py compares it with the ORM's query.
_DASHBOARD_APPLICATIONS_SQL = (
    "SELECT a.id, a.regional_program_id, a.municipality_id, a.status, a.updated_at,"
    " rp.name, rp.application_deadline, m.name, e.deadline"
    " FROM applications_application a"
    " INNER JOIN municipalities_municipality m ON m.id = a.municipality_id"
    " INNER JOIN municipalities_county c ON c.id = m.county_id"
    " INNER JOIN programs_regionalprogram rp ON rp.id = a.regional_program_id"
    " LEFT JOIN applications_applicationdeadlineextension e"
    "  ON e.regional_program_id = a.regional_program_id AND e.municipality_id = a.municipality_id"
    " WHERE (a.municipality_id IN {municipalities} OR c.branch_id IN {branches})"
    " ORDER BY a.updated_at DESC, a.id DESC LIMIT %s"
)


def dashboard_applications(*, user, limit: int = 5) -> list[Application]:
    """The newest applications of the municipalities this person speaks for (own municipality, or their branch's),
    with `effective_deadline` (the municipality's extension, else the region's); only the columns the panel shows
    (a branch has hundreds of applications)."""
    scope = role_scope(user)
    if not scope.municipality_ids and not scope.branch_ids:
        return []
    municipalities, municipality_params = id_list(scope.municipality_ids)
    branches, branch_params = id_list(scope.branch_ids)
    sql = _DASHBOARD_APPLICATIONS_SQL.format(municipalities=municipalities, branches=branches)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*municipality_params, *branch_params, limit])
        rows = cursor.fetchall()
    alias = connection.alias
    applications = []
    for (
        pk,
        rp_id,
        municipality_id,
        status,
        updated_at,
        rp_name,
        rp_deadline,
        municipality_name,
        extended,
    ) in rows:
        application = Application.from_db(
            alias,
            ["id", "regional_program_id", "municipality_id", "status", "updated_at"],
            [pk, rp_id, municipality_id, status, aware(updated_at)],
        )
        rp_deadline_aware = aware(rp_deadline)
        application.regional_program = RegionalProgram.from_db(
            alias, ["id", "name", "application_deadline"], [rp_id, rp_name, rp_deadline_aware]
        )
        application.municipality = Municipality.from_db(
            alias, ["id", "name"], [municipality_id, municipality_name]
        )
        application.effective_deadline = aware(extended) or rp_deadline_aware  # type: ignore[attr-defined]
        applications.append(application)
    return applications


def application_detail(*, user, pk: int) -> QuerySet[Application]:
    return applications_visible_to(user).filter(pk=pk).prefetch_related("group_members", "attachments")


# `regional_programs_open_to` written out: the ORM took five queries (and about 9 ms to build them and their
# instances at national scale) for one small join. `mine` are the person's member municipalities; a window is a
# region of one of their branches with a deadline still ahead, for the region or in an extension for one of them.
# The windows come first (kind 0, whole), then (kind 1) each municipality of `mine` that has an application in a
# window or may start one there (the region's branch, opened, its own deadline ahead), with only the window's id:
# repeating the window on every row read its four datetimes again for each municipality. The application is looked
# up per pair through the (region, municipality) index, not joined: the join read every application of the country.
# tests/applications/test_selectors.py compares it with the ORM queries it replaced.
_OPEN_PROGRAMS_SQL = (
    "WITH mine AS (SELECT m.id, m.name, m.number, c.branch_id FROM municipalities_municipality m"
    "  INNER JOIN municipalities_county c ON c.id = m.county_id"
    "  WHERE m.is_member AND (m.id IN {municipalities} OR c.branch_id IN {branches})),"
    " windows AS (SELECT {columns} FROM programs_regionalprogram rp"
    "  WHERE rp.application_deadline IS NOT NULL"
    "  AND EXISTS(SELECT 1 FROM programs_regionalprogram_branches rb"
    "   INNER JOIN mine ON mine.branch_id = rb.countybranch_id WHERE rb.regionalprogram_id = rp.id)"
    "  AND (rp.application_deadline > %s OR EXISTS(SELECT 1 FROM applications_applicationdeadlineextension e"
    "   INNER JOIN mine ON mine.id = e.municipality_id WHERE e.regional_program_id = rp.id AND e.deadline > %s))),"
    " pairs AS (SELECT w.id AS window_id, m.id, m.name, m.number, w.applications_open_at, w.application_deadline,"
    "  m.branch_id IN (SELECT rb.countybranch_id FROM programs_regionalprogram_branches rb"
    "   WHERE rb.regionalprogram_id = w.id) AS in_region,"
    "  (SELECT e.deadline FROM applications_applicationdeadlineextension e"
    "   WHERE e.regional_program_id = w.id AND e.municipality_id = m.id) AS extended,"
    "  (SELECT a.id FROM applications_application a"
    "   WHERE a.regional_program_id = w.id AND a.municipality_id = m.id) AS application_id"
    "  FROM windows w CROSS JOIN mine m)"
    " SELECT 0, {window_columns}, p.name, NULL, NULL, NULL, NULL, NULL"
    " FROM windows w INNER JOIN programs_program p ON p.id = w.program_id"
    " UNION ALL"
    " SELECT 1, {pair_columns}, NULL, pairs.id, pairs.name, pairs.number, pairs.application_id,"
    "  (SELECT a.status FROM applications_application a WHERE a.id = pairs.application_id)"
    " FROM pairs WHERE pairs.application_id IS NOT NULL"
    "  OR (pairs.in_region AND (pairs.applications_open_at IS NULL OR pairs.applications_open_at <= %s)"
    "   AND COALESCE(pairs.extended, pairs.application_deadline) > %s)"
    " ORDER BY {order}"
)


def regional_programs_open_to(user, *, applications: bool = True) -> list[tuple[RegionalProgram, list, list]]:
    """Regional programmes with an application window; for each, the municipalities this person may still
    start an application for (their own, or their branch's member municipalities) and the applications
    those municipalities already have (an empty list with `applications=False`, for callers that only start).
    The programmes are whole (starting an application reads their fields); the municipalities carry their
    name, the applications their status and their municipality's name. One query."""
    scope = role_scope(user)
    if not scope.municipality_ids and not scope.branch_ids:
        return []
    now = moment(timezone.now())
    concrete = RegionalProgram._meta.concrete_fields
    fields = [f.attname for f in concrete]
    width = len(fields)
    # Positions (from 1) in the rows: the kind, the window's columns, the programme's name, then the pair's.
    position = {name: 2 + i for i, name in enumerate(fields)}
    after = 2 + width + 1
    order = [
        1,
        position["application_deadline"],
        position["name"],
        position["id"],
        after + 1,
        after + 2,
        after,
    ]
    municipalities, municipality_params = id_list(scope.municipality_ids)
    branches, branch_params = id_list(scope.branch_ids)
    sql = _OPEN_PROGRAMS_SQL.format(
        municipalities=municipalities,
        branches=branches,
        columns=", ".join(f"rp.{name}" for name in fields),
        window_columns=", ".join(f"w.{name}" for name in fields),
        pair_columns=", ".join("pairs.window_id" if name == "id" else "NULL" for name in fields),
        order=", ".join(str(p) for p in order),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*municipality_params, *branch_params, now, now, now, now])
        rows = cursor.fetchall()
    alias = connection.alias
    # Read by hand as the ORM reads them: the datetimes aware; the other columns are numbers and text as they come
    # (the selector's test compares every field with the ORM's instance).
    datetimes = {i for i, f in enumerate(concrete) if f.get_internal_type() == "DateTimeField"}
    id_at = fields.index("id")
    windows: dict[int, tuple[RegionalProgram, list, list]] = {}
    for kind, *row in rows:
        if kind == 0:
            values = [aware(v) if i in datetimes else v for i, v in enumerate(row[:width])]
            rp = RegionalProgram.from_db(alias, fields, values)
            rp.program = Program.from_db(alias, ["id", "name"], [rp.program_id, row[width]])
            windows[rp.pk] = (rp, [], [])
            continue
        rp_id = row[id_at]
        municipality_id, municipality_name, _number, application_id, status = row[width + 1 :]
        municipality = Municipality.from_db(alias, ["id", "name"], [municipality_id, municipality_name])
        if application_id is None:
            windows[rp_id][1].append(municipality)
        elif applications:
            application = Application.from_db(
                alias,
                ["id", "regional_program_id", "municipality_id", "status"],
                [application_id, rp_id, municipality_id, status],
            )
            application.municipality = municipality
            windows[rp_id][2].append(application)
    return [windows[rp_id] for rp_id in windows]


@dataclass(frozen=True)
class Named:
    """What the dashboard shows of a region or a municipality in an open window: its id and name."""

    pk: int
    name: str


@dataclass(frozen=True)
class OpenRegion(Named):
    application_deadline: dt.datetime


# The (region, municipality) pairs of `dashboard_open_windows`, written out: the ORM built it (joins through the
# branch's regions, a correlated subquery for the extension, an EXISTS) in more time than the database answered,
# and its plan ran the extension's subquery for every pair before leaving out the started ones (780 runs for a
# branch at national scale); a LEFT JOIN reads the extension once (one per region and municipality).
# tests/applications/test_selectors.py compares it with the ORM's query.
_OPEN_WINDOWS_SQL = (
    "SELECT rp.id, rp.name, rp.application_deadline, m.id, m.name"
    " FROM municipalities_municipality m"
    " INNER JOIN municipalities_county c ON c.id = m.county_id"
    " INNER JOIN programs_regionalprogram_branches rb ON rb.countybranch_id = c.branch_id"
    " INNER JOIN programs_regionalprogram rp ON rp.id = rb.regionalprogram_id"
    " LEFT JOIN applications_applicationdeadlineextension e"
    "  ON e.regional_program_id = rp.id AND e.municipality_id = m.id"
    " WHERE m.is_member AND (m.id IN {municipalities} OR c.branch_id IN {branches})"
    " AND rp.application_deadline IS NOT NULL"
    " AND (rp.applications_open_at IS NULL OR rp.applications_open_at <= %s)"
    " AND COALESCE(e.deadline, rp.application_deadline) > %s"
    " AND NOT EXISTS(SELECT 1 FROM applications_application a"
    "  WHERE a.regional_program_id = rp.id AND a.municipality_id = m.id)"
    " ORDER BY rp.application_deadline, rp.name, rp.id, m.name, m.number"
)


def dashboard_open_windows(*, user) -> list[tuple[OpenRegion, list[Named]]]:
    """The windows of `regional_programs_open_to` where the person may still start an application, with those
    municipalities (same rules, a test holds them together), for the dashboard: one query of (municipality,
    region) pairs instead of five, and only the names shown."""
    scope = role_scope(user)
    if not scope.municipality_ids and not scope.branch_ids:
        return []
    now = moment(timezone.now())
    municipalities, municipality_params = id_list(scope.municipality_ids)
    branches, branch_params = id_list(scope.branch_ids)
    sql = _OPEN_WINDOWS_SQL.format(municipalities=municipalities, branches=branches)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*municipality_params, *branch_params, now, now])
        rows = cursor.fetchall()
    windows: dict[int, tuple[OpenRegion, list[Named]]] = {}
    for region_id, region_name, region_deadline, municipality_id, municipality_name in rows:
        if region_id not in windows:
            windows[region_id] = (OpenRegion(region_id, region_name, aware(region_deadline)), [])
        windows[region_id][1].append(Named(municipality_id, municipality_name))
    return list(windows.values())


def contacts_of(municipality) -> list:
    return [
        ra.user
        for ra in RoleAssignment.objects.filter(
            role=Role.MUNICIPAL_CONTACT, municipality=municipality, user__is_active=True
        ).select_related("user")
    ]
