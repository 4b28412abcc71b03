"""Leadership's decisions and the decision letters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_log
from programs.models import RegionalProgram
from reminders.outbox import message_send

from ..models import (
    Application,
    ApplicationStatus,
    Decision,
    DecisionLetterTemplate,
    DecisionOutcome,
)
from ..selectors import accepted_count, applications_missing_review
from .drafting import _recipients_for
from .groups import municipal_group_create_from_application

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
        # no "more applicants than places": a letter must not state what may not be true (issue 12)
        "Takk for søknaden fra {kommune} til {regionalt_program} ({programperiode}). Kommunen står nå på "
        "venteliste. Vi tar kontakt hvis det blir en ledig plass.\n\n"
        "Med vennlig hilsen\nprogramledelsen, Norsk kulturskoleråd",
    ),
    DecisionOutcome.DECLINED: (
        "Vedtak: søknaden fra {kommune} til {regionalt_program}",
        "Takk for søknaden fra {kommune} til {regionalt_program} ({programperiode}). Kommunen fikk dessverre "
        "ikke plass denne gangen.\n\nMed vennlig hilsen\n"
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
            details={"outcome": outcome},
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


def decision_over_capacity(
    *, regional_program: RegionalProgram, application: Application, outcome: str, accepted: int | None = None
) -> bool:
    """Accepting this application now would take more municipalities than the programme has places.

    `accepted` is the number already accepted when the caller has it (one query less)."""
    if outcome != DecisionOutcome.ACCEPTED or application.status == ApplicationStatus.ACCEPTED:
        return False
    if regional_program.places is None:
        return False
    if accepted is None:
        accepted = accepted_count(regional_program=regional_program)
    return accepted >= regional_program.places


@dataclass(frozen=True)
class DecisionPreview:
    """The confirm step: the letter that will be sent, and what speaks against deciding now."""

    subject: str
    body: str
    warnings: list[str]


def decision_preview(
    *, application: Application, outcome: str, over_capacity: bool, before_deadline: bool
) -> DecisionPreview:
    rp = application.regional_program
    subject, body = decision_letter_template_for(regional_program=rp, outcome=outcome)
    missing, total = applications_missing_review(regional_program=rp)
    warnings = []
    if before_deadline:
        warnings.append(_("Søknadsfristen er ikke ute."))
    if missing:
        warnings.append(_("%(n)s av %(m)s søknader mangler vurdering.") % {"n": missing, "m": total})
    if outcome == DecisionOutcome.WAITLISTED and rp.places is not None:
        accepted = accepted_count(regional_program=rp)
        if accepted < rp.places:
            warnings.append(
                _(
                    "Det er fortsatt ledige plasser: %(accepted)s av %(places)s er tatt opp. Vil du likevel sette "
                    "kommunen på venteliste?"
                )
                % {"accepted": accepted, "places": rp.places}
            )
    if over_capacity:
        warnings.append(
            _("Alle %(places)s plassene er fylt; dette opptaket går utover antall plasser.")
            % {"places": rp.places}
        )
    return DecisionPreview(
        subject=decision_letter_render(application=application, text=subject),
        body=decision_letter_render(application=application, text=body),
        warnings=warnings,
    )


def decision_letters_preview(*, application: Application) -> list[tuple[str, str, str, str]]:
    """(outcome, label, subject, body) of the letter each outcome would send this application."""
    rows = []
    for value, label in DecisionOutcome.choices:
        subject, body = decision_letter_template_for(
            regional_program=application.regional_program, outcome=value
        )
        rows.append(
            (
                value,
                str(label),
                decision_letter_render(application=application, text=subject),
                decision_letter_render(application=application, text=body),
            )
        )
    return rows


def _decision_application_locked(
    *, application: Application, regional_program: RegionalProgram, outcome: str
) -> Application:
    """The application, locked for the decision, if it may get this outcome now."""
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
    return application


def _decision_confirmed(
    *,
    application: Application,
    regional_program: RegionalProgram,
    outcome: str,
    confirm_over_capacity: bool,
    confirm_before_deadline: bool,
) -> tuple[Application, bool, bool]:
    """(the application locked, before the deadline, over capacity), once both were confirmed if needed."""
    rp = regional_program
    before_deadline = decision_is_before_deadline(regional_program=rp)
    if before_deadline and not confirm_before_deadline:
        raise ValidationError(
            {
                "confirm_before_deadline": _(
                    "Søknadsfristen er ikke ute. Bekreft at du vil fatte vedtak før fristen."
                )
            }
        )
    application = _decision_application_locked(application=application, regional_program=rp, outcome=outcome)
    over_capacity = decision_over_capacity(regional_program=rp, application=application, outcome=outcome)
    if over_capacity and not confirm_over_capacity:
        raise ValidationError(
            {
                "confirm_over_capacity": _(
                    "Alle %(places)s plassene er fylt. Bekreft at du vil ta opp flere enn antall plasser."
                )
                % {"places": rp.places}
            }
        )
    return application, before_deadline, over_capacity


def _decision_store(
    *,
    actor: User,
    application: Application,
    regional_program: RegionalProgram,
    outcome: str,
    over_capacity: bool,
) -> Decision:
    """The decision with its letter rendered from the programme's template for this outcome."""
    subject, body = decision_letter_template_for(regional_program=regional_program, outcome=outcome)
    decision, _created = Decision.objects.update_or_create(
        application=application,
        defaults={
            "outcome": outcome,
            "letter_subject": decision_letter_render(application=application, text=subject),
            "letter_text": decision_letter_render(application=application, text=body),
            "over_capacity_confirmed": over_capacity,
            "decided_by": actor,
            "decided_at": timezone.now(),
        },
    )
    return decision


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
        application, before_deadline, over_capacity = _decision_confirmed(
            application=application,
            regional_program=rp,
            outcome=outcome,
            confirm_over_capacity=confirm_over_capacity,
            confirm_before_deadline=confirm_before_deadline,
        )
        decision = _decision_store(
            actor=actor,
            application=application,
            regional_program=rp,
            outcome=outcome,
            over_capacity=over_capacity,
        )
        previous = application.status
        application.status = outcome
        application.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=actor,
            action="applications.application.decided",
            obj=application,
            details={
                "from": previous,
                "outcome": outcome,
                "over_capacity": over_capacity,
                "before_deadline": before_deadline,
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
            program_id=rp.program_id,
            context={"application": application, "decision": decision, "group": group},
        )
    return decision
