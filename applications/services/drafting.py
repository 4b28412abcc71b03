"""Writing an application: create, save the draft, submit, withdraw, receipts, proposed group members."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_log, changed_fields
from core.dates import datetime_display
from programs.models import GroupMemberBase, RegionalProgram
from programs.selectors import regional_program_municipalities
from programs.services.groups import (
    coordinator_claim,
    group_member_cap_check,
    member_email_check,
    member_values,
)
from reminders.outbox import Recipient, message_send

from ..models import (
    Application,
    ApplicationGroupMember,
    ApplicationStatus,
)
from ..permissions import application_is_open_for_changes, speaks_for_municipality
from ..selectors import application_deadline_for, contacts_of

TEXT_FIELDS = ("motivation", "development_links", "anchoring", "anchoring_decided_on", "commitment")
# --- Writing an application ----------------------------------------------------------------------------------


def application_create(*, actor: User, regional_program: RegionalProgram, municipality) -> Application:
    """Start a draft. Only a member municipality in the region's counties, once, while the window is open."""
    if not speaks_for_municipality(actor, municipality):
        raise ValidationError(_("Du kan ikke søke på vegne av denne kommunen."))
    if not municipality.is_member:
        raise ValidationError({"municipality": _("Bare medlemskommuner i Norsk kulturskoleråd kan søke.")})
    if (
        not regional_program_municipalities(regional_program=regional_program)
        .filter(pk=municipality.pk)
        .exists()
    ):
        raise ValidationError({"municipality": _("Kommunen hører ikke til regionen for dette programmet.")})
    now = timezone.now()
    if regional_program.application_deadline is None or (
        regional_program.applications_open_at and now < regional_program.applications_open_at
    ):
        raise ValidationError(_("Søknadene til dette regionale programmet er ikke åpnet ennå."))
    deadline = application_deadline_for(regional_program=regional_program, municipality=municipality)
    if deadline is not None and now > deadline:
        raise ValidationError(_("Søknadsfristen har gått ut."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                regional_program=regional_program, municipality=municipality, created_by=actor
            )
            audit_log(actor=actor, action="applications.application.created", obj=application)
    except IntegrityError as exc:
        raise ValidationError(_("Kommunen har allerede en søknad til dette regionale programmet.")) from exc
    return application


def _assert_open(application: Application) -> None:
    if not application_is_open_for_changes(application):
        raise ValidationError(
            _("Søknaden kan ikke endres lenger: fristen har gått ut eller vedtak er fattet.")
        )


def application_checklist(application: Application) -> list[tuple[str, bool]]:
    """What a complete application has, in the order of the form. Uses the prefetched group members."""
    members = list(application.group_members.all())
    coordinators = [m for m in members if m.is_coordinator]
    return [
        (_("Hvorfor kommunen vil delta og hva dere vil utvikle"), bool(application.motivation.strip())),
        (
            _("Koblinger til barnehage, SFO, skole og andre tjenester"),
            bool(application.development_links.strip()),
        ),
        (_("Forankring, politisk og administrativt"), bool(application.anchoring.strip())),
        (_("Minst to medlemmer i kommunegruppen"), len(members) >= 2),
        (_("Én koordinator i kommunegruppen"), len(coordinators) == 1),
        (_("Forpliktelse til å delta på samlingene og i mellomarbeidet"), application.commitment),
    ]


REQUIRED_WHEN_SUBMITTED = {
    "motivation": lambda a: bool(a.motivation.strip()),
    "development_links": lambda a: bool(a.development_links.strip()),
    "anchoring": lambda a: bool(a.anchoring.strip()),
    "commitment": lambda a: bool(a.commitment),
}


class ApplicationConflict(ValidationError):
    """Someone else saved the text since the form was opened. `current` is the application as stored now."""

    def __init__(self, current: Application):
        self.current = current
        who = current.text_updated_by.get_full_name() if current.text_updated_by else _("en annen")
        when = datetime_display(current.text_updated_at) if current.text_updated_at else ""
        super().__init__(
            _(
                "Søknaden ble endret av %(who)s %(when)s mens du skrev. Endringene dine er ikke lagret, men "
                "står fortsatt i skjemaet. Se over hva som er lagret nå, og lagre igjen for å overskrive."
            )
            % {"who": who, "when": when},
            code="conflict",
        )


def application_draft_save(
    *,
    actor: User,
    application: Application,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> Application:
    """Store whatever valid section values were given; unknown keys are ignored. Never changes the status of
    a draft. A submitted application stays submitted: the change must keep it complete (otherwise nothing is
    stored and the fields that would go missing are named), and an updated receipt is sent.

    `expected_version` is the version the form was opened with; a stale one raises ApplicationConflict and
    stores nothing. None skips the check (text recovered after an expired session carries no version)."""
    _assert_open(application)
    values = {k: v for k, v in data.items() if k in TEXT_FIELDS}
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("regional_program__program", "municipality__county__branch", "text_updated_by")
            .get(pk=application.pk)
        )
        if expected_version is not None and expected_version != application.version:
            raise ApplicationConflict(application)
        changes = changed_fields(application, values)
        for key, value in values.items():
            setattr(application, key, value)
        fields = [*values, "updated_at"]
        if application.status == ApplicationStatus.WITHDRAWN:
            application.status = ApplicationStatus.DRAFT
            fields.append("status")
        submitted_change = application.status == ApplicationStatus.SUBMITTED and bool(changes)
        if submitted_change:
            missing = {
                name: _(
                    "Søknaden er sendt inn, så dette feltet må fylles ut. Den innsendte versjonen er beholdt."
                )
                for name, done in REQUIRED_WHEN_SUBMITTED.items()
                if not done(application)
            }
            if missing:
                raise ValidationError(missing)
            application.submitted_at = timezone.now()
            application.submitted_by = actor
            application.edited_after_submit = False
            fields += ["submitted_at", "submitted_by", "edited_after_submit"]
        if changes:
            application.version += 1
            application.text_updated_by = actor
            application.text_updated_at = timezone.now()
            fields += ["version", "text_updated_by", "text_updated_at"]
        application.save(update_fields=fields)
        if changes:
            audit_log(
                actor=actor,
                action="applications.application.submitted_updated"
                if submitted_change
                else "applications.application.draft_saved",
                obj=application,
                details={"fields": sorted(changes)},
            )
        if submitted_change:
            _receipt_send(actor=actor, application=application, resubmission=True)
    return application


MEMBER_FIELDS = GroupMemberBase.FIELDS


def _recipients_for(application: Application, *, extra: list[User] | None = None) -> list[Recipient]:
    recipients = [
        Recipient(email=u.email, name=u.full_name, user_id=u.pk)
        for u in contacts_of(application.municipality)
    ]
    for member in application.group_members.all():
        if member.is_coordinator:
            recipients.append(Recipient(email=member.email, name=member.name))
    for user in extra or []:
        recipients.append(Recipient(email=user.email, name=user.full_name, user_id=user.pk))
    branch = application.municipality.county.branch
    if branch and branch.email:
        recipients.append(Recipient(email=branch.email, name=branch.name))
    return recipients


def application_submit(*, actor: User, application: Application) -> Application:
    _assert_open(application)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("regional_program__program", "municipality__county__branch")
            .get(pk=application.pk)
        )
        missing = [label for label, done in application_checklist(application) if not done]
        if missing:
            raise ValidationError(_("Søknaden mangler: %(missing)s.") % {"missing": ", ".join(missing)})
        resubmission = application.submitted_at is not None
        now = timezone.now()
        application.status = ApplicationStatus.SUBMITTED
        application.submitted_at = now
        application.submitted_by = actor
        application.edited_after_submit = False
        application.save(
            update_fields=["status", "submitted_at", "submitted_by", "edited_after_submit", "updated_at"]
        )
        audit_log(
            actor=actor,
            action="applications.application.submitted",
            obj=application,
            details={"resubmission": resubmission},
        )
        _receipt_send(actor=actor, application=application, resubmission=resubmission)
    return application


def _receipt_send(*, actor: User, application: Application, resubmission: bool) -> None:
    message_send(
        occasion="applications.application_receipt",
        key=f"application:{application.pk}:{(application.submitted_at or timezone.now()).isoformat()}",
        recipients=_recipients_for(application, extra=[actor]),
        template="applications/email/application_receipt",
        program_id=application.regional_program.program_id,
        context={
            "application": application,
            "members": list(application.group_members.all()),
            "attachments": list(application.attachments.all()),
            "resubmission": resubmission,
        },
    )


def application_withdraw(*, actor: User, application: Application) -> Application:
    _assert_open(application)
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED):
        raise ValidationError(_("Søknaden kan ikke trekkes."))
    with transaction.atomic():
        previous = application.status
        application.status = ApplicationStatus.WITHDRAWN
        application.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=actor,
            action="applications.application.withdrawn",
            obj=application,
            details={"from": previous},
        )
    return application


def application_group_member_save(
    *,
    actor: User,
    application: Application,
    member: ApplicationGroupMember | None = None,
    data: dict[str, Any],
) -> ApplicationGroupMember:
    _assert_open(application)
    values = member_values(data)
    with transaction.atomic():
        Application.objects.select_for_update(of=("self",)).filter(pk=application.pk).first()
        member_email_check(application.group_members.all(), email=values.get("email", ""), member=member)
        if values.get("is_coordinator"):
            coordinator_claim(application.group_members.all(), member=member)
        if member is None:
            group_member_cap_check(application.group_members.all())
            member = ApplicationGroupMember.objects.create(application=application, **values)
            action = "applications.group_member.added"
            details: dict[str, Any] = {"name": member.name}
        else:
            details = changed_fields(member, values)
            for key, value in values.items():
                setattr(member, key, value)
            member.save()
            action = "applications.group_member.updated"
        _keep_submitted_complete(application)
        Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())
        audit_log(actor=actor, action=action, obj=application, details=details)
    return member


def _keep_submitted_complete(application: Application) -> None:
    """Inside the change's transaction: a submitted application must stay complete, or the change is undone."""
    current = Application.objects.prefetch_related("group_members").get(pk=application.pk)
    if current.status != ApplicationStatus.SUBMITTED:
        return
    missing = [label for label, done in application_checklist(current) if not done]
    if missing:
        raise ValidationError(
            _(
                "Søknaden er sendt inn og må være komplett, så endringen er ikke lagret. Den ville gitt: "
                "%(missing)s mangler."
            )
            % {"missing": ", ".join(missing)}
        )


def application_group_member_delete(*, actor: User, member: ApplicationGroupMember) -> None:
    _assert_open(member.application)
    with transaction.atomic():
        audit_log(
            actor=actor,
            action="applications.group_member.removed",
            obj=member.application,
            details={"name": member.name},
        )
        application = member.application
        member.delete()
        _keep_submitted_complete(application)
