"""Reminders this app declares (see reminders/occasions.py): the application deadline.

Member municipalities of a regional programme that have not submitted an application are reminded before
their deadline (their own extension if leadership granted one), at the municipality's address and to its
municipal contacts. A municipality with an unsent draft gets the "unsent draft" variant. At send time the
row is skipped if the municipality has submitted (or withdrawn, which is a decision too) meanwhile.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from municipalities.models import Municipality
from programs.models import RegionalProgram
from programs.selectors import regional_program_municipalities
from reminders.occasions import (
    DeadlineOccasion,
    ImmediateOccasion,
    Prepared,
    Target,
    deadline_display,
    register,
    site_link,
)
from reminders.outbox import Recipient, role_recipients

from .models import Application, ApplicationDeadlineExtension, ApplicationStatus

APPLICATION_DEADLINE = "applications.application_deadline"
TEMPLATE = "reminders/email/application_deadline"


def _extensions(regional_program_ids) -> dict[tuple[int, int], dt.datetime]:
    # the same answer as applications.selectors.application_deadline_for, for many municipalities at once
    return {
        (e.regional_program_id, e.municipality_id): e.deadline
        for e in ApplicationDeadlineExtension.objects.filter(
            regional_program_id__in=list(regional_program_ids)
        )
    }


def _applications(regional_program_ids) -> dict[tuple[int, int], list[Application]]:
    result: dict[tuple[int, int], list[Application]] = {}
    for app in Application.objects.filter(regional_program_id__in=list(regional_program_ids)).only(
        "id", "regional_program_id", "municipality_id", "status"
    ):
        result.setdefault((app.regional_program_id, app.municipality_id), []).append(app)
    return result


def _state(apps: list[Application]) -> tuple[bool, Application | None]:
    """(done, draft): done when anything but a draft exists (submitted, decided, withdrawn)."""
    done = any(a.status != ApplicationStatus.DRAFT for a in apps)
    draft = next((a for a in apps if a.status == ApplicationStatus.DRAFT), None)
    return done, draft


class ApplicationDeadline(DeadlineOccasion):
    code = APPLICATION_DEADLINE
    label = _("Søknadsfrist")
    description = _(
        "Til medlemskommuner i regionen som ikke har sendt inn søknad: til kommunens e-postadresse og "
        "kommunekontaktene. Kommuner med et utkast får en egen tekst om at utkastet ikke er sendt inn."
    )
    template = TEMPLATE

    def _active(self, now: dt.datetime, program_id: int | None = None) -> list[RegionalProgram]:
        regions = RegionalProgram.objects.all()
        if program_id is not None:
            regions = regions.filter(program_id=program_id)
        return list(
            regions.filter(application_deadline__isnull=False)
            .filter(Q(applications_open_at__isnull=True) | Q(applications_open_at__lte=now))
            .annotate(latest_extension=Max("deadline_extensions__deadline"))
            .filter(Q(application_deadline__gte=now) | Q(latest_extension__gte=now))
            .select_related("program")
        )

    def scopes(self, *, now):
        return [f"regional:{rp.pk}" for rp in self._active(now)]

    def targets(self, *, now, program_id=None):
        regions = self._active(now, program_id)
        extensions = _extensions(rp.pk for rp in regions)
        applications = _applications(rp.pk for rp in regions)
        for rp in regions:
            municipalities = list(regional_program_municipalities(regional_program=rp))
            contacts = role_recipients(
                role=Role.MUNICIPAL_CONTACT,
                scope_field="municipality_id",
                scope_ids=(m.pk for m in municipalities),
            )
            for municipality in municipalities:
                done, _draft = _state(applications.get((rp.pk, municipality.pk), []))
                if done:
                    continue
                recipients = []
                if municipality.email:
                    recipients.append(Recipient(email=municipality.email, name=municipality.name))
                recipients.extend(contacts.get(municipality.pk, []))
                if not recipients:
                    continue
                yield Target(
                    scope=f"regional:{rp.pk}",
                    key=f"regional:{rp.pk}:municipality:{municipality.pk}",
                    deadline=extensions.get((rp.pk, municipality.pk), rp.application_deadline),
                    recipients=recipients,
                    context={"regional_program": rp.pk, "municipality": municipality.pk},
                    program_id=rp.program_id,
                )

    def prepare(self, deliveries, *, configs):
        rp_ids = {d.context["regional_program"] for d in deliveries}
        regions = RegionalProgram.objects.select_related("program").in_bulk(rp_ids)
        municipalities = Municipality.objects.in_bulk({d.context["municipality"] for d in deliveries})
        extensions = _extensions(rp_ids)
        applications = _applications(rp_ids)
        result = {}
        for delivery in deliveries:
            rp = regions.get(delivery.context["regional_program"])
            municipality = municipalities.get(delivery.context["municipality"])
            if (
                rp is None
                or municipality is None
                or not municipality.is_member
                or rp.application_deadline is None
            ):
                result[delivery.pk] = None
                continue
            done, draft = _state(applications.get((rp.pk, municipality.pk), []))
            if done:
                result[delivery.pk] = None
                continue
            deadline = deadline_display(extensions.get((rp.pk, municipality.pk), rp.application_deadline))
            if draft is not None:
                link = site_link(reverse("applications:detail", args=[draft.pk]))
            else:
                link = site_link(reverse("applications:start", args=[rp.pk]))
            variant = "draft" if draft is not None else "no_application"
            context = {
                "regional_program": rp,
                "program": rp.program,
                "municipality": municipality,
                "deadline": deadline,
                "link": link,
                "variant": variant,
                "offset": delivery.context.get("offset"),
            }
            context = self.with_overrides(
                context,
                delivery=delivery,
                config=configs.get(rp.program_id, self),
                values={"frist": deadline, "program": rp.name, "lenke": link},
            )
            result[delivery.pk] = Prepared(template=TEMPLATE, context=context, variant=variant)
        return result


register(ApplicationDeadline())
register(ImmediateOccasion("applications.application_receipt", _("Kvittering for søknad")))
register(ImmediateOccasion("applications.decision_letter", _("Vedtaksbrev")))
