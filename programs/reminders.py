"""Reminders this app declares (see reminders/occasions.py): the interest deadline.

Branches that have not registered interest for a published edition are reminded before their deadline
(their own extension if leadership granted one), at the branch address and to each board member. At send
time the row is skipped if the branch has registered meanwhile.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from municipalities.models import CountyBranch
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

from .models import InterestDeadlineExtension, InterestRegistration, Program
from .selectors import branches_without_interest_registration, interest_deadline_for

INTEREST_DEADLINE = "programs.interest_deadline"
TEMPLATE = "reminders/email/interest_deadline"


class InterestDeadline(DeadlineOccasion):
    code = INTEREST_DEADLINE
    label = _("Frist for interessemelding")
    description = _(
        "Til fylkesavdelinger som ikke har sendt interessemelding: til avdelingens e-postadresse og til "
        "medlemmene av fylkesstyret. Hoppes over hvis interessemeldingen er kommet."
    )
    template = TEMPLATE

    def _active_programs(self, now: dt.datetime, program_id: int | None = None) -> list[Program]:
        # a programme is planned while its deadline, or any branch's extended deadline, is ahead
        programs = Program.objects.filter(is_published=True)
        if program_id is not None:
            programs = programs.filter(pk=program_id)
        return list(
            programs.annotate(latest_extension=Max("deadline_extensions__deadline")).filter(
                Q(interest_deadline__gte=now) | Q(latest_extension__gte=now)
            )
        )

    def scopes(self, *, now):
        return [f"program:{p.pk}" for p in self._active_programs(now)]

    def targets(self, *, now, program_id=None):
        for program in self._active_programs(now, program_id):
            branches = list(branches_without_interest_registration(program=program))
            board = role_recipients(
                role=Role.BOARD_MEMBER, scope_field="branch_id", scope_ids=(b.pk for b in branches)
            )
            for branch in branches:
                recipients = []
                if branch.email:
                    recipients.append(Recipient(email=branch.email, name=branch.name))
                recipients.extend(board.get(branch.pk, []))
                if not recipients:
                    continue
                yield Target(
                    scope=f"program:{program.pk}",
                    key=f"program:{program.pk}:branch:{branch.pk}",
                    deadline=interest_deadline_for(program=program, branch=branch),
                    recipients=recipients,
                    context={"program": program.pk, "branch": branch.pk},
                    program_id=program.pk,
                )

    def prepare(self, deliveries, *, configs):
        program_ids = {d.context["program"] for d in deliveries}
        branch_ids = {d.context["branch"] for d in deliveries}
        programs = Program.objects.in_bulk(program_ids)
        branches = CountyBranch.objects.in_bulk(branch_ids)
        registered = set(
            InterestRegistration.objects.filter(
                program_id__in=program_ids, branch_id__in=branch_ids
            ).values_list("program_id", "branch_id")
        )
        extensions = dict(
            (((e.program_id, e.branch_id), e.deadline))
            for e in InterestDeadlineExtension.objects.filter(
                program_id__in=program_ids, branch_id__in=branch_ids
            )
        )
        result = {}
        for delivery in deliveries:
            program = programs.get(delivery.context["program"])
            branch = branches.get(delivery.context["branch"])
            if (
                program is None
                or branch is None
                or not branch.is_active
                or (program.pk, branch.pk) in registered
            ):
                result[delivery.pk] = None
                continue
            deadline = deadline_display(extensions.get((program.pk, branch.pk), program.interest_deadline))
            link = site_link(reverse("programs:interest_registration", args=[program.pk, branch.pk]))
            context = {
                "program": program,
                "branch": branch,
                "deadline": deadline,
                "link": link,
                "offset": delivery.context.get("offset"),
            }
            context = self.with_overrides(
                context,
                delivery=delivery,
                config=configs.get(program.pk, self),
                values={"frist": deadline, "program": program.name, "lenke": link},
            )
            result[delivery.pk] = Prepared(template=TEMPLATE, context=context)
        return result


register(InterestDeadline())
register(ImmediateOccasion("programs.interest_receipt", _("Kvittering for interessemelding")))
register(ImmediateOccasion("programs.interest_deadline_extended", _("Ny frist for interessemelding")))
register(ImmediateOccasion("programs.dialogue_meeting_scheduled", _("Innkalling til dialogmøte")))
