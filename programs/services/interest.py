"""Interest (interessemelding): a county branch's board registers the branch's interest in an edition before its
deadline, with a receipt by e-mail; leadership can give one branch a later deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log, audit_value, changed_fields
from core.dates import datetime_display
from core.models import model_validate
from municipalities.models import CountyBranch, Municipality
from reminders.outbox import Recipient, message_send

from ..models import InterestDeadlineExtension, InterestRegistration, Program
from ..reminders import INTEREST_DEADLINE_EXTENDED
from ..selectors import branch_member_municipalities, interest_deadline_for
from ..timing import deadline_is_open
from .dialogue_meetings import dialogue_meeting_request_from_registration

REGISTRATION_FIELDS = [
    "level",
    "contact_name",
    "contact_email",
    "contact_phone",
    "dialogue_meeting_wanted",
    "dialogue_meeting_times",
    "dialogue_meeting_topic",
    "comment",
]


def _oslo(value: dt.datetime) -> str:
    return datetime_display(value)


class RegistrationConflict(ValidationError):
    """Someone else saved the registration after this form was opened."""

    def __init__(self, current: InterestRegistration):
        self.current = current
        who = current.updated_by.get_full_name() if current.updated_by else _("en annen")
        super().__init__(
            _(
                "Interessemeldingen ble endret av %(who)s %(when)s mens du skrev. Endringene dine er ikke lagret: "
                "se hva som er lagret nå, flett inn det du vil beholde og lagre på nytt."
            )
            % {"who": who, "when": _oslo(current.updated_at)},
            code="conflict",
        )


class DeadlinePassed(ValidationError):
    def __init__(self, deadline: dt.datetime):
        self.deadline = deadline
        super().__init__(
            _("Fristen for interessemelding gikk ut %(when)s. Meldingen kan ikke lenger endres.")
            % {"when": _oslo(deadline)},
            code="deadline_passed",
        )


def _validate_municipalities(*, branch: CountyBranch, municipalities) -> list[Municipality]:
    allowed = {m.pk: m for m in branch_member_municipalities(branch=branch)}
    chosen = list(municipalities)
    wrong = [m for m in chosen if m.pk not in allowed]
    if wrong:
        raise ValidationError(
            {
                "municipalities": _("%(names)s er ikke medlemskommune i fylkesavdelingens fylker.")
                % {"names": ", ".join(m.name for m in wrong)}
            }
        )
    return sorted(chosen, key=lambda m: m.name)


def _registration_validate(data: dict[str, Any]) -> None:
    reg = InterestRegistration(**{k: data.get(k, "") for k in REGISTRATION_FIELDS if k in data})
    model_validate(reg, exclude=["program", "branch", "version"], validate_unique=False)


@transaction.atomic
def interest_registration_save(
    *,
    actor,
    program: Program,
    branch: CountyBranch,
    data: dict[str, Any],
    municipalities,
    expected_version: int,
) -> InterestRegistration:
    """Create or update the branch's registration; refuses after the deadline and on a stale version.

    `expected_version` is the version the form was opened with (0 for a new registration).
    """
    now = timezone.now()
    deadline = interest_deadline_for(program=program, branch=branch)
    if not deadline_is_open(deadline, now):
        raise DeadlinePassed(deadline)
    _registration_validate(data)
    chosen = _validate_municipalities(branch=branch, municipalities=municipalities)
    values = {k: data[k] for k in REGISTRATION_FIELDS if k in data}

    current = _registration_locked(program=program, branch=branch, expected_version=expected_version)
    if current is None:
        registration = _registration_create(actor=actor, program=program, branch=branch, values=values)
        registration.municipalities.set(chosen)
        action = "programs.interest_registration.created"
        changes = _creation_changes(values=values, municipalities=chosen)
    else:
        registration = current
        changes = _registration_changes(registration=registration, values=values, municipalities=chosen)
        if not changes:
            return registration
        for name, value in values.items():
            setattr(registration, name, value)
        registration.updated_by = actor
        registration.version = current.version + 1
        registration.save()
        registration.municipalities.set(chosen)
        action = "programs.interest_registration.updated"

    audit_log(actor=actor, action=action, obj=registration, details={"changed_fields": changes})
    if registration.dialogue_meeting_wanted:
        dialogue_meeting_request_from_registration(actor=actor, registration=registration)
    _interest_receipt_send(registration=registration, actor=actor, municipalities=chosen)
    return registration


def _registration_locked(
    *, program: Program, branch: CountyBranch, expected_version: int
) -> InterestRegistration | None:
    """The saved registration, locked, if it is still the one the form was opened with (none if new)."""
    current = (
        InterestRegistration.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(program=program, branch=branch)
        .order_by()
        .first()
    )
    if current is not None and current.version != expected_version:
        raise RegistrationConflict(current)
    if current is None and expected_version != 0:
        raise ValidationError(_("Interessemeldingen finnes ikke lenger. Last siden på nytt."), code="gone")
    return current


def _registration_create(
    *, actor, program: Program, branch: CountyBranch, values: dict[str, Any]
) -> InterestRegistration:
    registration = InterestRegistration(program=program, branch=branch, updated_by=actor, version=1, **values)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        # Another board member created it in the same instant: treat as a conflict.
        current = InterestRegistration.objects.select_related("updated_by").get(
            program=program, branch=branch
        )
        raise RegistrationConflict(current) from None
    return registration


def _creation_changes(*, values: dict[str, Any], municipalities: list[Municipality]) -> dict[str, Any]:
    changes = {
        k: {"from": None, "to": audit_value(v)} for k, v in values.items() if v not in ("", None, False)
    }
    changes["municipalities"] = {"from": None, "to": ", ".join(m.name for m in municipalities)}
    return changes


def _registration_changes(
    *, registration: InterestRegistration, values: dict[str, Any], municipalities: list[Municipality]
) -> dict[str, Any]:
    changes = changed_fields(registration, values)
    before = sorted(m.name for m in registration.municipalities.all())
    after = [m.name for m in municipalities]
    if before != after:
        changes["municipalities"] = {"from": ", ".join(before), "to": ", ".join(after)}
    return changes


def _interest_receipt_send(*, registration: InterestRegistration, actor, municipalities) -> None:
    branch = registration.branch
    recipients = [
        Recipient(email=registration.contact_email, name=registration.contact_name),
        Recipient(email=actor.email, name=actor.get_full_name(), user_id=actor.pk),
    ]
    if branch.email:
        recipients.append(Recipient(email=branch.email, name=branch.name))
    message_send(
        occasion="programs.interest_receipt",
        key=f"interest:{registration.pk}:v{registration.version}",
        recipients=recipients,
        template="programs/email/interest_receipt",
        program_id=registration.program_id,
        context={
            "registration": registration,
            "program": registration.program,
            "branch": branch,
            "municipalities": list(municipalities),
            "actor_name": actor.get_full_name(),
            "deadline": interest_deadline_for(program=registration.program, branch=branch),
        },
    )


@transaction.atomic
def interest_deadline_extend(
    *, actor, program: Program, branch: CountyBranch, deadline: dt.datetime
) -> InterestDeadlineExtension:
    """Give one branch its own, later deadline (leadership reopens a locked registration this way)."""
    if timezone.is_naive(deadline):
        raise ValidationError({"deadline": _("Fristen må ha tidssone.")})
    from ..forms import extension_error

    error = extension_error(program=program, deadline=deadline)
    if error:
        raise ValidationError({"deadline": error})
    existing = (
        InterestDeadlineExtension.objects.select_for_update()
        .filter(program=program, branch=branch)
        .order_by()
        .first()
    )
    before = existing.deadline if existing else None
    if existing:
        existing.deadline = deadline
        existing.granted_by = actor
        existing.save(update_fields=["deadline", "granted_by"])
        extension = existing
    else:
        extension = InterestDeadlineExtension.objects.create(
            program=program, branch=branch, deadline=deadline, granted_by=actor
        )
    audit_log(
        actor=actor,
        action="programs.interest_deadline_extension.granted",
        obj=extension,
        details={
            "branch": branch.name,
            "changed_fields": {"deadline": {"from": before, "to": deadline}},
            "notice_recipients": INTEREST_DEADLINE_EXTENDED.notify(extension=extension),
        },
    )
    return extension
