"""Reminders and notices this app declares (see reminders/occasions/): the application deadline, and the
notice that a region's application window has opened.

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
    REGION_PLACEHOLDER,
    DeadlineOccasion,
    ImmediateOccasion,
    NoticeOccasion,
    Plan,
    PlannedDelivery,
    Prepared,
    Sample,
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
    placeholders = REGION_PLACEHOLDER
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
                values={"frist": deadline, "program": rp.program.name, "region": rp.name, "lenke": link},
            )
            result[delivery.pk] = Prepared(template=TEMPLATE, context=context, variant=variant)
        return result


class ApplicationWindowOpened(NoticeOccasion):
    """A region's application window has opened: its member municipalities and the branch boards are told.

    Planned by the sweep, so a window that opens at a set time is announced at that time, and one that opens
    at once within minutes. One row per (region, recipient) and key: moving the window before it opens moves
    the notice; reopening or extending it later never sends it again.
    """

    code = "applications.application_window_opened"
    placeholders = REGION_PLACEHOLDER
    label = _("Søknadene er åpnet")
    description = _(
        "Går når et regionalt program åpner for søknader: til medlemskommunenes e-postadresser og "
        "kommunekontakter, og til fylkesstyrene, som kan søke på vegne av kommunene. Sendes én gang per "
        "regionalt program."
    )
    template = "applications/email/application_window_opened"

    def _regions(self, now: dt.datetime, program_id: int | None = None) -> list[RegionalProgram]:
        regions = RegionalProgram.objects.filter(application_deadline__gte=now)
        if program_id is not None:
            regions = regions.filter(program_id=program_id)
        return list(regions.select_related("program").prefetch_related("branches").order_by("pk"))

    def _recipients(self, regions) -> dict[int, list[tuple[str, dict, Recipient]]]:
        """Per region: (key, context, recipient), each address once (a contact who is also on the board)."""
        municipalities = {rp.pk: list(regional_program_municipalities(regional_program=rp)) for rp in regions}
        contacts = role_recipients(
            role=Role.MUNICIPAL_CONTACT,
            scope_field="municipality_id",
            scope_ids={m.pk for ms in municipalities.values() for m in ms},
        )
        board = role_recipients(
            role=Role.BOARD_MEMBER,
            scope_field="branch_id",
            scope_ids={b.pk for rp in regions for b in rp.branches.all()},
        )
        result = {}
        for rp in regions:
            rows, seen = [], set()

            def add(key, context, recipients, rows=rows, seen=seen):
                for recipient in recipients:
                    address = recipient.email.strip().lower()
                    if address and address not in seen:
                        seen.add(address)
                        rows.append((key, context, recipient))

            for m in municipalities[rp.pk]:
                own = [Recipient(email=m.email, name=m.name)] if m.email else []
                add(
                    f"regional:{rp.pk}:opened:municipality:{m.pk}",
                    {"regional_program": rp.pk, "municipality": m.pk},
                    own + contacts.get(m.pk, []),
                )
            for b in sorted(rp.branches.all(), key=lambda b: b.name):
                add(
                    f"regional:{rp.pk}:opened:branch:{b.pk}",
                    {"regional_program": rp.pk, "branch": b.pk},
                    board.get(b.pk, []),
                )
            result[rp.pk] = rows
        return result

    def plan(self, *, now, configs):
        regions = self._regions(now)
        recipients = self._recipients(regions)
        for rp in regions:
            opens = rp.applications_open_at or rp.created_at
            yield Plan(
                scope=f"window:{rp.pk}",
                deliveries=[
                    PlannedDelivery(
                        key=key,
                        recipient=recipient,
                        planned_at=opens,
                        expires_at=rp.application_deadline,
                        context=context,
                        program_id=rp.program_id,
                    )
                    for key, context, recipient in recipients[rp.pk]
                ],
            )

    def context(self, *, rp: RegionalProgram, municipality=None, branch=None) -> dict:
        return {
            "regional_program": rp,
            "program": rp.program,
            "municipality": municipality,
            "branch": branch,
            "deadline": deadline_display(rp.application_deadline),
            "link": site_link(reverse("applications:list")),
        }

    def values(self, context):
        return {
            "frist": context["deadline"],
            "program": context["regional_program"].program.name,
            "region": context["regional_program"].name,
            "lenke": context["link"],
        }

    def prepare(self, deliveries, *, configs):
        from municipalities.models import CountyBranch

        regions = RegionalProgram.objects.select_related("program").in_bulk(
            {d.context["regional_program"] for d in deliveries}
        )
        municipalities = Municipality.objects.in_bulk(
            {d.context["municipality"] for d in deliveries if "municipality" in d.context}
        )
        branches = CountyBranch.objects.in_bulk(
            {d.context["branch"] for d in deliveries if "branch" in d.context}
        )
        result = {}
        for delivery in deliveries:
            rp = regions.get(delivery.context["regional_program"])
            municipality = municipalities.get(delivery.context.get("municipality"))
            branch = branches.get(delivery.context.get("branch"))
            # the time is the planner's (planned at the opening, expired at the deadline); here only what changed
            if rp is None or rp.application_deadline is None or (municipality is None and branch is None):
                result[delivery.pk] = None
                continue
            if municipality is not None and not municipality.is_member:
                result[delivery.pk] = None
                continue
            context = self.context(rp=rp, municipality=municipality, branch=branch)
            context = {
                **context,
                **self.with_overrides(delivery, configs.get(rp.program_id, self), self.values(context)),
            }
            result[delivery.pk] = Prepared(template=self.template, context=context)
        return result

    def with_overrides(self, delivery, config, values):
        from reminders.occasions import overrides_context

        recipient = Recipient(email=delivery.recipient_email, name=delivery.recipient_name)
        return overrides_context(config, values, recipient, fields=self.placeholder_fields())

    def sample(self, *, program):
        regions = list(
            RegionalProgram.objects.filter(program=program, application_deadline__isnull=False)
            .select_related("program")
            .prefetch_related("branches")
            .order_by("pk")[:5]
        )
        recipients = self._recipients(regions)
        for rp in regions:
            for _key, context, recipient in recipients[rp.pk]:
                municipality = (
                    Municipality.objects.filter(pk=context["municipality"]).first()
                    if "municipality" in context
                    else None
                )
                branch = rp.branches.filter(pk=context.get("branch")).first() if "branch" in context else None
                return Sample(
                    recipient=recipient, context=self.context(rp=rp, municipality=municipality, branch=branch)
                )
        return None


class JuryAssignment(NoticeOccasion):
    """A jury member is told what to do and by when: when named to a jury, and when given applications."""

    code = "applications.jury_assignment"
    placeholders = REGION_PLACEHOLDER
    label = _("Melding til jurymedlem")
    description = _(
        "Går til jurymedlemmet når det blir lagt til i en jury og når det får søknader å vurdere: hva som "
        "skal gjøres (svare på inhabilitet, gi poeng, levere) og innen når. Samme søknader sendes bare én gang."
    )
    template = "applications/email/jury_assignment"

    def context(self, *, member, applications) -> dict:
        rp = member.regional_program
        return {
            "member": member,
            "regional_program": rp,
            "program": rp.program,
            "applications": applications,
            "deadline": deadline_display(rp.review_deadline) if rp.review_deadline else "",
            "link": site_link(reverse("applications:jury")),
        }

    def values(self, context):
        return {
            "frist": context["deadline"],
            "program": context["regional_program"].program.name,
            "region": context["regional_program"].name,
            "lenke": context["link"],
        }

    def _recipient(self, member) -> Recipient:
        return Recipient(email=member.email, name=member.display_name, user_id=member.user_id)

    def notify(self, *, member, applications=()) -> int:
        """With `applications`: the ones just given to the member; without: the member was named to the jury."""
        applications = sorted(applications, key=lambda a: a.municipality.name)
        ids = ",".join(str(a.pk) for a in sorted(applications, key=lambda a: a.pk))
        key = f"jury:{member.pk}:applications:{ids}" if applications else f"jury:{member.pk}:added"
        return self.send(
            program=member.regional_program.program,
            key=key,
            recipients=[self._recipient(member)],
            context=self.context(member=member, applications=applications),
        )

    def sample(self, *, program):
        from .models import JuryMember

        member = (
            JuryMember.objects.filter(regional_program__program=program)
            .select_related("user", "regional_program__program")
            .order_by("pk")
            .first()
        )
        if member is None:
            return None
        applications = [
            r.application for r in member.reviews.select_related("application__municipality")[:10]
        ]
        return Sample(
            recipient=self._recipient(member), context=self.context(member=member, applications=applications)
        )


register(ApplicationDeadline())
JURY_ASSIGNMENT = register(JuryAssignment())
APPLICATION_WINDOW_OPENED = register(ApplicationWindowOpened())
register(ImmediateOccasion("applications.application_receipt", _("Kvittering for søknad")))
register(ImmediateOccasion("applications.decision_letter", _("Vedtaksbrev")))
