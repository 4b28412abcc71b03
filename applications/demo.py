"""Demo applications in Vestland: Sunnfjord's draft (kommune@example.org), a few submitted ones, criteria and
jury@example.org on the jury. Idempotent."""

import datetime as dt

from django.utils import timezone

from programs.models import InterestRegistration, MunicipalGroup, RegionalProgram
from programs.selectors import regional_program_municipalities
from programs.timing import deadline_from_date

from .models import (
    Application,
    ApplicationGroupMember,
    ApplicationStatus,
    Decision,
    DecisionOutcome,
    JuryMember,
    Review,
    Sector,
    SelectionCriterion,
)

CRITERIA = [
    ("Forankring, politisk og administrativt", "Er deltakelsen vedtatt og eid av kommunen?", 3),
    ("Samhandling på tvers av tjenester", "Barnehage, SFO, skole og andre aktører er med.", 2),
    ("Tydelig utviklingsområde", "Hva vil kommunen utvikle, og hvorfor?", 2),
    ("Kommunegruppens sammensetning", "Relevante roller og en koordinator.", 1),
]

SUBMITTED = [
    (
        "Kulturskolen skal bli et ressurssenter for hele oppvekstfeltet i kommunen.",
        "Vi samarbeider med barnehagene om musikk og dans, og med SFO om kulturtilbud på ettermiddagen.",
        "Formannskapet vedtok deltakelsen, og kommunedirektøren har satt av ressurser.",
    ),
    (
        "Vi vil bruke programmet til å lage en plan for kulturskolen som del av kommuneplanen.",
        "Skolene og kulturskolen deler lokaler; vi vil bygge felles prosjekter i skoletiden.",
        "Kommunestyret vedtok søknaden i juni. Oppvekstsjefen leder arbeidet administrativt.",
    ),
    (
        "Kulturskolen vil nå flere barn, særlig dem som ikke går på kulturskolen i dag.",
        "Frivilligheten og biblioteket er med; barnehagene ønsker et fast samarbeid.",
        "Saken er forankret i hovedutvalg for oppvekst og kultur.",
    ),
]


def _regional_program(ctx: dict) -> RegionalProgram:
    rp = ctx.get("regional_program")
    if rp is None:
        rp = RegionalProgram.objects.filter(program=ctx["program"], branches=ctx["vestland"]).first()
    if rp is None:
        rp, _created = RegionalProgram.objects.get_or_create(program=ctx["program"], name="Vestland")
        rp.branches.add(ctx["vestland"])
    return rp


def _members(application: Application, municipality_name: str) -> None:
    if application.group_members.exists():
        return
    slug = municipality_name.lower().replace(" ", "").replace("ø", "o").replace("å", "a").replace("æ", "ae")
    ApplicationGroupMember.objects.bulk_create(
        [
            ApplicationGroupMember(
                application=application,
                name="Kari Koordinator",
                email=f"koordinator@{slug}.example.org",
                phone="+47 911 00 001",
                sector=Sector.KULTURSKOLE,
                role_title="Rektor i kulturskolen",
                is_coordinator=True,
            ),
            ApplicationGroupMember(
                application=application,
                name="Berit Barnehage",
                email=f"barnehage@{slug}.example.org",
                sector=Sector.BARNEHAGE,
                role_title="Styrer",
            ),
            ApplicationGroupMember(
                application=application,
                name="Sigurd Skole",
                email=f"skole@{slug}.example.org",
                sector=Sector.SKOLE,
                role_title="Rektor",
            ),
        ]
    )


def seed(ctx: dict) -> None:
    now = timezone.now()
    rp = _regional_program(ctx)
    changed = []
    if rp.application_deadline is None:
        rp.applications_open_at = now - dt.timedelta(days=10)
        rp.application_deadline = deadline_from_date(timezone.localdate() + dt.timedelta(days=30))
        changed += ["applications_open_at", "application_deadline"]
    if rp.places is None:
        rp.places = 4
        changed.append("places")
    if not rp.applicant_guidance:
        rp.applicant_guidance = (
            "Beskriv hvorfor kommunen vil delta, hvordan arbeidet er forankret, og hvem som er med i "
            "kommunegruppen. Kommunegruppen forplikter seg til å delta på alle seks samlingene og i "
            "mellomarbeidet."
        )
        changed.append("applicant_guidance")
    if changed:
        rp.save(update_fields=changed)
    ctx["regional_program"] = rp
    for position, (name, description, weight) in enumerate(CRITERIA):
        SelectionCriterion.objects.get_or_create(
            regional_program=rp,
            name=name,
            defaults={"description": description, "weight": weight, "position": position},
        )

    sunnfjord = ctx["sunnfjord"]
    draft, _created = Application.objects.get_or_create(
        regional_program=rp,
        municipality=sunnfjord,
        defaults={
            "created_by": ctx["contact"],
            "motivation": "Vi ønsker å utvikle kulturskolen som en del av oppvekstfeltet i Sunnfjord.",
        },
    )

    jury_user = ctx["jury"]
    member, _created = JuryMember.objects.get_or_create(
        regional_program=rp,
        email=jury_user.email,
        defaults={"user": jury_user, "full_name": jury_user.full_name, "added_by": ctx.get("leader")},
    )
    others = regional_program_municipalities(regional_program=rp).exclude(pk=sunnfjord.pk)[: len(SUBMITTED)]
    for municipality, (motivation, links, anchoring) in zip(others, SUBMITTED, strict=False):
        application, created = Application.objects.get_or_create(
            regional_program=rp,
            municipality=municipality,
            defaults={
                "status": ApplicationStatus.SUBMITTED,
                "motivation": motivation,
                "development_links": links,
                "anchoring": anchoring,
                "commitment": True,
                "submitted_at": now - dt.timedelta(days=2),
                "created_by": ctx.get("board"),
                "submitted_by": ctx.get("board"),
            },
        )
        _members(application, municipality.name)
        Review.objects.get_or_create(application=application, jury_member=member)
    ctx["sunnfjord_application"] = draft


def seed_running(ctx: dict) -> None:
    """After the gatherings demo: the running region's groups came the way every group comes, from an
    application that was accepted. Each group gets its submitted and accepted application (decided a month
    before the first gathering), and Vestland's interest registration names the groups' municipalities, so
    the report's funnel (interest → applied → accepted → groups) tells the same story as the groups."""
    region = ctx.get("gatherings_region")
    if region is None:
        return
    groups = list(MunicipalGroup.objects.filter(regional_program=region).select_related("municipality"))
    first = region.gatherings.order_by("starts_at").values_list("starts_at", flat=True).first()
    decided_at = (first or timezone.now()) - dt.timedelta(days=30)
    for group in groups:
        application, _created = Application.objects.get_or_create(
            regional_program=region,
            municipality=group.municipality,
            defaults={
                "status": ApplicationStatus.ACCEPTED,
                "motivation": SUBMITTED[0][0],
                "development_links": SUBMITTED[0][1],
                "anchoring": SUBMITTED[0][2],
                "commitment": True,
                "submitted_at": decided_at - dt.timedelta(days=30),
                "created_by": ctx.get("board"),
                "submitted_by": ctx.get("board"),
                "municipal_group": group,
            },
        )
        Decision.objects.get_or_create(
            application=application,
            defaults={
                "outcome": DecisionOutcome.ACCEPTED,
                "letter_subject": "Vedtak: tatt opp i regionalt program",
                "letter_text": f"{group.municipality.name} er tatt opp i {region.name}.",
                "decided_by": ctx.get("leader"),
                "decided_at": decided_at,
            },
        )
    registration = InterestRegistration.objects.filter(program=region.program, branch=ctx["vestland"]).first()
    if registration is not None:
        registration.municipalities.add(*[g.municipality for g in groups])
