"""Every write on applications, selection and municipal groups. Each service owns its transaction and audit row."""

from __future__ import annotations

import datetime as dt
import secrets
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Role, User
from accounts.permissions import role_scope
from audit.services import audit_log, changed_fields
from programs.groups import (
    coordinator_claim,
    municipal_group_create,
    municipal_group_member_delete,  # noqa: F401 - re-exported for the views
    municipal_group_member_save,  # noqa: F401 - re-exported for the views
)
from programs.models import GroupMemberBase, RegionalProgram
from programs.selectors import regional_program_municipalities
from reminders.outbox import Recipient, message_send

from .models import (
    Application,
    ApplicationAttachment,
    ApplicationDeadlineExtension,
    ApplicationGroupMember,
    ApplicationStatus,
    Decision,
    DecisionLetterTemplate,
    DecisionOutcome,
    DraftRecovery,
    JuryMember,
    MunicipalGroup,
    MunicipalGroupMember,
    Review,
    ReviewScore,
    SelectionCriterion,
)
from .permissions import application_is_open_for_changes, speaks_for_municipality
from .selectors import accepted_count, application_deadline_for, contacts_of

TEXT_FIELDS = ("motivation", "development_links", "anchoring", "anchoring_decided_on", "commitment")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
MAX_RECOVERIES = 10
# Extension → the signatures its content may start with. Office's legacy formats are OLE2 files, the
# modern ones (and OpenDocument) are zip packages.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
ALLOWED_ATTACHMENTS = {
    "pdf": (b"%PDF-",),
    "doc": (OLE2,),
    "xls": (OLE2,),
    "ppt": (OLE2,),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "pptx": (ZIP,),
    "odt": (ZIP,),
    "ods": (ZIP,),
    "odp": (ZIP,),
}


# --- Application window --------------------------------------------------------------------------------------


def application_window_update(
    *,
    actor: User,
    regional_program: RegionalProgram,
    applications_open_at: dt.datetime | None,
    application_deadline: dt.datetime | None,
    places: int | None,
    applicant_guidance: str,
) -> RegionalProgram:
    if applications_open_at and application_deadline and application_deadline <= applications_open_at:
        raise ValidationError({"application_deadline": _("Søknadsfristen må være etter at søknadene åpner.")})
    data = {
        "applications_open_at": applications_open_at,
        "application_deadline": application_deadline,
        "places": places,
        "applicant_guidance": applicant_guidance,
    }
    with transaction.atomic():
        changes = changed_fields(regional_program, data)
        for name, value in data.items():
            setattr(regional_program, name, value)
        regional_program.save(update_fields=list(data))
        audit_log(
            actor=actor,
            action="applications.window.updated",
            obj=regional_program,
            details={"endringer": changes},
        )
    return regional_program


CRITERIA_LOCKED_MESSAGE = _lazy(
    "Juryen har allerede levert vurderinger i dette regionale programmet. Kriterier kan derfor ikke "
    "legges til eller slettes, og vektene kan ikke endres: det ville endret poengsummene og rangeringen "
    "som er levert. Navn og beskrivelse kan fortsatt rettes."
)


def criteria_locked(*, regional_program: RegionalProgram) -> bool:
    """True once any jury member has submitted a review: the criteria and weights behind the scores stay."""
    return Review.objects.filter(
        application__regional_program=regional_program, submitted_at__isnull=False
    ).exists()


def selection_criterion_save(
    *,
    actor: User,
    regional_program: RegionalProgram,
    criterion: SelectionCriterion | None = None,
    name: str,
    description: str = "",
    weight: int = 1,
    position: int = 0,
) -> SelectionCriterion:
    if not 1 <= weight <= 10:
        raise ValidationError({"weight": _("Vekten må være et heltall fra 1 til 10.")})
    with transaction.atomic():
        locked = criteria_locked(regional_program=regional_program)
        if locked and criterion is None:
            raise ValidationError(CRITERIA_LOCKED_MESSAGE)
        if locked and criterion is not None and criterion.weight != weight:
            raise ValidationError({"weight": CRITERIA_LOCKED_MESSAGE})
        if criterion is None:
            criterion = SelectionCriterion.objects.create(
                regional_program=regional_program,
                name=name,
                description=description,
                weight=weight,
                position=position,
            )
            audit_log(
                actor=actor, action="applications.criterion.created", obj=criterion, details={"vekt": weight}
            )
        else:
            data = {"name": name, "description": description, "weight": weight, "position": position}
            changes = changed_fields(criterion, data)
            for key, value in data.items():
                setattr(criterion, key, value)
            criterion.save()
            audit_log(actor=actor, action="applications.criterion.updated", obj=criterion, details=changes)
    return criterion


def selection_criterion_delete(*, actor: User, criterion: SelectionCriterion) -> None:
    with transaction.atomic():
        if criteria_locked(regional_program=criterion.regional_program):
            raise ValidationError(CRITERIA_LOCKED_MESSAGE)
        audit_log(
            actor=actor,
            action="applications.criterion.deleted",
            obj=criterion,
            details={"navn": criterion.name},
        )
        criterion.delete()


def application_deadline_extension_grant(
    *, actor: User, regional_program: RegionalProgram, municipality, deadline: dt.datetime, reason: str = ""
) -> ApplicationDeadlineExtension:
    if (
        not regional_program_municipalities(regional_program=regional_program)
        .filter(pk=municipality.pk)
        .exists()
    ):
        raise ValidationError(
            {"municipality": _("Kommunen er ikke en medlemskommune i dette regionale programmet.")}
        )
    with transaction.atomic():
        extension, created = ApplicationDeadlineExtension.objects.update_or_create(
            regional_program=regional_program,
            municipality=municipality,
            defaults={"deadline": deadline, "reason": reason, "granted_by": actor},
        )
        audit_log(
            actor=actor,
            action="applications.deadline_extension.granted",
            obj=extension,
            details={"kommune": municipality.name, "frist": deadline, "ny": created},
        )
    return extension


def application_deadline_extension_revoke(*, actor: User, extension: ApplicationDeadlineExtension) -> None:
    with transaction.atomic():
        audit_log(actor=actor, action="applications.deadline_extension.revoked", obj=extension)
        extension.delete()


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
        when = (
            timezone.localtime(current.text_updated_at).strftime("%d.%m.%Y kl. %H:%M")
            if current.text_updated_at
            else ""
        )
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
                details={"felt": sorted(changes)},
            )
        if submitted_change:
            _receipt_send(actor=actor, application=application, resubmission=True)
    return application


MEMBER_FIELDS = GroupMemberBase.FIELDS


def draft_recovery_store(
    *, application: Application, data: dict[str, Any], fields: tuple[str, ...] = TEXT_FIELDS
) -> str:
    """Keep text posted by an expired session; returns the token to carry through the login."""
    token = secrets.token_urlsafe(24)
    # PostgreSQL's JSON cannot hold NUL characters; nobody types them on purpose.
    clean = {k: str(v).replace("\x00", "")[:20000] for k, v in data.items() if k in fields}
    # No actor and no audit row: nothing on the application changes until a logged-in person saves.
    DraftRecovery.objects.create(application=application, token=token, data=clean)
    # Anyone can post here, so the pile is bounded: two weeks, and the newest few per application.
    cutoff = timezone.now() - dt.timedelta(days=14)
    DraftRecovery.objects.filter(created_at__lt=cutoff).delete()
    keep = DraftRecovery.objects.filter(application=application).order_by("-created_at", "-id")[
        :MAX_RECOVERIES
    ]
    DraftRecovery.objects.filter(application=application).exclude(
        pk__in=list(keep.values_list("pk", flat=True))
    ).delete()
    return token


def draft_recovery_take(
    *, application: Application, token: str, fields: tuple[str, ...] = TEXT_FIELDS
) -> dict[str, Any] | None:
    recovery = DraftRecovery.objects.filter(application=application, token=token).first()
    if recovery is None:
        return None
    return {k: v for k, v in recovery.data.items() if k in fields}


def draft_recovery_discard(*, application: Application, token: str) -> None:
    DraftRecovery.objects.filter(application=application, token=token).delete()


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
            details={"på_nytt": resubmission},
        )
        _receipt_send(actor=actor, application=application, resubmission=resubmission)
    return application


def _receipt_send(*, actor: User, application: Application, resubmission: bool) -> None:
    message_send(
        occasion="applications.application_receipt",
        key=f"application:{application.pk}:{application.submitted_at.isoformat()}",
        recipients=_recipients_for(application, extra=[actor]),
        template="applications/email/application_receipt",
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
            details={"fra": previous},
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
    fields = ("name", "email", "phone", "sector", "role_title", "is_coordinator")
    values = {k: data[k] for k in fields if k in data}
    with transaction.atomic():
        if values.get("is_coordinator"):
            coordinator_claim(application.group_members.all(), member=member)
        if member is None:
            member = ApplicationGroupMember.objects.create(application=application, **values)
            action, details = "applications.group_member.added", {"navn": member.name}
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
            details={"navn": member.name},
        )
        application = member.application
        member.delete()
        _keep_submitted_complete(application)


def _check_attachment(upload: UploadedFile) -> str:
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_ATTACHMENTS:
        raise ValidationError(
            {"file": _("Bare PDF og Office-filer (Word, Excel, PowerPoint, OpenDocument) er tillatt.")}
        )
    if upload.size is None or upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("Filen er større enn 10 MB.")})
    if upload.size == 0:
        raise ValidationError({"file": _("Filen er tom.")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in ALLOWED_ATTACHMENTS[ext]):
        raise ValidationError(
            {"file": _("Innholdet i filen stemmer ikke med filtypen .%(ext)s.") % {"ext": ext}}
        )
    if head.startswith(ZIP):
        try:
            with zipfile.ZipFile(upload) as package:
                names = set(package.namelist())
        except zipfile.BadZipFile as exc:
            raise ValidationError({"file": _("Filen er skadet eller ikke et Office-dokument.")}) from exc
        finally:
            upload.seek(0)
        if "[Content_Types].xml" not in names and "mimetype" not in names:
            raise ValidationError({"file": _("Filen er ikke et Office-dokument.")})
    return ext


def application_attachment_add(
    *, actor: User, application: Application, upload: UploadedFile
) -> ApplicationAttachment:
    _assert_open(application)
    _check_attachment(upload)
    if application.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": _("En søknad kan ha høyst %(n)s vedlegg.") % {"n": MAX_ATTACHMENTS}})
    with transaction.atomic():
        attachment = ApplicationAttachment(
            application=application,
            original_name=(upload.name or "vedlegg")[-255:],
            size=upload.size,
            uploaded_by=actor,
        )
        attachment.file.save(upload.name or "vedlegg", upload, save=False)
        attachment.save()
        audit_log(
            actor=actor,
            action="applications.attachment.added",
            obj=application,
            details={"fil": attachment.original_name, "bytes": attachment.size},
        )
    return attachment


def application_attachment_delete(*, actor: User, attachment: ApplicationAttachment) -> None:
    _assert_open(attachment.application)
    with transaction.atomic():
        audit_log(
            actor=actor,
            action="applications.attachment.removed",
            obj=attachment.application,
            details={"fil": attachment.original_name},
        )
        storage, path = attachment.file.storage, attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(path))


def application_recommend(
    *, actor: User, application: Application, recommendation: str, priority: int | None
) -> Application:
    if application.municipality.county.branch_id not in role_scope(actor).branch_ids:
        raise ValidationError(_("Bare fylkesstyret i kommunens fylkesavdeling kan gi anbefaling."))
    if application.status in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN):
        raise ValidationError(_("Anbefaling kan bare gis til innsendte søknader."))
    if priority is not None and not 1 <= priority <= 999:
        raise ValidationError({"recommendation_priority": _("Prioriteten må være et tall fra 1 til 999.")})
    with transaction.atomic():
        changes = changed_fields(
            application, {"recommendation": recommendation, "recommendation_priority": priority}
        )
        application.recommendation = recommendation
        application.recommendation_priority = priority
        application.recommended_by = actor
        application.recommended_at = timezone.now()
        application.save(
            update_fields=[
                "recommendation",
                "recommendation_priority",
                "recommended_by",
                "recommended_at",
                "updated_at",
            ]
        )
        audit_log(
            actor=actor, action="applications.application.recommended", obj=application, details=changes
        )
    return application


# --- Jury ------------------------------------------------------------------------------------------------


def _invite(*, actor: User, email: str, full_name: str, role: str, municipality=None) -> User | None:
    """Invite by e-mail (accounts adds the role straight away for someone who already has an account)."""
    from accounts.services import invitation_create

    invitation_create(actor=actor, email=email, full_name=full_name, role=role, municipality=municipality)
    return User.objects.filter(email__iexact=email, is_active=True).first()


def jury_member_add(
    *, actor: User, regional_program: RegionalProgram, email: str, full_name: str = ""
) -> JuryMember:
    """Name a person to the jury. Someone without the jury role (or without an account) gets an invitation."""
    email = email.strip().lower()
    with transaction.atomic():
        if JuryMember.objects.filter(regional_program=regional_program, email__iexact=email).exists():
            raise ValidationError(
                {"email": _("Personen er allerede jurymedlem i dette regionale programmet.")}
            )
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None or Role.JURY_MEMBER not in role_scope(user).roles:
            user = _invite(actor=actor, email=email, full_name=full_name, role=Role.JURY_MEMBER)
        member = JuryMember.objects.create(
            regional_program=regional_program,
            user=user,
            email=email,
            full_name=full_name or (user.full_name if user else ""),
            added_by=actor,
        )
        audit_log(
            actor=actor,
            action="applications.jury_member.added",
            obj=member,
            details={"e-post": email, "invitert": user is None},
        )
    return member


def jury_memberships_claim(*, user: User) -> int:
    """Link jury places that were given to this e-mail before the person had an account."""
    with transaction.atomic():
        rows = list(
            JuryMember.objects.select_for_update().filter(user__isnull=True, email__iexact=user.email)
        )
        for member in rows:
            member.user = user
            member.save(update_fields=["user"])
            audit_log(actor=user, action="applications.jury_member.linked", obj=member)
    return len(rows)


def jury_member_remove(*, actor: User, member: JuryMember) -> None:
    if member.reviews.filter(submitted_at__isnull=False).exists():
        raise ValidationError(_("Jurymedlemmet har levert vurderinger og kan ikke fjernes."))
    with transaction.atomic():
        audit_log(actor=actor, action="applications.jury_member.removed", obj=member)
        member.delete()


def jury_assignments_set(*, actor: User, member: JuryMember, applications: list[Application]) -> None:
    """Make the member's assignments exactly `applications`; submitted reviews are never taken away."""
    wanted = {a.pk for a in applications}
    if any(a.regional_program_id != member.regional_program_id for a in applications):
        raise ValidationError(_("Søknadene må høre til samme regionale program som juryen."))
    with transaction.atomic():
        current = {r.application_id: r for r in member.reviews.all()}
        added = [pk for pk in wanted if pk not in current]
        removed = [r for pk, r in current.items() if pk not in wanted and r.submitted_at is None]
        Review.objects.bulk_create([Review(application_id=pk, jury_member=member) for pk in added])
        Review.objects.filter(pk__in=[r.pk for r in removed]).delete()
        audit_log(
            actor=actor,
            action="applications.jury_assignments.updated",
            obj=member,
            details={"tildelt": sorted(added), "fjernet": sorted(r.application_id for r in removed)},
        )


def review_conflict_declare(*, actor: User, review: Review, has_conflict: bool, note: str = "") -> Review:
    if review.jury_member.user_id != actor.pk:
        raise ValidationError(_("Dette er ikke din vurdering."))
    if review.submitted_at is not None:
        raise ValidationError(_("Vurderingen er levert; inhabilitet kan ikke endres."))
    if has_conflict and not note.strip():
        raise ValidationError({"conflict_note": _("Skriv kort hvorfor du er inhabil.")})
    with transaction.atomic():
        review.has_conflict = has_conflict
        review.conflict_note = note.strip() if has_conflict else ""
        review.save(update_fields=["has_conflict", "conflict_note", "updated_at"])
        audit_log(
            actor=actor,
            action="applications.review.conflict_declared",
            obj=review,
            details={"inhabil": has_conflict, "begrunnelse": review.conflict_note},
        )
    return review


def review_save(
    *, actor: User, review: Review, scores: dict[int, int | None], comment: str, submit: bool
) -> Review:
    """Save scores (1–5 per criterion id) and comment; `submit` requires every criterion scored."""
    if review.jury_member.user_id != actor.pk:
        raise ValidationError(_("Dette er ikke din vurdering."))
    if review.has_conflict is not False:
        raise ValidationError(_("Svar på spørsmålet om inhabilitet før du vurderer søknaden."))
    if review.submitted_at is not None:
        raise ValidationError(_("Vurderingen er allerede levert."))
    criteria = {
        c.pk: c
        for c in SelectionCriterion.objects.filter(regional_program_id=review.application.regional_program_id)
    }
    errors = {}
    for criterion_id, value in scores.items():
        if criterion_id not in criteria:
            raise ValidationError(_("Ukjent kriterium."))
        if value is not None and not 1 <= value <= 5:
            errors[f"criterion_{criterion_id}"] = _("Poengene må være fra 1 til 5.")
    if submit:
        for criterion_id in criteria:
            if scores.get(criterion_id) is None:
                errors[f"criterion_{criterion_id}"] = _("Gi poeng før du leverer.")
        if not criteria:
            raise ValidationError(_("Programmet har ingen kriterier ennå."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for criterion_id, value in scores.items():
            if value is None:
                ReviewScore.objects.filter(review=review, criterion_id=criterion_id).delete()
            else:
                ReviewScore.objects.update_or_create(
                    review=review, criterion_id=criterion_id, defaults={"score": value}
                )
        review.comment = comment
        fields = ["comment", "updated_at"]
        if submit:
            review.submitted_at = timezone.now()
            fields.append("submitted_at")
        review.save(update_fields=fields)
        audit_log(
            actor=actor,
            action="applications.review.submitted" if submit else "applications.review.saved",
            obj=review,
            details={"poeng": {str(k): v for k, v in scores.items()}},
        )
    return review


# --- Decisions and letters -----------------------------------------------------------------------------------

DEFAULT_LETTERS = {
    DecisionOutcome.ACCEPTED: (
        "Vedtak: {kommune} er tatt opp i {regionalt_program}",
        "Vi har gleden av å melde at {kommune} er tatt opp i {regionalt_program} ({programperiode}).\n\n"
        "Kommunegruppen er nå registrert, og koordinatoren får tilgang til Kulturskoleprogram. Der finner dere "
        "samlinger, forberedelser og mellomarbeid.\n\nVi gleder oss til samarbeidet.\n\nMed vennlig hilsen\n"
        "programledelsen, Norsk kulturskoleråd",
    ),
    DecisionOutcome.WAITLISTED: (
        "Vedtak: {kommune} står på venteliste til {regionalt_program}",
        "Takk for søknaden fra {kommune} til {regionalt_program} ({programperiode}). Det var flere søkere enn "
        "plasser, og kommunen står nå på venteliste. Vi tar kontakt hvis det blir en ledig plass.\n\n"
        "Med vennlig hilsen\nprogramledelsen, Norsk kulturskoleråd",
    ),
    DecisionOutcome.DECLINED: (
        "Vedtak: søknaden fra {kommune} til {regionalt_program}",
        "Takk for søknaden fra {kommune} til {regionalt_program} ({programperiode}). Det var flere søkere enn "
        "plasser, og kommunen fikk dessverre ikke plass denne gangen.\n\nMed vennlig hilsen\n"
        "programledelsen, Norsk kulturskoleråd",
    ),
}


def decision_letter_template_for(*, regional_program: RegionalProgram, outcome: str) -> tuple[str, str]:
    template = DecisionLetterTemplate.objects.filter(
        regional_program=regional_program, outcome=outcome
    ).first()
    if template:
        return template.subject, template.body
    return DEFAULT_LETTERS[DecisionOutcome(outcome)]


def decision_letter_template_save(
    *, actor: User, regional_program: RegionalProgram, outcome: str, subject: str, body: str
) -> DecisionLetterTemplate:
    if outcome not in DecisionOutcome.values:
        raise ValidationError({"outcome": _("Ukjent vedtak.")})
    with transaction.atomic():
        template, _created = DecisionLetterTemplate.objects.update_or_create(
            regional_program=regional_program, outcome=outcome, defaults={"subject": subject, "body": body}
        )
        audit_log(
            actor=actor,
            action="applications.letter_template.saved",
            obj=regional_program,
            details={"vedtak": outcome},
        )
    return template


def decision_letter_render(*, application: Application, text: str) -> str:
    # Plain placeholder replacement: leadership edits the text, so no template language runs on it.
    values = {
        "{kommune}": application.municipality.name,
        "{regionalt_program}": application.regional_program.name,
        "{programperiode}": application.regional_program.program.name,
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def decision_is_before_deadline(*, regional_program: RegionalProgram, now: dt.datetime | None = None) -> bool:
    """True while the programme's deadline, or any municipality's extended deadline, has not passed."""
    now = now or timezone.now()
    deadlines = [
        regional_program.application_deadline,
        *regional_program.deadline_extensions.values_list("deadline", flat=True),
    ]
    return any(d is not None and d > now for d in deadlines)


def decision_make(
    *,
    actor: User,
    application: Application,
    outcome: str,
    confirm_over_capacity: bool = False,
    confirm_before_deadline: bool = False,
) -> Decision:
    """Decide, store the letter with the application and send it; acceptance creates the municipal group.
    Before the application deadline this needs `confirm_before_deadline`."""
    if outcome not in DecisionOutcome.values:
        raise ValidationError({"outcome": _("Velg et gyldig vedtak.")})
    with transaction.atomic():
        rp = RegionalProgram.objects.select_for_update().get(pk=application.regional_program_id)
        before_deadline = decision_is_before_deadline(regional_program=rp)
        if before_deadline and not confirm_before_deadline:
            raise ValidationError(
                {
                    "confirm_before_deadline": _(
                        "Søknadsfristen er ikke ute. Bekreft at du vil fatte vedtak før fristen."
                    )
                }
            )
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("regional_program__program", "municipality__county__branch")
            .get(pk=application.pk)
        )
        if application.status in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN):
            raise ValidationError(_("Bare innsendte søknader kan få vedtak."))
        if (
            application.status == ApplicationStatus.ACCEPTED
            and outcome != DecisionOutcome.ACCEPTED
            and application.municipal_group_id is not None
        ):
            # The group may already have registrations and guidance; undoing that is a separate, manual step.
            raise ValidationError(
                {"outcome": _("Kommunen er tatt opp og har en kommunegruppe. Vedtaket kan ikke endres her.")}
            )
        over_capacity = False
        if outcome == DecisionOutcome.ACCEPTED and application.status != ApplicationStatus.ACCEPTED:
            over_capacity = rp.places is not None and accepted_count(regional_program=rp) >= rp.places
            if over_capacity and not confirm_over_capacity:
                raise ValidationError(
                    {
                        "confirm_over_capacity": _(
                            "Alle %(places)s plassene er fylt. Bekreft at du vil ta opp flere enn antall plasser."
                        )
                        % {"places": rp.places}
                    }
                )
        subject, body = decision_letter_template_for(regional_program=rp, outcome=outcome)
        subject = decision_letter_render(application=application, text=subject)
        body = decision_letter_render(application=application, text=body)
        previous = application.status
        decision, _created = Decision.objects.update_or_create(
            application=application,
            defaults={
                "outcome": outcome,
                "letter_subject": subject,
                "letter_text": body,
                "over_capacity_confirmed": over_capacity,
                "decided_by": actor,
                "decided_at": timezone.now(),
            },
        )
        application.status = outcome
        application.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=actor,
            action="applications.application.decided",
            obj=application,
            details={
                "fra": previous,
                "vedtak": outcome,
                "over_kapasitet": over_capacity,
                "før_fristen": before_deadline,
            },
        )
        group = None
        if outcome == DecisionOutcome.ACCEPTED:
            group = municipal_group_create_from_application(actor=actor, application=application)
        message_send(
            occasion="applications.decision_letter",
            key=f"decision:{decision.pk}:{outcome}:{decision.decided_at.isoformat()}",
            recipients=_recipients_for(application),
            template="applications/email/decision_letter",
            context={"application": application, "decision": decision, "group": group},
        )
    return decision


def municipal_group_create_from_application(*, actor: User, application: Application) -> MunicipalGroup:
    """The accepted application's proposed group becomes the municipality's group (a programs service)."""
    with transaction.atomic():
        group, _created = municipal_group_create(
            actor=actor,
            regional_program=application.regional_program,
            municipality=application.municipality,
            members=application.group_members.all(),
        )
        if application.municipal_group_id != group.pk:
            application.municipal_group = group
            application.save(update_fields=["municipal_group"])
    return group


# --- Personal data (export and erasure per person) ---------------------------------------------------------

ERASED_NAME = "Slettet person"


def personal_data_export(*, email: str) -> dict[str, list[dict[str, Any]]]:
    """Everything this app holds about one e-mail address: proposed and actual group memberships, jury places."""
    email = email.strip()
    proposed = ApplicationGroupMember.objects.filter(email__iexact=email).select_related(
        "application__municipality", "application__regional_program"
    )
    members = MunicipalGroupMember.objects.filter(email__iexact=email).select_related(
        "group__municipality", "group__regional_program"
    )
    jury = JuryMember.objects.filter(email__iexact=email).select_related("regional_program")
    return {
        "foreslått_kommunegruppe": [
            {
                "søknad": str(m.application),
                "navn": m.name,
                "e-post": m.email,
                "telefon": m.phone,
                "sektor": m.get_sector_display(),
                "stilling": m.role_title,
                "koordinator": m.is_coordinator,
            }
            for m in proposed
        ],
        "kommunegruppe": [
            {
                "kommunegruppe": str(m.group),
                "navn": m.name,
                "e-post": m.email,
                "telefon": m.phone,
                "sektor": m.get_sector_display(),
                "stilling": m.role_title,
                "koordinator": m.is_coordinator,
            }
            for m in members
        ],
        "jury": [
            {"regionalt_program": str(j.regional_program), "navn": j.full_name, "e-post": j.email}
            for j in jury
        ],
    }


def personal_data_erase(*, actor: User, email: str) -> int:
    """Blank the name, e-mail and phone of this person in groups and proposals; the rows stay so counts and
    history hold. Jury places keep the review (the selection must stay explainable) but lose the name.
    Returns how many rows were changed."""
    email = email.strip()
    changed = 0
    with transaction.atomic():
        for model in (ApplicationGroupMember, MunicipalGroupMember):
            changed += model.objects.filter(email__iexact=email).update(
                name=ERASED_NAME, email="", phone="", role_title=""
            )
        for group in MunicipalGroup.objects.filter(coordinator_email__iexact=email):
            group.coordinator_name, group.coordinator_email, group.coordinator_phone = ERASED_NAME, "", ""
            group.save(update_fields=["coordinator_name", "coordinator_email", "coordinator_phone"])
            changed += 1
        for member in JuryMember.objects.filter(email__iexact=email):
            member.full_name = ERASED_NAME
            member.email = f"slettet-{member.pk}@invalid.example"
            member.save(update_fields=["full_name", "email"])
            changed += 1
        # Only a count and no address in the log: the log must not keep what was erased.
        audit_log(actor=actor, action="applications.personal_data.erased", details={"rader": changed})
    return changed
