"""Demo editions with a realistic temperaturmåling. Idempotent: every row is get_or_create.

Two editions: the current one (interest deadline ahead) with a mix of answers, and the previous one
(deadline passed) whose confirmed branch Vestland already has its regional programme with an open
application window, so the later steps of the year have something to show.
"""

import datetime as dt

from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from municipalities.models import CountyBranch, Municipality

from .models import (
    AnnualMeetingDecision,
    DialogueMeeting,
    DialogueMeetingStatus,
    InterestLevel,
    InterestRegistration,
    Program,
    RegionalProgram,
)
from .timing import OSLO, deadline_from_date

INVITATION = """Vil dere være med å ta erfaringer, kunnskap og læringsutbytte fra pilotprosjektet «Kulturskolen som utviklingsaktør i fremtidens kommune» videre?

Deltakelse i programmet vil bidra til gjennomføring av kommunalt og regionalt utviklingsarbeid. Det er ikke et enkeltstående prosjekt i tillegg til alt annet, men sees i sammenheng med arbeid med valgte utviklingsområder.

## Organiseringen
- Programperioden strekker seg over tre semestre med seks fysiske samlinger for erfaringsdeling mellom deltakerkommunene.
- Kommunen setter selv sammen en kommunegruppe som møter på fellessamlinger, i tillegg til arbeid i egen kommune mellom samlingene.
- Veiledning tilbys den enkelte kommune gjennom veilederstøtte i kommunens eget utviklingsarbeid.

## Deltakere
- Programmet retter seg mot Norsk kulturskoleråds medlemskommuner og fylkesavdelingenes styrer.
- Fylkesavdelingenes styrer kan søke om deltakelse på vegne av medlemskommuner i sitt fylke.

## Frist for tilbakemelding
Fylkesavdelingene melder interesse for eget fylke og egne kommuner innen fristen. Fristen er en «temperaturmåling» på motivert og interessert fylkesavdeling på dette stadiet – så går vi i dialog og legger videre fremdrift."""

# (branch short name, level, municipality names, contact, wants dialogue)
ANSWERS = [
    ("Rogaland", InterestLevel.YES, ["Stavanger", "Sandnes", "Haugesund"], "Randi Rogne", False),
    ("Trøndelag", InterestLevel.MAYBE, ["Trondheim", "Steinkjer"], "Tor Trøen", True),
    ("Nordland", InterestLevel.MAYBE, ["Bodø"], "Nina Nordvik", False),
    ("Agder", InterestLevel.NO, [], "Anders Agdestein", False),
    ("Innlandet", InterestLevel.YES, ["Hamar", "Lillehammer", "Gjøvik"], "Ingrid Innset", False),
    ("Oslo og Viken", InterestLevel.MAYBE, ["Oslo", "Drammen"], "Ola Viken", False),
    ("Vestfold og Telemark", InterestLevel.NO, [], "Vigdis Telnes", False),
]
# Møre og Romsdal and Finnmark, Troms og Svalbard are left unanswered on purpose.


def _branch(short: str) -> CountyBranch | None:
    return CountyBranch.objects.filter(name=f"Norsk kulturskoleråd {short}").first()


def _municipalities(branch: CountyBranch, names: list[str]) -> list[Municipality]:
    members = Municipality.objects.filter(county__branch=branch, is_member=True)
    found = list(members.filter(name__in=names))
    return found or list(members.order_by("name")[: len(names)])


def _board_member(branch: CountyBranch, full_name: str, password: str) -> User:
    slug = branch.short_name.split(",")[0].split(" ")[0].lower().replace("ø", "o").replace("å", "a")
    user, created = User.objects.get_or_create(
        email=f"styre.{slug}@example.org", defaults={"full_name": full_name}
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.BOARD_MEMBER, branch=branch)
    return user


def _registration(program, branch, *, level, municipalities, contact_name, contact_email, by, **extra):
    registration, created = InterestRegistration.objects.get_or_create(
        program=program,
        branch=branch,
        defaults={
            "level": level,
            "contact_name": contact_name,
            "contact_email": contact_email,
            "updated_by": by,
            **extra,
        },
    )
    if created:
        registration.municipalities.set(municipalities)
    return registration


def _meeting_once(*, program, branch, **fields) -> None:
    # Not get_or_create: people may add more meetings for the branch while trying the demo.
    if not DialogueMeeting.objects.filter(program=program, branch=branch).exists():
        DialogueMeeting.objects.create(program=program, branch=branch, **fields)


def seed(ctx: dict) -> None:
    now = timezone.now()
    today = timezone.localdate()
    password = ctx["password"]
    board = ctx["board"]
    vestland = ctx["vestland"]
    sunnfjord = ctx["sunnfjord"]

    # The next 15 September that lies ahead of today, at 23:59 Oslo time.
    year = today.year if today < dt.date(today.year, 9, 15) else today.year + 1
    program, _ = Program.objects.get_or_create(
        slug=f"regionale-program-{year}",
        defaults={
            "name": f"Fremtidens kulturskole – regionale program {year}–{year + 2}",
            "invitation_text": INVITATION,
            "interest_deadline": deadline_from_date(dt.date(year, 9, 15)),
            "start_semester": f"høst {year + 1}",
            "contact_email": "program@example.org",
            "is_published": True,
        },
    )
    ctx["program"] = program

    # --- the current edition: a realistic mix of answers ----------------------------------------------
    vestland_municipalities = [sunnfjord, *_municipalities(vestland, ["Kinn"])]
    _registration(
        program,
        vestland,
        level=InterestLevel.YES,
        municipalities=vestland_municipalities,
        contact_name=board.full_name,
        contact_email=board.email,
        contact_phone=board.phone,
        by=board,
        dialogue_meeting_wanted=True,
        dialogue_meeting_topic="Hvordan vi kan koble kommunene i Sunnfjord-regionen sammen.",
        dialogue_meeting_times="Tirsdager etter kl. 12, gjerne digitalt.",
        comment="Styret behandlet invitasjonen i siste styremøte.",
    )
    _meeting_once(
        program=program,
        branch=vestland,
        topic="Hvordan vi kan koble kommunene i Sunnfjord-regionen sammen.",
        suggested_times="Tirsdager etter kl. 12, gjerne digitalt.",
        requested_by=board,
    )
    for short, level, names, contact, wants_dialogue in ANSWERS:
        branch = _branch(short)
        if branch is None:
            continue
        member = _board_member(branch, contact, password)
        _registration(
            program,
            branch,
            level=level,
            municipalities=_municipalities(branch, names) if names else [],
            contact_name=contact,
            contact_email=member.email,
            by=member,
            dialogue_meeting_wanted=wants_dialogue,
            dialogue_meeting_topic="Forankring i kommunene før årsmøtet." if wants_dialogue else "",
        )
        if wants_dialogue:
            start = dt.datetime.combine(today + dt.timedelta(days=10), dt.time(13, 0), tzinfo=OSLO)
            _meeting_once(
                program=program,
                branch=branch,
                topic="Forankring i kommunene før årsmøtet.",
                status=DialogueMeetingStatus.SCHEDULED,
                starts_at=start,
                duration_minutes=60,
                video_link="https://video.example.org/dialogmote-trondelag",
                participants=f"{contact}, Liv Leder",
                requested_by=member,
                scheduled_by=ctx.get("leader"),
            )

    # --- the previous edition: deadline passed, Vestland confirmed, its regional programme open --------
    earlier, _ = Program.objects.get_or_create(
        slug=f"regionale-program-{year - 1}",
        defaults={
            "name": f"Fremtidens kulturskole – regionale program {year - 1}–{year + 1}",
            "invitation_text": INVITATION,
            "interest_deadline": deadline_from_date(dt.date(year - 1, 9, 15)),
            "start_semester": f"høst {year}",
            "contact_email": "program@example.org",
            "is_published": True,
        },
    )
    _registration(
        earlier,
        vestland,
        level=InterestLevel.YES,
        municipalities=vestland_municipalities,
        contact_name=board.full_name,
        contact_email=board.email,
        contact_phone=board.phone,
        by=board,
    )
    AnnualMeetingDecision.objects.get_or_create(
        program=earlier,
        branch=vestland,
        defaults={
            "meeting_date": min(earlier.interest_deadline.date() + dt.timedelta(days=30), today),
            "participates": True,
            "comment": "Fylkesårsmøtet vedtok enstemmig å delta.",
            "recorded_by": board,
        },
    )
    regional, _ = RegionalProgram.objects.get_or_create(program=earlier, name="Vestland")
    regional.branches.add(vestland)
    changed = []
    if regional.applications_open_at is None:
        regional.applications_open_at = now - dt.timedelta(days=7)
        changed.append("applications_open_at")
    if regional.application_deadline is None:
        regional.application_deadline = deadline_from_date(today + dt.timedelta(days=30))
        changed.append("application_deadline")
    if changed:
        regional.save(update_fields=changed)
    ctx.update(earlier_program=earlier, regional_program=regional)
