"""Reminders this app declares (see reminders/occasions/): the next guidance session.

Some days before the session an advisor planned at the end of the latest entry, the agreement's advisors are
reminded; where the agreement says so, the municipal group's coordinator too, with a calendar entry. At
send time the row is skipped when the plan changed (another time, or no next meeting) or the municipality
declined. A reminder is about the meeting (agreement and time), not the entry that booked it: a later entry
that keeps the booked meeting (see `guidance.services.sessions.booked_next_kept`) keeps its reminders. The
e-mails carry the shared next steps, never the internal note.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programs.models import MunicipalGroup, MunicipalGroupMember
from reminders.occasions import (
    REGION_PLACEHOLDER,
    DeadlineOccasion,
    Prepared,
    Target,
    deadline_display,
    register,
    site_link,
)
from reminders.outbox import Attachment, Recipient

from .calendar import planned_session_ics
from .models import GuidanceAgreement, GuidanceSession

NEXT_SESSION = "guidance.next_session"
TEMPLATE = "guidance/email/next_session"
SCOPE = "guidance:next_session"


def _stamp(value: dt.datetime) -> int:
    return int(value.timestamp())


def meeting_key(agreement_id: int, at: dt.datetime) -> str:
    """The reminder's key: the meeting, whichever entry booked it (migration guidance 0003 wrote the old ones)."""
    return f"agreement:{agreement_id}:at:{_stamp(at)}"


def latest_planning_sessions(*, now: dt.datetime, program_id: int | None = None):
    """Per agreement still open: its latest entry, when that entry plans a next session in the future."""
    latest = (
        GuidanceSession.objects.filter(agreement=OuterRef("agreement"))
        .order_by("-held_on", "-id")
        .values("pk")[:1]
    )
    qs = (
        GuidanceSession.objects.filter(next_session_at__gt=now, agreement__declined_on__isnull=True)
        .annotate(latest_pk=Subquery(latest))
        .filter(pk=F("latest_pk"))
        .select_related("agreement__municipality", "agreement__regional_program__program")
        .defer("internal_note")
    )
    if program_id is not None:
        qs = qs.filter(agreement__regional_program__program_id=program_id)
    return qs.prefetch_related("agreement__advisors")


def coordinators_by_agreement(sessions) -> dict[int, Recipient]:
    """The coordinator of each agreement's municipal group, for agreements that asked for it. One query."""
    wanted = [s.agreement for s in sessions if s.agreement.remind_coordinator]
    if not wanted:
        return {}
    groups = MunicipalGroup.objects.filter(
        regional_program_id__in={a.regional_program_id for a in wanted},
        municipality_id__in={a.municipality_id for a in wanted},
    ).prefetch_related(Prefetch("members", queryset=MunicipalGroupMember.objects.filter(is_coordinator=True)))
    by_key = {(g.regional_program_id, g.municipality_id): g for g in groups}
    result = {}
    for a in wanted:
        group = by_key.get((a.regional_program_id, a.municipality_id))
        if group is None:
            continue
        # The group's coordinator fields, or else the member marked as coordinator.
        member = next(iter(group.members.all()), None)
        email = group.coordinator_email or (member.email if member else "")
        name = group.coordinator_name or (member.name if member else "")
        if email:
            result[a.pk] = Recipient(email=email, name=name)
    return result


class NextSession(DeadlineOccasion):
    code = NEXT_SESSION
    placeholders = REGION_PLACEHOLDER
    label = _("Neste veiledningsmøte")
    description = _(
        "Til veilederne i avtalen, noen dager før neste avtalte veiledningsmøte. Er det valgt i avtalen, også "
        "til kommunegruppens koordinator, med kalenderoppføring. Hoppes over hvis møtet er flyttet eller "
        "kommunen har takket nei."
    )
    template = TEMPLATE
    default_offsets = (3,)

    def scopes(self, *, now):
        return [SCOPE]

    def targets(self, *, now, program_id=None):
        sessions = list(latest_planning_sessions(now=now, program_id=program_id))
        coordinators = coordinators_by_agreement(sessions)
        for session in sessions:
            agreement = session.agreement
            recipients = [
                Recipient(email=a.email, name=a.get_full_name(), user_id=a.pk)
                for a in agreement.advisors.all()
                if a.is_active
            ]
            if agreement.pk in coordinators:
                recipients.append(coordinators[agreement.pk])
            if not recipients:
                continue
            yield Target(
                scope=SCOPE,
                key=meeting_key(agreement.pk, session.next_session_at),
                deadline=session.next_session_at,
                recipients=recipients,
                context={
                    "agreement": agreement.pk,
                    "session": session.pk,
                    "at": _stamp(session.next_session_at),
                },
                program_id=agreement.regional_program.program_id,
            )

    def prepare(self, deliveries, *, configs):
        now = timezone.now()
        agreement_ids = {d.context["agreement"] for d in deliveries}
        current = {
            s.agreement_id: s
            for s in latest_planning_sessions(now=now).filter(agreement_id__in=agreement_ids)
        }
        result = {}
        for delivery in deliveries:
            session = current.get(delivery.context["agreement"])
            if session is None or _stamp(session.next_session_at) != delivery.context.get("at"):
                result[delivery.pk] = None
                continue
            agreement = session.agreement
            is_advisor = any(
                a.email.lower() == delivery.recipient_email.lower() for a in agreement.advisors.all()
            )
            link = site_link(reverse("guidance:agreement_detail", args=[agreement.pk]))
            when = deadline_display(session.next_session_at)
            context = {
                "agreement": agreement,
                "municipality": agreement.municipality,
                "regional_program": agreement.regional_program,
                "when": when,
                "next_steps": session.next_steps,
                "link": link,
                "for_advisor": is_advisor,
                "offset": delivery.context.get("offset"),
            }
            context = self.with_overrides(
                context,
                delivery=delivery,
                config=configs.get(delivery.program_id, self),
                values={
                    "frist": when,
                    "program": agreement.regional_program.program.name,
                    "region": agreement.regional_program.name,
                    "lenke": link,
                },
            )
            # The coordinator (usually without an account) gets the meeting as a calendar entry.
            attachments = (
                ()
                if is_advisor
                else (Attachment.calendar("veiledningsmote.ics", planned_session_ics(session)),)
            )
            result[delivery.pk] = Prepared(
                template=TEMPLATE,
                context=context,
                variant="advisor" if is_advisor else "coordinator",
                attachments=attachments,
            )
        return result

    def about(self, deliveries):
        """«Stad, møtet 11. desember 2026 kl. 13:00» per row: one advisor's rows for several municipalities
        tell apart on leadership's list. One query."""
        rows = [d for d in deliveries if d.context.get("agreement") is not None and d.context.get("at")]
        if not rows:
            return {}
        agreements = (
            GuidanceAgreement.objects.select_related("municipality")
            .only("municipality__name")
            .in_bulk({d.context["agreement"] for d in rows})
        )
        result = {}
        for row in rows:
            agreement = agreements.get(row.context["agreement"])
            if agreement is None:
                continue
            when = deadline_display(dt.datetime.fromtimestamp(row.context["at"], tz=dt.UTC))
            result[row.pk] = gettext("%(municipality)s, møtet %(when)s") % {
                "municipality": agreement.municipality.name,
                "when": when,
            }
        return result


register(NextSession())
