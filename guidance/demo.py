"""Demo guidance: a running edition whose Vestland region has municipal groups, agreements, months of sessions
and plan revisions, so veileder@example.org's dashboard is full and kommune@example.org (Sunnfjord) sees
their guidance page and plan. Idempotent: nothing is added for an agreement that already has sessions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Max, Min
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from municipalities.models import Municipality
from programs.models import (
    AnnualMeetingDecision,
    InterestLevel,
    InterestRegistration,
    MunicipalGroup,
    MunicipalGroupMember,
    Program,
    RegionalProgram,
    Sector,
)
from programs.timing import OSLO, deadline_from_date

from .models import (
    DevelopmentPlan,
    DevelopmentPlanComment,
    DevelopmentPlanRevision,
    GuidanceAgreement,
    GuidanceSession,
    GuidanceSessionTheme,
    SessionForm,
    Theme,
)

T = Theme
SUMMARIES = [
    (
        [T.ANCHORING, T.STRUCTURE],
        "Vi gikk gjennom hvordan deltakelsen er forankret politisk og administrativt. Kommunegruppen ser at "
        "skolesjefen må inn tidlig, og at vedtaket i formannskapet bør løftes fram på neste møte.",
        "Koordinator lager et utkast til årshjul for kommunegruppen.",
        "Gruppen er ivrig, men rektor i kulturskolen bærer mye alene. Følg med på kapasiteten.",
    ),
    (
        [T.MEETING_METHODS],
        "Vi prøvde ut en møtestruktur med innsjekk, tydelig hensikt og avsjekk. Gruppen ønsker å bruke den "
        "fast i sine egne møter.",
        "Alle i kommunegruppen leser kapittelet om møtemetodikk før neste samling.",
        "",
    ),
    (
        [T.COLLABORATION, T.PARTICIPATION],
        "Samtale om hvordan barnehagene og SFO kan være med å forme tiltakene, ikke bare ta imot dem. Vi "
        "snakket om å invitere elevrådet.",
        "Koordinator inviterer to barnehagestyrere og elevrådet til neste møte.",
        "Spenning mellom oppvekstsjef og kultursjef om hvem som eier arbeidet; ta det opp forsiktig.",
    ),
    (
        [T.PROCESS_LEADERSHIP],
        "Vi jobbet med koordinatorrollen: hva koordinator leder selv, og hva som deles i gruppen.",
        "Koordinator og kulturskolerektor fordeler oppgavene skriftlig.",
        "",
    ),
    (
        [T.STRUCTURE, T.ANCHORING, T.PARTICIPATION],
        "Gjennomgang av utviklingsplanen: «hvor er vi» er godt beskrevet, «hvordan» trenger konkrete tiltak "
        "med ansvar og tid.",
        "Kommunegruppen reviderer utviklingsplanen før neste møte.",
        "Planen er fortsatt mest kulturskolens plan. Skolene må bli mer synlige.",
    ),
    (
        [T.COLLABORATION],
        "Erfaringsdeling etter samlingen: hva fungerte i mellomarbeidet, hva tar vi med videre.",
        "Sende «gjort – lært – lurt» til programledelsen innen fristen.",
        "",
    ),
]

PLAN_VERSIONS = [
    {
        "where_we_are": "Kulturskolen gir et godt tilbud til dem som søker, men samarbeider lite med barnehage, "
        "SFO og skole. Mange barn i kommunen møter aldri kulturskolen.",
        "where_we_want_to_go": "Kulturskolen er en ressurs for hele oppvekstfeltet, og alle barn i kommunen møter "
        "kunst og kultur gjennom kulturskolen.",
        "how_we_get_there": "Vi etablerer en kommunegruppe på tvers av tjenestene og lager en felles plan.",
        "development_areas": "Samarbeid med barnehagene.",
        "effect_goals": "",
        "change_note": "",
    },
    {
        "where_we_are": "Kommunegruppen er på plass med kulturskole, barnehage, skole og SFO. Vi har felles "
        "forståelse av hvorfor vi er med.",
        "where_we_want_to_go": "Kulturskolen er en ressurs for hele oppvekstfeltet, og alle barn i kommunen møter "
        "kunst og kultur gjennom kulturskolen.",
        "how_we_get_there": "Pilot med kulturskolelærere i to barnehager. Felles planleggingsdag med SFO.",
        "development_areas": "Samarbeid med barnehagene. Kulturtilbud i SFO.",
        "effect_goals": "Alle femåringer i de to pilotbarnehagene får ukentlig musikk med kulturskolelærer.",
        "change_note": "Tiltak og effektmål etter første samling",
    },
    {
        "where_we_are": "Piloten i barnehagene er i gang og har gode tilbakemeldinger. SFO-samarbeidet har "
        "stoppet opp.",
        "where_we_want_to_go": "Kulturskolen er en ressurs for hele oppvekstfeltet, og alle barn i kommunen møter "
        "kunst og kultur gjennom kulturskolen.",
        "how_we_get_there": "Utvide piloten til fire barnehager. Ny avtale med SFO-lederne, med elevrådet med i "
        "planleggingen. Saken løftes i hovedutvalg for oppvekst.",
        "development_areas": "Samarbeid med barnehagene. Kulturtilbud i SFO. Medvirkning fra barn og unge.",
        "effect_goals": "Fire barnehager med ukentlig tilbud innen utgangen av programmet. Elevrådet er med i "
        "planleggingen av SFO-tilbudet.",
        "change_note": "Revidert etter veiledningsmøtet om medvirkning",
    },
]

# (how many sessions, agreed hours, weeks since the last one, plans a next one, declined)
PROFILES = [
    (6, "20", 2, True, False),  # Sunnfjord: steady, next session planned
    (7, "8", 3, True, False),  # over its frame
    (4, "15", 9, False, False),  # not met for a long time
    (5, "8", 1, True, False),  # near its frame (7.25 of 8 hours)
    (0, "10", 0, False, True),  # declined the offer
]


def _advisor(email: str, name: str, password: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.ADVISOR)
    return user


def _running_region(ctx: dict, today: dt.date) -> RegionalProgram:
    # One running programme in the demo: the one the gatherings demo set up, so that the report, the
    # programme page and the advisor's dashboard tell the same story.
    region = ctx.get("gatherings_region")
    year = today.year - 1 if today.month >= 9 else today.year - 2
    if region is not None:
        program, year = region.program, region.program.interest_deadline.year
    else:
        program, _created = Program.objects.get_or_create(
            slug=f"regionale-program-{year}",
            defaults={
                "name": f"Fremtidens kulturskole – regionale program {year}–{year + 2}",
                "invitation_text": "Invitasjon til regionale program.",
                "interest_deadline": deadline_from_date(dt.date(year, 9, 15)),
                "start_semester": f"høst {year + 1}",
                "contact_email": "program@example.org",
                "is_published": True,
            },
        )
    # The year of that edition as it went: Vestland registered interest and its annual meeting said yes.
    board = ctx["board"]
    registration, created = InterestRegistration.objects.get_or_create(
        program=program,
        branch=ctx["vestland"],
        defaults={
            "level": InterestLevel.YES,
            "contact_name": board.full_name,
            "contact_email": board.email,
            "updated_by": board,
        },
    )
    if created:
        registration.municipalities.add(ctx["sunnfjord"])
    AnnualMeetingDecision.objects.get_or_create(
        program=program,
        branch=ctx["vestland"],
        defaults={"meeting_date": dt.date(year, 10, 20), "participates": True, "recorded_by": board},
    )
    if region is None:
        region, _created = RegionalProgram.objects.get_or_create(
            program=program, name=f"Vestland {year + 1}–{year + 2}"
        )
        region.branches.add(ctx["vestland"])
    return region


def _group(region: RegionalProgram, municipality: Municipality) -> MunicipalGroup:
    slug = municipality.name.lower().replace(" ", "").replace("ø", "o").replace("å", "a").replace("æ", "ae")
    group, created = MunicipalGroup.objects.get_or_create(
        regional_program=region,
        municipality=municipality,
        defaults={
            "coordinator_name": "Kari Koordinator",
            "coordinator_email": f"koordinator@{slug}.example.org",
        },
    )
    if created:
        MunicipalGroupMember.objects.bulk_create(
            [
                MunicipalGroupMember(
                    group=group,
                    name="Kari Koordinator",
                    email=f"koordinator@{slug}.example.org",
                    sector=Sector.KULTURSKOLE,
                    role_title="Rektor i kulturskolen",
                    is_coordinator=True,
                ),
                MunicipalGroupMember(
                    group=group, name="Berit Barnehage", sector=Sector.BARNEHAGE, role_title="Styrer"
                ),
                MunicipalGroupMember(
                    group=group, name="Sigurd Skole", sector=Sector.SKOLE, role_title="Rektor"
                ),
                MunicipalGroupMember(
                    group=group, name="Solveig SFO", sector=Sector.SFO, role_title="SFO-leder"
                ),
            ]
        )
    return group


def _revision_on(revisions, day: dt.date):
    """The newest plan version that existed on `day` (a session cannot point to a later one)."""
    existing = [r for r in revisions if timezone.localdate(r.created_at) <= day]
    return existing[-1] if existing else None


def _sessions(agreement, group, advisor, *, count, weeks_since, plan_next, today, revisions):
    if count == 0 or agreement.sessions.exists():
        return
    members = list(group.members.all())
    last = today - dt.timedelta(weeks=weeks_since)
    days = [last - dt.timedelta(days=18 * i) for i in reversed(range(count))]
    for index, day in enumerate(days):
        day = max(day, agreement.starts_on)
        themes, summary, next_steps, note = SUMMARIES[index % len(SUMMARIES)]
        is_last = index == len(days) - 1
        if is_last:
            next_at = (
                dt.datetime.combine(today + dt.timedelta(days=5 + index), dt.time(13, 0), tzinfo=OSLO)
                if plan_next
                else None
            )
        else:
            next_at = dt.datetime.combine(days[index + 1], dt.time(13, 0), tzinfo=OSLO)
        if next_at is not None and next_at.date() > agreement.ends_on:
            next_at = None
        revision = _revision_on(revisions, day) if index % 2 == 0 else None
        session = GuidanceSession.objects.create(
            agreement=agreement,
            advisor=advisor,
            held_on=day,
            duration_minutes=[90, 60, 120, 75, 90, 45][index % 6],
            form=[SessionForm.DIGITAL, SessionForm.PHYSICAL, SessionForm.DIGITAL, SessionForm.PHONE][
                index % 4
            ],
            theme_count=len(themes),
            other_participants="Kommunalsjef for oppvekst" if index % 3 == 0 else "",
            summary=summary,
            internal_note=note,
            next_steps=next_steps,
            next_session_at=next_at,
            plan_revision=revision,
        )
        GuidanceSessionTheme.objects.bulk_create(
            [GuidanceSessionTheme(session=session, theme=t) for t in themes]
        )
        session.participants.set(members[: 2 + index % 3])


def _plan(region, municipality, contact, advisor, today) -> list[DevelopmentPlanRevision]:
    plan, _created = DevelopmentPlan.objects.get_or_create(regional_program=region, municipality=municipality)
    if not plan.revisions.exists():
        for number, fields in enumerate(PLAN_VERSIONS, start=1):
            revision = DevelopmentPlanRevision.objects.create(
                plan=plan, number=number, created_by=contact, **fields
            )
            written = timezone.now() - dt.timedelta(days=100 - 40 * (number - 1))
            DevelopmentPlanRevision.objects.filter(pk=revision.pk).update(created_at=written)
        second = plan.revisions.get(number=2)
        DevelopmentPlanComment.objects.create(
            revision=second,
            author=advisor,
            text="Godt at effektmålene er konkrete. Hvem i skolen eier tiltaket i SFO?",
        )
    return list(plan.revisions.order_by("number"))


def seed(ctx: dict) -> None:
    today = timezone.localdate()
    password = ctx["password"]
    vera = ctx["advisor"]
    tor = _advisor("tor.veileder@example.org", "Tor Veileder", password)
    region = _running_region(ctx, today)
    sunnfjord = ctx["sunnfjord"]
    # The agreements go to the municipalities whose groups take part in the region's gatherings
    # (gatherings/demo.py), in the order they were set up; Vestland's first members only without them.
    others = [
        group.municipality
        for group in region.municipal_groups.exclude(municipality=sunnfjord)
        .select_related("municipality")
        .order_by("pk")[: len(PROFILES) - 1]
    ] or list(
        Municipality.objects.filter(county__branch=ctx["vestland"], is_member=True)
        .exclude(pk=sunnfjord.pk)
        .order_by("name")[: len(PROFILES) - 1]
    )
    # The agreements cover the running programme: from its first semester to the end of its last one.
    semesters = region.semesters.aggregate(first=Min("starts_on"), last=Max("ends_on"))
    starts_on = semesters["first"] or min(
        dt.date(region.program.interest_deadline.year + 1, 8, 15), today - dt.timedelta(days=120)
    )
    ends_on = semesters["last"] or dt.date(region.program.interest_deadline.year + 2, 12, 15)
    for index, (municipality, profile) in enumerate(zip([sunnfjord, *others], PROFILES, strict=False)):
        count, hours, weeks_since, plan_next, declined = profile
        group = _group(region, municipality)
        agreement, created = GuidanceAgreement.objects.get_or_create(
            regional_program=region,
            municipality=municipality,
            defaults={
                "agreed_hours": Decimal(hours),
                "starts_on": starts_on,
                "ends_on": ends_on,
                "focus_themes": [T.ANCHORING, T.PARTICIPATION]
                if index % 2 == 0
                else [T.STRUCTURE, T.COLLABORATION],
                "agreement_text": (
                    "Prosess-støtte til kommunegruppens lokale utviklingsarbeid, i grensesnittet mellom "
                    "rådgivning og veiledning. Møtene avtales fortløpende, digitalt eller fysisk."
                ),
                # The municipality's own coordinator: one person, name and address together.
                "municipal_contact_name": group.coordinator_name,
                "municipal_contact_email": group.coordinator_email,
                "municipal_contact_phone": group.coordinator_phone,
                "council_contact_name": vera.full_name,
                "council_contact_email": vera.email,
                "remind_coordinator": index == 0,
                "declined_on": today - dt.timedelta(days=60) if declined else None,
                "declined_note": "Kommunen prioriterer arbeidet i egen regi dette året." if declined else "",
            },
        )
        if created:
            agreement.advisors.set([vera] if index != 3 else [vera, tor])
        revisions = _plan(region, municipality, ctx["contact"], vera, today) if index == 0 else []
        _sessions(
            agreement,
            group,
            vera,
            count=count,
            weeks_since=weeks_since,
            plan_next=plan_next,
            today=today,
            revisions=revisions,
        )
    ctx["guidance_region"] = region
