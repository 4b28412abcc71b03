"""A test-only occasion: member municipalities with an e-mail address are reminded of an edition's
interest deadline while they are still members. It exercises the mechanism without depending on the
domain apps' models; the real worker imports it through tests.celery_tasks."""

from __future__ import annotations

import datetime as dt

from municipalities.models import Municipality
from programs.models import Program
from reminders.occasions import DeadlineOccasion, Prepared, Target, deadline_display, register, site_link
from reminders.outbox import Recipient

CODE = "tests.municipality_deadline"
TEMPLATE = "reminders_test/deadline"


class MunicipalityDeadline(DeadlineOccasion):
    code = CODE
    label = "Testfrist for kommuner"
    template = TEMPLATE

    def scopes(self, *, now: dt.datetime):
        return [
            f"program:{pk}"
            for pk in Program.objects.filter(interest_deadline__gte=now).values_list("pk", flat=True)
        ]

    def targets(self, *, now: dt.datetime, program_id: int | None = None):
        programs = Program.objects.filter(interest_deadline__gte=now)
        programs = list(programs.filter(pk=program_id) if program_id is not None else programs)
        municipalities = list(Municipality.objects.filter(is_member=True).exclude(email="").order_by("id"))
        for program in programs:
            for municipality in municipalities:
                yield Target(
                    scope=f"program:{program.pk}",
                    key=f"program:{program.pk}:municipality:{municipality.pk}",
                    deadline=program.interest_deadline,
                    recipients=[Recipient(email=municipality.email, name=municipality.name)],
                    context={"program": program.pk, "municipality": municipality.pk},
                    program_id=program.pk,
                )

    def prepare(self, deliveries, *, configs):
        municipalities = Municipality.objects.in_bulk({d.context["municipality"] for d in deliveries})
        programs = Program.objects.in_bulk({d.context["program"] for d in deliveries})
        result = {}
        for delivery in deliveries:
            municipality = municipalities.get(delivery.context["municipality"])
            program = programs.get(delivery.context["program"])
            if municipality is None or program is None or not municipality.is_member:
                result[delivery.pk] = None
                continue
            deadline = deadline_display(program.interest_deadline)
            link = site_link(f"/program/{program.pk}/")
            context = {
                "municipality": municipality,
                "program": program,
                "deadline": deadline,
                "offset": delivery.context["offset"],
                "link": link,
            }
            config = configs.get(program.pk, self)
            context = self.with_overrides(
                context,
                delivery=delivery,
                config=config,
                values={"frist": deadline, "program": program.name, "lenke": link},
            )
            result[delivery.pk] = Prepared(template=TEMPLATE, context=context)
        return result


occasion = MunicipalityDeadline()


def register_test_occasion() -> MunicipalityDeadline:
    return register(occasion)
