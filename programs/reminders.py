"""Reminders and notices this app declares (see reminders/occasions/).

The interest deadline: branches that have not registered interest for a published edition are reminded
before their deadline (their own extension if leadership granted one), at the branch address and to each
board member. At send time the row is skipped if the branch has registered meanwhile.

Notices that start a step, sent once when it happens: the edition's invitation when it is published, a
branch's new deadline, a dialogue-meeting request to leadership.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from municipalities.models import CountyBranch
from reminders.occasions import (
    DeadlineOccasion,
    ImmediateOccasion,
    NoticeOccasion,
    Prepared,
    Sample,
    Target,
    deadline_display,
    register,
    site_link,
)
from reminders.outbox import Recipient, role_recipients

from .models import DialogueMeeting, InterestDeadlineExtension, InterestRegistration, Program
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


def branch_recipients(branches) -> dict[int, list[Recipient]]:
    """Per branch: its address and its board members (one query for the board of any number of branches)."""
    branches = list(branches)
    board = role_recipients(
        role=Role.BOARD_MEMBER, scope_field="branch_id", scope_ids=(b.pk for b in branches)
    )
    result = {}
    for branch in branches:
        recipients = [Recipient(email=branch.email, name=branch.name)] if branch.email else []
        result[branch.pk] = recipients + board.get(branch.pk, [])
    return result


def _public_link(program: Program) -> str:
    return site_link(reverse("programs:program_public", args=[program.slug]))


def _registration_link(program: Program, branch: CountyBranch) -> str:
    return site_link(reverse("programs:interest_registration", args=[program.pk, branch.pk]))


class EditionInvitation(NoticeOccasion):
    """The edition's invitation, to every active branch's address and its board, when it is published."""

    code = "programs.edition_invitation"
    label = _("Invitasjon til programperioden")
    description = _(
        "Går én gang når programperioden publiseres, til hver fylkesavdelings e-postadresse og til "
        "medlemmene av fylkesstyret: invitasjonsteksten, fristen og lenken til interessemeldingen. "
        "Publiseres perioden på nytt, sendes den ikke igjen."
    )
    template = "programs/email/edition_invitation"

    def context(self, *, program: Program, branch: CountyBranch) -> dict:
        return {
            "program": program,
            "branch": branch,
            "deadline": deadline_display(program.interest_deadline),
            "public_link": _public_link(program),
            "registration_link": _registration_link(program, branch),
        }

    def values(self, context):
        return {
            "frist": context["deadline"],
            "program": context["program"].name,
            "lenke": context["public_link"],
        }

    def notify(self, *, program: Program) -> int:
        branches = list(CountyBranch.objects.filter(is_active=True).order_by("name"))
        recipients = branch_recipients(branches)
        count = 0
        for branch in branches:
            count += self.send(
                program=program,
                key=f"program:{program.pk}:invitation",
                recipients=recipients[branch.pk],
                context=self.context(program=program, branch=branch),
            )
        return count

    def reach(self, *, program: Program) -> tuple[bool, int]:
        """(sent before, how many addresses it goes to now), for the question before publishing."""
        from reminders.models import Delivery
        from reminders.outbox import normalize_email

        if Delivery.objects.filter(occasion=self.code, key=f"program:{program.pk}:invitation").exists():
            return True, 0
        branches = CountyBranch.objects.filter(is_active=True)
        addresses = {normalize_email(r.email) for rs in branch_recipients(branches).values() for r in rs}
        return False, len(addresses - {""})

    def sample(self, *, program):
        for branch in CountyBranch.objects.filter(is_active=True).order_by("name")[:20]:
            recipients = branch_recipients([branch])[branch.pk]
            if recipients:
                # a board member when there is one: the mail with the most in it
                return Sample(recipient=recipients[-1], context=self.context(program=program, branch=branch))
        return None


class InterestDeadlineExtended(NoticeOccasion):
    """A branch's own, later deadline, to its address and its board members."""

    code = "programs.interest_deadline_extended"
    label = _("Ny frist for interessemelding")
    description = _(
        "Går når programledelsen gir en fylkesavdeling ny frist: til avdelingens e-postadresse og til "
        "medlemmene av fylkesstyret. Samme frist sendes bare én gang."
    )
    template = "programs/email/interest_deadline_extended"

    def context(self, *, program: Program, branch: CountyBranch, deadline) -> dict:
        return {
            "program": program,
            "branch": branch,
            "deadline": deadline_display(deadline),
            "public_link": _public_link(program),
            "registration_link": _registration_link(program, branch),
        }

    def values(self, context):
        return {
            "frist": context["deadline"],
            "program": context["program"].name,
            "lenke": context["registration_link"],
        }

    def notify(self, *, extension: InterestDeadlineExtension) -> int:
        program, branch = extension.program, extension.branch
        return self.send(
            program=program,
            key=f"extension:{extension.pk}:{extension.deadline:%Y%m%dT%H%M}",
            recipients=branch_recipients([branch])[branch.pk],
            context=self.context(program=program, branch=branch, deadline=extension.deadline),
        )

    def sample(self, *, program):
        extension = (
            InterestDeadlineExtension.objects.filter(program=program)
            .select_related("branch")
            .order_by("-pk")
            .first()
        )
        branches = (
            [extension.branch]
            if extension
            else CountyBranch.objects.filter(is_active=True).order_by("name")[:20]
        )
        for branch in branches:
            recipients = branch_recipients([branch])[branch.pk]
            if recipients:
                deadline = extension.deadline if extension else program.interest_deadline
                return Sample(
                    recipient=recipients[-1],
                    context=self.context(program=program, branch=branch, deadline=deadline),
                )
        return None


def leadership_recipients(program: Program) -> list[Recipient]:
    """The edition's contact address; without one, the people in programme leadership."""
    if program.contact_email:
        return [Recipient(email=program.contact_email, name=gettext("Programledelsen"))]
    from accounts.models import RoleAssignment

    return [
        Recipient(email=a.user.email, name=a.user.full_name, user_id=a.user_id)
        for a in RoleAssignment.objects.filter(role=Role.LEADERSHIP, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    ]


class DialogueMeetingRequested(NoticeOccasion):
    """A request for a dialogue meeting, to programme leadership (the edition's contact address)."""

    code = "programs.dialogue_meeting_requested"
    label = _("Ønske om dialogmøte")
    description = _(
        "Går til programperiodens kontaktadresse (eller programledelsen når den mangler) når en "
        "fylkesavdeling eller en annen aktør ber om dialogmøte, med tema og tidspunkter i e-posten."
    )
    template = "programs/email/dialogue_meeting_requested"

    def context(self, *, meeting: DialogueMeeting) -> dict:
        return {
            "meeting": meeting,
            "program": meeting.program,
            "who": meeting.branch.name if meeting.branch_id else meeting.requester_name,
            "link": site_link(reverse("programs:dialogue_meeting_list", args=[meeting.program_id])),
        }

    def values(self, context):
        return {"frist": "", "program": context["program"].name, "lenke": context["link"]}

    def notify(self, *, meeting: DialogueMeeting) -> int:
        return self.send(
            program=meeting.program,
            key=f"dialogue:{meeting.pk}:requested",
            recipients=leadership_recipients(meeting.program),
            context=self.context(meeting=meeting),
        )

    def sample(self, *, program):
        meeting = (
            DialogueMeeting.objects.filter(program=program)
            .select_related("branch", "program")
            .order_by("-pk")
            .first()
        )
        if meeting is None:
            branch = CountyBranch.objects.filter(is_active=True).order_by("name").first()
            meeting = DialogueMeeting(
                program=program,
                branch=branch,
                requester_name="" if branch else gettext("Eksempel"),
                topic=gettext("Eksempel: hvordan kan kommunene i fylket forberede seg?"),
                suggested_times=gettext("Eksempel: tirsdager etter kl. 12"),
            )
        recipients = leadership_recipients(program)
        if not recipients:
            return None
        return Sample(recipient=recipients[0], context=self.context(meeting=meeting))


register(InterestDeadline())
EDITION_INVITATION = register(EditionInvitation())
INTEREST_DEADLINE_EXTENDED = register(InterestDeadlineExtended())
DIALOGUE_MEETING_REQUESTED = register(DialogueMeetingRequested())
register(ImmediateOccasion("programs.interest_receipt", _("Kvittering for interessemelding")))
register(ImmediateOccasion("programs.dialogue_meeting_scheduled", _("Innkalling til dialogmøte")))
