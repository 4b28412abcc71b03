"""Guidance sessions (advisors): log, change, delete. Past the agreed hours a session is still saved; the result
says so, for the warning.

The internal note of a session never goes into an audit row: the log records that it changed, not what it
says, so the note cannot leak through the log's readable view or its search.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_log, changed_fields
from core.dates import date_display, datetime_display
from programs.timing import OSLO

from ..models import GuidanceAgreement, GuidanceSession, GuidanceSessionTheme, Theme
from ..permissions import is_advisor_of_agreement

SESSION_FIELDS = (
    "held_on",
    "duration_minutes",
    "form",
    "other_participants",
    "summary",
    "next_steps",
    "next_session_at",
    "plan_revision",
)
# A next meeting further ahead is a typing error (a year like 2207), not a plan.
NEXT_SESSION_WITHIN = dt.timedelta(days=366)


@dataclass(frozen=True)
class SessionResult:
    session: GuidanceSession
    used_minutes: int
    agreed_minutes: int
    # The meeting booked earlier that this entry (logged with empty next-meeting fields) kept, if any.
    kept_next_at: dt.datetime | None = None

    @property
    def over_frame(self) -> bool:
        return self.used_minutes > self.agreed_minutes


def held_on_check(held_on: dt.date) -> None:
    """A logged session was held: not after today (in Oslo). A planned one is the next meeting of an entry.
    The form asks too, so the error comes in the same round as the others."""
    if held_on > timezone.localdate(timezone=OSLO):
        raise ValidationError(
            _(
                "Datoen kan ikke være etter i dag: her føres møter som er holdt. Et møte som skal holdes, "
                "skriver du under «Neste møte»."
            )
        )


def _check_session(
    *, actor: User, agreement: GuidanceAgreement, data: dict[str, Any], themes: Sequence[str]
) -> None:
    if not is_advisor_of_agreement(actor, agreement):
        raise ValidationError(_("Du er ikke veileder for denne kommunen."))
    if agreement.declined_on is not None:
        raise ValidationError(_("Kommunen har takket nei til veiledning; møter kan ikke føres."))
    held_on = data["held_on"]
    try:
        held_on_check(held_on)
    except ValidationError as exc:
        raise ValidationError({"held_on": exc.messages}) from None
    if not agreement.covers(held_on):
        raise ValidationError(
            {
                "held_on": _("Datoen må være innenfor avtaleperioden (%(start)s–%(end)s).")
                % {"start": date_display(agreement.starts_on), "end": date_display(agreement.ends_on)}
            }
        )
    if not themes:
        raise ValidationError({"themes": _("Velg minst ett tema.")})
    if set(themes) - set(Theme.values):
        raise ValidationError({"themes": _("Ukjent tema.")})
    if not 1 <= int(data["duration_minutes"]) <= 24 * 60:
        raise ValidationError({"duration_minutes": _("Varigheten må være mellom 1 og 1440 minutter.")})
    next_at = data.get("next_session_at")
    if next_at is not None and timezone.localdate(next_at) <= held_on:
        raise ValidationError({"next_session_at": _("Neste møte må være etter dette møtet.")})
    if next_at is not None and timezone.localdate(next_at) > held_on + NEXT_SESSION_WITHIN:
        raise ValidationError({"next_session_at": _("Neste møte må være innen ett år etter dette møtet.")})
    revision = data.get("plan_revision")
    if revision is not None and (
        revision.plan.regional_program_id != agreement.regional_program_id
        or revision.plan.municipality_id != agreement.municipality_id
    ):
        raise ValidationError({"plan_revision": _("Velg en versjon av denne kommunens utviklingsplan.")})


def _check_participants(agreement: GuidanceAgreement, participants: Sequence[Any]) -> None:
    from programs.models import MunicipalGroupMember

    ok = set(
        MunicipalGroupMember.objects.filter(
            group__regional_program_id=agreement.regional_program_id,
            group__municipality_id=agreement.municipality_id,
            pk__in=[p.pk for p in participants],
        ).values_list("pk", flat=True)
    )
    if {p.pk for p in participants} - ok:
        raise ValidationError({"participants": _("Deltakerne må være medlemmer av kommunegruppen.")})


def booked_next_kept(agreement: GuidanceAgreement, *, held_on: dt.date) -> dt.datetime | None:
    """The meeting the agreement's latest entry booked, if a session held on `held_on` and logged without a
    next meeting leaves it standing: it lies ahead (now, and after that day). A session held on or after the
    booked day is that meeting (or a later one): it consumes the booking. A session held before the latest
    entry does not touch the plan at all, so there is nothing to keep."""
    latest = (
        GuidanceSession.objects.filter(agreement=agreement)
        .order_by("-held_on", "-id")
        .values("held_on", "next_session_at")
        .first()
    )
    if latest is None or latest["next_session_at"] is None:
        return None
    booked = latest["next_session_at"]
    if booked <= timezone.now() or held_on < latest["held_on"] or timezone.localdate(booked) <= held_on:
        return None
    return booked


def _used_minutes(agreement: GuidanceAgreement) -> int:
    return GuidanceSession.objects.filter(agreement=agreement).aggregate(m=Sum("duration_minutes"))["m"] or 0


def _set_themes(session: GuidanceSession, themes: Sequence[str]) -> None:
    session.theme_rows.all().delete()
    GuidanceSessionTheme.objects.bulk_create(
        [GuidanceSessionTheme(session=session, theme=t) for t in sorted(set(themes))]
    )


def _theme_labels(themes: Iterable[str]) -> list[str]:
    labels = dict(Theme.choices)
    return [str(labels[t]) for t in sorted(set(themes))]


def session_create(
    *,
    actor: User,
    agreement: GuidanceAgreement,
    data: dict[str, Any],
    themes: Sequence[str],
    participants: Sequence[Any] = (),
    internal_note: str = "",
    cancel_booked_next: bool = False,
) -> SessionResult:
    """Log a session. Past the agreed hours it is still saved; the result says so, for the warning.

    Without a next meeting, a meeting booked earlier that still lies ahead of this session stays booked (the
    entry carries it on), unless `cancel_booked_next` says it was called off: see `booked_next_kept`.
    """
    data = {k: data[k] for k in SESSION_FIELDS if k in data}
    kept = cancelled = None
    with transaction.atomic():
        # One writer per agreement at a time, so the hours in the warning are the real ones; the rules are
        # checked against the agreement as it is now (declined meanwhile, period changed).
        agreement = GuidanceAgreement.objects.select_for_update().get(pk=agreement.pk)
        _check_session(actor=actor, agreement=agreement, data=data, themes=themes)
        if data.get("next_session_at") is None:
            booked = booked_next_kept(agreement, held_on=data["held_on"])
            if cancel_booked_next:
                cancelled = booked
            else:
                kept = data["next_session_at"] = booked
        if participants:
            _check_participants(agreement, participants)
        session = GuidanceSession.objects.create(
            agreement=agreement,
            advisor=actor,
            theme_count=len(set(themes)),
            internal_note=internal_note,
            **data,
        )
        _set_themes(session, themes)
        if participants:
            session.participants.set(participants)
        used = _used_minutes(agreement)
        details = {
            "held_on": data["held_on"],
            "duration_minutes": data["duration_minutes"],
            "form": data["form"],
            "themes": _theme_labels(themes),
        }
        if internal_note:
            details["internal_note_written"] = True
        if used > agreement.agreed_minutes:
            details["over_frame"] = True
        if kept is not None:
            details["next_session_kept"] = datetime_display(kept)
        if cancelled is not None:
            details["next_session_cancelled"] = datetime_display(cancelled)
        audit_log(actor=actor, action="guidance.session.created", obj=session, details=details)
    return SessionResult(
        session=session, used_minutes=used, agreed_minutes=agreement.agreed_minutes, kept_next_at=kept
    )


def session_update(
    *,
    actor: User,
    session: GuidanceSession,
    data: dict[str, Any],
    themes: Sequence[str],
    participants: Sequence[Any] | None = None,
    internal_note: str | None = None,
) -> SessionResult:
    if session.advisor_id != actor.pk:
        raise ValidationError(_("Bare veilederen som førte møtet, kan endre det."))
    data = {k: data[k] for k in SESSION_FIELDS if k in data}
    with transaction.atomic():
        agreement = GuidanceAgreement.objects.select_for_update().get(pk=session.agreement_id)
        _check_session(actor=actor, agreement=agreement, data=data, themes=themes)
        if participants:
            _check_participants(agreement, participants)
        session = GuidanceSession.objects.select_for_update().get(pk=session.pk)
        changes: dict[str, Any] = changed_fields(session, data)
        old_themes = sorted(session.theme_rows.values_list("theme", flat=True))
        if old_themes != sorted(set(themes)):
            changes["themes"] = {"from": _theme_labels(old_themes), "to": _theme_labels(themes)}
        for name, value in data.items():
            setattr(session, name, value)
        session.theme_count = len(set(themes))
        if internal_note is not None and internal_note != session.internal_note:
            session.internal_note = internal_note
            # That it changed, never what it says.
            changes["internal_note_changed"] = True
        session.save()
        _set_themes(session, themes)
        if participants is not None:
            before = sorted(session.participants.values_list("pk", flat=True))
            if before != sorted(p.pk for p in participants):
                session.participants.set(participants)
                changes["participants_changed"] = True
        used = _used_minutes(agreement)
        if changes:
            audit_log(actor=actor, action="guidance.session.updated", obj=session, details=changes)
    return SessionResult(session=session, used_minutes=used, agreed_minutes=agreement.agreed_minutes)


def session_delete(*, actor: User, session: GuidanceSession) -> None:
    """Delete an own entry. The audit row keeps what it was (never the internal note)."""
    if session.advisor_id != actor.pk:
        raise ValidationError(_("Bare veilederen som førte møtet, kan slette det."))
    with transaction.atomic():
        session = (
            GuidanceSession.objects.select_for_update()
            .select_related("agreement__municipality")
            .get(pk=session.pk)
        )
        themes = list(session.theme_rows.values_list("theme", flat=True))
        audit_log(
            actor=actor,
            action="guidance.session.deleted",
            obj=session,
            details={
                "municipality": str(session.agreement.municipality),
                "held_on": session.held_on,
                "duration_minutes": session.duration_minutes,
                "form": session.form,
                "themes": _theme_labels(themes),
                "summary": session.summary,
            },
        )
        session.delete()
