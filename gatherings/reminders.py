"""Reminders this app declares (see reminders/occasions/).

Planned, re-checked at send time (a moved gathering moves its rows: the planner follows the dates):
- registration nudge before the registration deadline, to coordinators whose group has not answered;
- preparation some days before, to the people registered (the mail carries the preparation);
- practical reminder shortly before, to the people registered, with the calendar entry;
- between-work due, to coordinators of groups that have not handed in.
Sent at once (see services/notices.py): invitation, change, cancellation, a place from the waiting list;
each checked again when the worker sends it (services/notice_checks.py), so a late worker sends nothing stale.
The first three are notices that start a step: leadership edits and previews their texts per edition.

Group members mostly have no account: every mail carries the content itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, F, Value, When
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import date_display, span_display
from programs.models import MunicipalGroup
from reminders.occasions import (
    REGION_PLACEHOLDER,
    DeadlineOccasion,
    ImmediateOccasion,
    NoticeOccasion,
    Prepared,
    Sample,
    Stale,
    Target,
    deadline_display,
    register,
    site_link,
)
from reminders.outbox import Recipient

from .calendar import gathering_attachment
from .models import Gathering, GatheringKind, GatheringStatus, HandIn, Registration, RegistrationStatus
from .services import notice_checks, notices

REGISTRATION_NUDGE = "gatherings.registration_nudge"
PREPARATION = "gatherings.preparation"
PRACTICAL = "gatherings.practical"
BETWEEN_WORK_DUE = "gatherings.between_work_due"
# The occasions planned from a gathering's dates (scope "gathering:<pk>"): re-planned when it changes.
PLANNED_OCCASIONS = (REGISTRATION_NUDGE, PREPARATION, PRACTICAL, BETWEEN_WORK_DUE)


def _live(now: dt.datetime, field: str, program_id: int | None):
    qs = Gathering.objects.filter(status=GatheringStatus.SCHEDULED, **{f"{field}__gte": now}).select_related(
        "regional_program__program"
    )
    if program_id is not None:
        qs = qs.filter(regional_program__program_id=program_id)
    return list(qs.order_by("pk"))


def _iso(value: dt.datetime | None) -> str:
    return value.isoformat() if value else ""


# Leadership's texts for every gathering occasion may name the gathering, its time and its region.
GATHERING_PLACEHOLDERS: dict[str, Any] = {
    **REGION_PLACEHOLDER,
    "samling": _("samlingens navn, f.eks. «Samling 3: Medvirkning»"),
    "tid": _("når samlingen er, dato og klokkeslett"),
}


def gathering_values(gathering: Gathering) -> dict[str, str]:
    """The values of `GATHERING_PLACEHOLDERS` and {program} for one gathering (its region and edition loaded)."""
    region = gathering.regional_program
    return {
        "program": region.program.name,
        "region": region.name,
        "samling": gathering.display_title,
        "tid": span_display(gathering.starts_at, gathering.ends_at),
    }


def gathering_about(deliveries, *, deadline_label: str = "") -> dict[int, str]:
    """«Samling 3: Tema (12.03.2026)» per row that names a gathering in its context, for leadership's list;
    with `deadline_label`, the deadline the row reminded of follows («påmeldingsfrist 1. mars 2026»). One query."""
    rows = [d for d in deliveries if d.context.get("gathering") is not None]
    if not rows:
        return {}
    gatherings = Gathering.objects.only("kind", "number", "title", "starts_at").in_bulk(
        {d.context["gathering"] for d in rows}
    )
    result = {}
    for row in rows:
        gathering = gatherings.get(row.context["gathering"])
        if gathering is None:
            continue
        text = str(gathering)
        date = row.context.get("date")
        if deadline_label and date:
            text += f", {deadline_label} {date_display(dt.datetime.fromisoformat(date))}"
        result[row.pk] = text
    return result


class _GatheringOccasion(DeadlineOccasion):
    """Shared: scopes per gathering, the still-valid check and the context for the mail."""

    date_field = "starts_at"
    placeholders = GATHERING_PLACEHOLDERS

    def scopes(self, *, now):
        return [f"gathering:{g.pk}" for g in _live(now, self.date_field, None)]

    def _gatherings(self, deliveries):
        return (
            Gathering.objects.select_related("regional_program__program", "host_municipality")
            .prefetch_related("files")
            .in_bulk({d.context["gathering"] for d in deliveries})
        )

    # what the row's date is called in leadership's list («påmeldingsfrist 01.03.2026»); "" for the start
    deadline_label: Any = ""

    def about(self, deliveries):
        return gathering_about(deliveries, deadline_label=str(self.deadline_label))

    def _stale(self, gathering: Gathering | None, delivery) -> Stale | None:
        # a cancelled gathering, or one whose date moved since the row was planned, gets nothing stale
        if gathering is None:
            return Stale(gettext("Samlingen finnes ikke lenger."))
        if gathering.is_cancelled:
            return Stale(gettext("Samlingen ble avlyst."))
        if _iso(getattr(gathering, self.date_field)) != delivery.context.get("date"):
            return Stale(gettext("Datoen er endret siden påminnelsen ble planlagt."))
        return None

    def _context(self, gathering: Gathering, delivery, configs, link: str, **extra):
        date = getattr(gathering, self.date_field)
        context = {
            "gathering": gathering,
            "regional_program": gathering.regional_program,
            "program": gathering.regional_program.program,
            "deadline": deadline_display(date),
            "link": link,
            "offset": delivery.context.get("offset"),
            **extra,
        }
        return self.with_overrides(
            context,
            delivery=delivery,
            config=configs.get(gathering.regional_program.program_id, self),
            values={**gathering_values(gathering), "frist": context["deadline"], "lenke": link},
        )

    def _prepare_for_groups(self, deliveries, configs, *, done, done_reason: str, view: str):
        """`prepare` for the occasions that write to a group's coordinators until the group has done something:
        skipped (with `done_reason`) once `done(gathering_ids, group_ids)` holds the pair, else a mail with a
        link to `view` for that gathering and group. Three queries for any number of rows."""
        gatherings = self._gatherings(deliveries)
        groups = MunicipalGroup.objects.select_related("municipality").in_bulk(
            {d.context["group"] for d in deliveries}
        )
        finished = done(list(gatherings), list(groups))
        result = {}
        for delivery in deliveries:
            gathering = gatherings.get(delivery.context["gathering"])
            group = groups.get(delivery.context["group"])
            stale = self._stale(gathering, delivery)
            if stale is None and group is None:
                stale = Stale(gettext("Kommunegruppen finnes ikke lenger."))
            elif stale is None and (gathering.pk, group.pk) in finished:
                stale = Stale(done_reason)
            if stale is not None:
                result[delivery.pk] = stale
                continue
            link = site_link(reverse(view, args=[gathering.pk, group.pk]))
            result[delivery.pk] = Prepared(
                template=self.template, context=self._context(gathering, delivery, configs, link, group=group)
            )
        return result

    def _groups_not_done(self, gatherings, *, done: set[tuple[int, int]]):
        """One target per (gathering, group of its region) not in `done` and with a coordinator to tell."""
        groups: dict[int, list[MunicipalGroup]] = {}
        for group in MunicipalGroup.objects.filter(
            regional_program_id__in={g.regional_program_id for g in gatherings}
        ).select_related("municipality"):
            groups.setdefault(group.regional_program_id, []).append(group)
        coordinators = notices.group_coordinators(g for gs in groups.values() for g in gs)
        for gathering in gatherings:
            deadline = getattr(gathering, self.date_field)
            for group in groups.get(gathering.regional_program_id, []):
                if (gathering.pk, group.pk) in done or not coordinators.get(group.pk):
                    continue
                yield Target(
                    scope=f"gathering:{gathering.pk}",
                    key=f"gathering:{gathering.pk}:group:{group.pk}",
                    deadline=deadline,
                    recipients=coordinators[group.pk],
                    context={"gathering": gathering.pk, "group": group.pk, "date": _iso(deadline)},
                    program_id=gathering.regional_program.program_id,
                )


def _attending_by_gathering(gathering_ids) -> dict[int, list[Registration]]:
    result: dict[int, list[Registration]] = {}
    for r in Registration.objects.filter(
        gathering_id__in=list(gathering_ids), status=RegistrationStatus.ATTENDING
    ).exclude(email=""):
        result.setdefault(r.gathering_id, []).append(r)
    return result


class RegistrationNudge(_GatheringOccasion):
    code = REGISTRATION_NUDGE
    label = _("Påmeldingsfrist for samling")
    description = _(
        "Til koordinatorer i kommunegrupper som ikke har svart på en samling (for presamlinger: kommunene i "
        "regionen som ikke har meldt på noen). Hoppes over når gruppen har svart."
    )
    template = "gatherings/email/registration_nudge"
    default_offsets = (7, 2)
    date_field = "registration_deadline"
    deadline_label = _("påmeldingsfrist")

    def targets(self, *, now, program_id=None):
        gatherings = [
            g for g in _live(now, self.date_field, program_id) if g.kind != GatheringKind.PRE_GATHERING
        ]
        if not gatherings:
            return
        answered = set(
            Registration.objects.filter(gathering__in=gatherings, group__isnull=False)
            .values_list("gathering_id", "group_id")
            .distinct()
        )
        yield from self._groups_not_done(gatherings, done=answered)

    def prepare(self, deliveries, *, configs):
        def answered(gathering_ids, group_ids):
            return set(
                Registration.objects.filter(gathering_id__in=gathering_ids, group_id__in=group_ids)
                .values_list("gathering_id", "group_id")
                .distinct()
            )

        return self._prepare_for_groups(
            deliveries,
            configs,
            done=answered,
            done_reason=gettext("Kommunegruppen har svart på invitasjonen."),
            view="gatherings:register",
        )


class PreparationReminder(_GatheringOccasion):
    code = PREPARATION
    label = _("Forberedelser til samling")
    description = _(
        "Til alle som er påmeldt, noen dager før samlingen, med forberedelsene i selve e-posten. Hoppes over "
        "for den som har meldt seg av, og når samlingen er flyttet eller avlyst."
    )
    template = "gatherings/email/preparation"
    default_offsets = (7,)

    def targets(self, *, now, program_id=None):
        gatherings = _live(now, self.date_field, program_id)
        attending = _attending_by_gathering(g.pk for g in gatherings)
        for gathering in gatherings:
            for r in attending.get(gathering.pk, []):
                yield Target(
                    scope=f"gathering:{gathering.pk}",
                    key=f"gathering:{gathering.pk}:registration:{r.pk}",
                    deadline=gathering.starts_at,
                    recipients=[Recipient(email=r.email, name=r.name)],
                    context={
                        "gathering": gathering.pk,
                        "registration": r.pk,
                        "date": _iso(gathering.starts_at),
                    },
                    program_id=gathering.regional_program.program_id,
                )

    def _registrations(self, deliveries):
        return Registration.objects.in_bulk({d.context["registration"] for d in deliveries})

    def prepare(self, deliveries, *, configs):
        gatherings = self._gatherings(deliveries)
        registrations = self._registrations(deliveries)
        result = {}
        for delivery in deliveries:
            gathering = gatherings.get(delivery.context["gathering"])
            registration = registrations.get(delivery.context["registration"])
            stale = self._stale(gathering, delivery)
            if stale is None and (
                registration is None or registration.status != RegistrationStatus.ATTENDING
            ):
                stale = Stale(gettext("Mottakeren er ikke lenger påmeldt."))
            if stale is not None:
                result[delivery.pk] = stale
                continue
            link = site_link(reverse("gatherings:detail", args=[gathering.pk]))
            result[delivery.pk] = self._prepared(gathering, delivery, configs, link, registration)
        return result

    def _prepared(self, gathering, delivery, configs, link, registration) -> Prepared:
        return Prepared(
            template=self.template,
            context=self._context(gathering, delivery, configs, link, registration=registration),
        )


class PracticalReminder(PreparationReminder):
    code = PRACTICAL
    label = _("Praktisk påminnelse før samling")
    description = _(
        "Til alle som er påmeldt, kort tid før samlingen: tid, sted og kalenderoppføring (.ics). Hoppes over "
        "for den som har meldt seg av, og når samlingen er flyttet eller avlyst."
    )
    template = "gatherings/email/practical"
    default_offsets = (1,)

    def _prepared(self, gathering, delivery, configs, link, registration) -> Prepared:
        prepared = super()._prepared(gathering, delivery, configs, link, registration)
        return Prepared(
            template=prepared.template,
            context=prepared.context,
            attachments=(gathering_attachment(gathering),),
        )


class BetweenWorkDue(_GatheringOccasion):
    code = BETWEEN_WORK_DUE
    label = _("Frist for mellomarbeid")
    description = _(
        "Til koordinatorer i kommunegrupper som ikke har levert mellomarbeidet etter en samling. Hoppes over "
        "når det er levert."
    )
    template = "gatherings/email/between_work_due"
    default_offsets = (7, 1)
    date_field = "between_work_due"
    deadline_label = _("frist")

    def targets(self, *, now, program_id=None):
        gatherings = [
            g for g in _live(now, self.date_field, program_id) if g.kind != GatheringKind.PRE_GATHERING
        ]
        if not gatherings:
            return
        done = set(
            HandIn.objects.filter(gathering__in=gatherings, submitted_at__isnull=False).values_list(
                "gathering_id", "group_id"
            )
        )
        yield from self._groups_not_done(gatherings, done=done)

    def prepare(self, deliveries, *, configs):
        def handed_in(gathering_ids, group_ids):
            return set(
                HandIn.objects.filter(
                    gathering_id__in=gathering_ids, group_id__in=group_ids, submitted_at__isnull=False
                ).values_list("gathering_id", "group_id")
            )

        return self._prepare_for_groups(
            deliveries,
            configs,
            done=handed_in,
            done_reason=gettext("Mellomarbeidet er levert."),
            view="gatherings:hand_in",
        )


class _GatheringNotice(NoticeOccasion):
    """A gathering's notice, sent when leadership schedules, changes or cancels it (services/notices.py),
    checked again when the worker sends it (services/notice_checks.py), previewed on a gathering of the
    edition that has someone to tell."""

    placeholders = {**GATHERING_PLACEHOLDERS, "frist": _("påmeldingsfristen, dato og klokkeslett")}

    def about(self, deliveries):
        return gathering_about(deliveries)

    def values(self, context):
        gathering = context["gathering"]
        deadline = gathering.registration_deadline
        return {
            **gathering_values(gathering),
            "frist": deadline_display(deadline) if deadline else "",
            "lenke": site_link(reverse("gatherings:detail", args=[gathering.pk])),
        }

    def recipients(self, gathering: Gathering) -> list[Recipient]:
        return notices.invited(gathering)

    def sample_gatherings(self, program):
        return (
            Gathering.objects.filter(regional_program__program=program)
            .select_related("regional_program__program", "host_municipality")
            .order_by(
                Case(When(status=GatheringStatus.SCHEDULED, then=Value(0)), default=Value(1)),
                "-starts_at",
                "-pk",
            )
        )

    def sample_context(self, gathering: Gathering) -> dict[str, Any]:
        return {"gathering": gathering}

    def sample(self, *, program):
        for gathering in self.sample_gatherings(program)[:10]:
            recipients = self.recipients(gathering)
            if recipients:
                return Sample(recipient=recipients[0], context=self.sample_context(gathering))
        return None


class GatheringInvitation(_GatheringNotice):
    code = notices.INVITATION
    label = _("Invitasjon til samling")
    description = _(
        "Går én gang når programledelsen setter opp en samling: til koordinatorene i regionens kommunegrupper "
        "(for presamlinger: medlemskommunene og fylkesstyrene), med tid, sted, påmeldingsfrist og "
        "kalenderoppføring. Endres samlingen før den er sendt, sendes den slik samlingen er da."
    )
    template = notices.INVITATION_TEMPLATE

    def check(self, deliveries):
        return notice_checks.invitation_check(deliveries)


class GatheringChanged(_GatheringNotice):
    code = notices.CHANGED
    label = _("Endret samling")
    description = _(
        "Går når en samling flyttes eller får nytt sted, navn, tema eller vertskommune: til alle påmeldte og "
        "alle inviterte, med hva som er endret, begrunnelsen og oppdatert kalenderoppføring. Den venter noen "
        "minutter, så flere raske endringer blir én melding."
    )
    template = notices.CHANGED_TEMPLATE

    def check(self, deliveries):
        return notice_checks.change_check(deliveries)

    def sample_context(self, gathering):
        # as if it had been moved here from a week earlier: the lines a real change notice shows
        before = {
            **notices.notice_snapshot(gathering),
            "starts_at": gathering.starts_at - dt.timedelta(days=7),
            "ends_at": gathering.ends_at - dt.timedelta(days=7),
        }
        return {
            "gathering": gathering,
            "changes": notices.change_lines(before, gathering),
            "reason": gettext("Eksempel: lokalet var dobbeltbooket."),
        }


class GatheringCancelled(_GatheringNotice):
    code = notices.CANCELLED
    label = _("Avlyst samling")
    description = _(
        "Går med en gang en samling avlyses: til alle påmeldte, dem på ventelisten og alle inviterte, med "
        "begrunnelsen og en kalenderoppføring som fjerner avtalen."
    )
    template = notices.CANCELLED_TEMPLATE

    def check(self, deliveries):
        return notice_checks.cancellation_check(deliveries)

    def recipients(self, gathering):
        return notices.cancellation_recipients(gathering)

    def sample_gatherings(self, program):
        # a cancelled gathering first: its own reason is in the mail
        return (
            super()
            .sample_gatherings(program)
            .order_by(F("cancelled_at").desc(nulls_last=True), "-starts_at", "-pk")
        )

    def sample_context(self, gathering):
        if not gathering.is_cancelled:  # shown, never saved
            gathering.cancel_reason = gettext("Eksempel: for få påmeldte.")
        return {"gathering": gathering}


register(RegistrationNudge())
register(PreparationReminder())
register(PracticalReminder())
register(BetweenWorkDue())
GATHERING_INVITATION = register(GatheringInvitation())
GATHERING_CHANGED = register(GatheringChanged())
GATHERING_CANCELLED = register(GatheringCancelled())
# Rendered when it happens, and checked again when the worker sends it (see services/notice_checks.py).
register(ImmediateOccasion(notices.PROMOTED, _("Plass fra ventelisten"), check=notice_checks.promotion_check))
