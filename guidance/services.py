"""Every write on guidance. Each service validates, owns its transaction and writes its audit row.

The internal note of a session never goes into an audit row: the log records that it changed, not what it
says, so the note cannot leak through the log's readable view or its search.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import is_advisor
from audit.services import audit_log, changed_fields
from core.dates import date_display

from .models import (
    CalendarFeed,
    DevelopmentPlan,
    DevelopmentPlanComment,
    DevelopmentPlanRevision,
    GuidanceAgreement,
    GuidanceSession,
    GuidanceSessionTheme,
    Theme,
)
from .permissions import can_comment_plan, can_revise_plan, forget_advisor_scope, is_advisor_of_agreement

AGREEMENT_FIELDS = (
    "agreed_hours",
    "starts_on",
    "ends_on",
    "focus_themes",
    "agreement_text",
    "municipal_contact_name",
    "municipal_contact_email",
    "municipal_contact_phone",
    "council_contact_name",
    "council_contact_email",
    "remind_coordinator",
)
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
PLAN_FIELDS = (
    "where_we_are",
    "where_we_want_to_go",
    "how_we_get_there",
    "development_areas",
    "effect_goals",
    "change_note",
)


def _names(users: Iterable[User]) -> list[str]:
    return sorted(u.get_full_name() for u in users)


def _check_advisors(advisors: Iterable[User]) -> list[User]:
    advisors = list(advisors)
    ids = [a.pk for a in advisors]
    valid = set(
        User.objects.filter(pk__in=ids, is_active=True, role_assignments__role=Role.ADVISOR).values_list(
            "pk", flat=True
        )
    )
    if set(ids) - valid:
        raise ValidationError({"advisors": _("Bare aktive personer med rollen veileder kan være veiledere.")})
    return advisors


def _check_agreement(data: dict[str, Any]) -> None:
    if data["ends_on"] < data["starts_on"]:
        raise ValidationError({"ends_on": _("Perioden må slutte etter at den begynner.")})
    if Decimal(data["agreed_hours"]) < 0:
        raise ValidationError({"agreed_hours": _("Avtalte timer kan ikke være negativt.")})
    unknown = set(data.get("focus_themes") or []) - set(Theme.values)
    if unknown:
        raise ValidationError({"focus_themes": _("Ukjent tema.")})


# --- agreements (leadership) ---------------------------------------------------------------------------


def agreement_create(
    *, actor: User, regional_program, municipality, data: dict[str, Any], advisors: Iterable[User] = ()
) -> GuidanceAgreement:
    data = {k: data[k] for k in AGREEMENT_FIELDS if k in data}
    _check_agreement(data)
    advisors = _check_advisors(advisors)
    with transaction.atomic():
        if GuidanceAgreement.objects.filter(
            regional_program=regional_program, municipality=municipality
        ).exists():
            raise ValidationError(
                _("Kommunen har allerede en veiledningsavtale i dette regionale programmet.")
            )
        agreement = GuidanceAgreement.objects.create(
            regional_program=regional_program, municipality=municipality, **data
        )
        agreement.advisors.set(advisors)
        audit_log(
            actor=actor,
            action="guidance.agreement.created",
            obj=agreement,
            details={
                "agreed_hours": data.get("agreed_hours"),
                "starts_on": data["starts_on"],
                "ends_on": data["ends_on"],
                "advisors": _names(advisors),
            },
        )
    return agreement


def agreement_update(
    *, actor: User, agreement: GuidanceAgreement, data: dict[str, Any], advisors: Iterable[User] | None = None
) -> GuidanceAgreement:
    data = {k: data[k] for k in AGREEMENT_FIELDS if k in data}
    _check_agreement(
        {
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            **{"agreed_hours": agreement.agreed_hours},
            **data,
        }
    )
    with transaction.atomic():
        agreement = GuidanceAgreement.objects.select_for_update().get(pk=agreement.pk)
        changes = changed_fields(agreement, data)
        for name, value in data.items():
            setattr(agreement, name, value)
        agreement.save()
        if advisors is not None:
            advisors = _check_advisors(advisors)
            before = _names(agreement.advisors.all())
            after = _names(advisors)
            if before != after:
                agreement.advisors.set(advisors)
                changes["advisors"] = {"from": before, "to": after}
        if changes:
            audit_log(actor=actor, action="guidance.agreement.updated", obj=agreement, details=changes)
    return agreement


def agreement_decline(
    *, actor: User, agreement: GuidanceAgreement, declined_on: dt.date | None, note: str = ""
) -> GuidanceAgreement:
    """Record that the municipality declined the offer (with the date), or undo it with `declined_on=None`."""
    with transaction.atomic():
        agreement = GuidanceAgreement.objects.select_for_update().get(pk=agreement.pk)
        was = agreement.declined_on
        agreement.declined_on = declined_on
        agreement.declined_note = note if declined_on else ""
        agreement.save(update_fields=["declined_on", "declined_note", "updated_at"])
        audit_log(
            actor=actor,
            action="guidance.agreement.declined" if declined_on else "guidance.agreement.decline_undone",
            obj=agreement,
            details={"declined_on": declined_on or was, "declined_note": note}
            if declined_on
            else {"declined_on": was},
        )
    return agreement


@dataclass(frozen=True)
class AssignmentRow:
    municipality: Any
    advisors: Sequence[User]
    agreed_hours: Decimal


def region_assign(
    *,
    actor: User,
    regional_program,
    rows: Sequence[AssignmentRow],
    starts_on: dt.date | None,
    ends_on: dt.date | None,
) -> int:
    """Leadership's one page for a region: advisors and hours per municipality. New agreements get the period.

    Returns how many agreements were created or changed. Rows with no advisor and no hours and no agreement
    yet are left alone.
    """
    existing = {
        a.municipality_id: a
        for a in GuidanceAgreement.objects.filter(regional_program=regional_program).prefetch_related(
            "advisors"
        )
    }
    touched = 0
    with transaction.atomic():
        for row in rows:
            agreement = existing.get(row.municipality.pk)
            if agreement is None:
                if not row.advisors and not row.agreed_hours:
                    continue
                if starts_on is None or ends_on is None:
                    raise ValidationError(
                        _(
                            "Oppgi perioden for nye avtaler (fra og til) før du tildeler veiledere til nye kommuner."
                        )
                    )
                agreement_create(
                    actor=actor,
                    regional_program=regional_program,
                    municipality=row.municipality,
                    data={"agreed_hours": row.agreed_hours, "starts_on": starts_on, "ends_on": ends_on},
                    advisors=row.advisors,
                )
                touched += 1
                continue
            same_people = {a.pk for a in agreement.advisors.all()} == {a.pk for a in row.advisors}
            if same_people and agreement.agreed_hours == row.agreed_hours:
                continue
            agreement_update(
                actor=actor,
                agreement=agreement,
                data={"agreed_hours": row.agreed_hours},
                advisors=row.advisors,
            )
            touched += 1
    forget_advisor_scope(actor)
    return touched


# --- sessions (advisors) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionResult:
    session: GuidanceSession
    used_minutes: int
    agreed_minutes: int

    @property
    def over_frame(self) -> bool:
        return self.used_minutes > self.agreed_minutes


def _check_session(
    *, actor: User, agreement: GuidanceAgreement, data: dict[str, Any], themes: Sequence[str]
) -> None:
    if not is_advisor_of_agreement(actor, agreement):
        raise ValidationError(_("Du er ikke veileder for denne kommunen."))
    if agreement.declined_on is not None:
        raise ValidationError(_("Kommunen har takket nei til veiledning; møter kan ikke føres."))
    held_on = data["held_on"]
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
) -> SessionResult:
    """Log a session. Past the agreed hours it is still saved; the result says so, for the warning."""
    data = {k: data[k] for k in SESSION_FIELDS if k in data}
    with transaction.atomic():
        # One writer per agreement at a time, so the hours in the warning are the real ones; the rules are
        # checked against the agreement as it is now (declined meanwhile, period changed).
        agreement = GuidanceAgreement.objects.select_for_update().get(pk=agreement.pk)
        _check_session(actor=actor, agreement=agreement, data=data, themes=themes)
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
        audit_log(actor=actor, action="guidance.session.created", obj=session, details=details)
    return SessionResult(session=session, used_minutes=used, agreed_minutes=agreement.agreed_minutes)


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


# --- the development plan (the municipality writes, the advisor comments) ------------------------------


def plan_revise(
    *, actor: User, agreement: GuidanceAgreement, data: dict[str, Any]
) -> DevelopmentPlanRevision:
    """Write a new revision of the municipality's plan; earlier revisions stay as they were."""
    if not can_revise_plan(actor, agreement):
        raise ValidationError(_("Bare kommunen selv kan skrive utviklingsplanen."))
    data = {k: (data.get(k) or "").strip() for k in PLAN_FIELDS}
    missing = {
        k: _("Skriv noe her.")
        for k in ("where_we_are", "where_we_want_to_go", "how_we_get_there")
        if not data[k]
    }
    if missing:
        raise ValidationError(missing)
    with transaction.atomic():
        plan, _created = DevelopmentPlan.objects.get_or_create(
            regional_program_id=agreement.regional_program_id, municipality_id=agreement.municipality_id
        )
        plan = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
        number = (plan.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        revision = DevelopmentPlanRevision.objects.create(plan=plan, number=number, created_by=actor, **data)
        audit_log(
            actor=actor,
            action="guidance.plan.revised",
            obj=plan,
            details={"number": number, "change_note": data["change_note"]},
        )
    return revision


def plan_comment_add(
    *, actor: User, agreement: GuidanceAgreement, revision: DevelopmentPlanRevision, text: str
) -> DevelopmentPlanComment:
    if not can_comment_plan(actor, agreement):
        raise ValidationError(_("Bare veiledere og programledelsen kan kommentere planen."))
    if revision.plan.municipality_id != agreement.municipality_id or (
        revision.plan.regional_program_id != agreement.regional_program_id
    ):
        raise ValidationError(_("Versjonen hører ikke til denne planen."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Skriv en kommentar.")})
    with transaction.atomic():
        comment = DevelopmentPlanComment.objects.create(revision=revision, author=actor, text=text)
        audit_log(
            actor=actor,
            action="guidance.plan.commented",
            obj=revision.plan,
            details={"number": revision.number},
        )
    return comment


# --- the advisor's calendar feed -----------------------------------------------------------------------


def calendar_feed_renew(*, actor: User) -> CalendarFeed:
    """Create the advisor's secret calendar address, or replace it (the old address stops working)."""
    if not is_advisor(actor):
        raise ValidationError(_("Bare veiledere har kalender for veiledningsmøter."))
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(
            user=actor, defaults={"token": CalendarFeed.new_token()}
        )
        if not created:
            feed.token = CalendarFeed.new_token()
            feed.save(update_fields=["token"])
        audit_log(
            actor=actor,
            action="guidance.calendar_feed.created" if created else "guidance.calendar_feed.renewed",
            obj=feed,
        )
    return feed


def calendar_feed_revoke(*, actor: User) -> None:
    with transaction.atomic():
        feed = CalendarFeed.objects.filter(user=actor).first()
        if feed is None:
            return
        audit_log(actor=actor, action="guidance.calendar_feed.revoked", obj=feed)
        feed.delete()
