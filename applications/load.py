"""Load data: about 5,000 applications with their proposed groups, 14,000 reviews, decisions and groups."""

import datetime as dt

from accounts.load import person_name
from programs.models import MunicipalGroup, MunicipalGroupMember

from .models import (
    Application,
    ApplicationDeadlineExtension,
    ApplicationGroupMember,
    ApplicationStatus,
    Decision,
    DecisionOutcome,
    JuryMember,
    Review,
    ReviewScore,
    Sector,
    SelectionCriterion,
)

APPLY_SHARE = 0.9
JURY_PER_REGION = 5
MEMBERS_PER_GROUP = 5
CRITERIA = [
    ("Forankring", 3),
    ("Samhandling på tvers av tjenester", 2),
    ("Utviklingsområde", 2),
    ("Kommunegruppen", 1),
]

TEXT = (
    "Kulturskolen vil være en ressurs for hele oppvekstfeltet i kommunen. Vi samarbeider med barnehagene om "
    "musikk og dans, og med SFO om et kulturtilbud på ettermiddagen. Formannskapet har vedtatt deltakelsen, "
    "og kommunedirektøren har satt av ressurser til kommunegruppen og mellomarbeidet. "
)
SECTORS = [Sector.KULTURSKOLE, Sector.SKOLE, Sector.BARNEHAGE, Sector.SFO, Sector.ADMINISTRASJON]


def _status(rng, current: bool) -> str:
    if current:
        return rng.choices([ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED], weights=[3, 7])[0]
    return rng.choices(
        [
            ApplicationStatus.DRAFT,
            ApplicationStatus.WITHDRAWN,
            ApplicationStatus.ACCEPTED,
            ApplicationStatus.WAITLISTED,
            ApplicationStatus.DECLINED,
        ],
        weights=[4, 3, 25, 15, 53],
    )[0]


def seed_load(ctx: dict) -> None:
    rng, now, domain = ctx["rng"], ctx["now"], ctx["email_domain"]
    contacts = ctx["contacts"]
    jury_users = iter(ctx["jury"])
    applications, criteria, jury, extensions = [], [], [], []
    for rp, municipality_ids, current in ctx["regional_programs"]:
        submitted_at = rp.application_deadline - dt.timedelta(days=3)
        if current:
            submitted_at = now - dt.timedelta(days=2)
        for municipality_id in municipality_ids:
            if rng.random() > APPLY_SHARE:
                continue
            status = _status(rng, current)
            contact = contacts[municipality_id][0]
            sent = status != ApplicationStatus.DRAFT
            applications.append(
                Application(
                    regional_program=rp,
                    municipality_id=municipality_id,
                    status=status,
                    motivation=TEXT * rng.randint(3, 8),
                    development_links=TEXT * rng.randint(2, 6),
                    anchoring=TEXT * rng.randint(1, 3),
                    anchoring_decided_on=submitted_at.date() - dt.timedelta(days=30),
                    commitment=sent,
                    submitted_at=submitted_at - dt.timedelta(hours=rng.randint(0, 500)) if sent else None,
                    created_by=contact,
                    submitted_by=contact if sent else None,
                    text_updated_by=contact,
                    text_updated_at=submitted_at - dt.timedelta(days=5),
                )
            )
        for position, (name, weight) in enumerate(CRITERIA):
            criteria.append(
                SelectionCriterion(
                    regional_program=rp, name=name, description=TEXT, weight=weight, position=position
                )
            )
        for _ in range(JURY_PER_REGION):
            user = next(jury_users)
            jury.append(
                JuryMember(
                    regional_program=rp,
                    user=user,
                    email=user.email,
                    full_name=user.full_name,
                    added_by=ctx["leadership"][0],
                )  # fmt: skip
            )
        extensions.append(
            ApplicationDeadlineExtension(
                regional_program=rp,
                municipality_id=municipality_ids[0],
                deadline=rp.application_deadline + dt.timedelta(days=7),
                reason="Kommunestyret møtes etter fristen.",
                granted_by=ctx["leadership"][0],
            )
        )
    applications = Application.objects.bulk_create(applications, batch_size=1000)
    criteria = SelectionCriterion.objects.bulk_create(criteria)
    jury = JuryMember.objects.bulk_create(jury)
    ApplicationDeadlineExtension.objects.bulk_create(extensions)

    ApplicationGroupMember.objects.bulk_create(
        [
            ApplicationGroupMember(
                application=application,
                name=person_name(rng),
                email=f"gruppe-{application.pk}-{i}@{domain}",
                phone="+47 900 00 000",
                sector=SECTORS[i],
                role_title="Rektor" if i == 0 else "Rådgiver",
                is_coordinator=i == 0,
            )
            for application in applications
            for i in range(MEMBERS_PER_GROUP)
        ],
        batch_size=2000,
    )

    criteria_by_rp: dict[int, list[SelectionCriterion]] = {}
    for criterion in criteria:
        criteria_by_rp.setdefault(criterion.regional_program_id, []).append(criterion)
    jury_by_rp: dict[int, list[JuryMember]] = {}
    for member in jury:
        jury_by_rp.setdefault(member.regional_program_id, []).append(member)
    current_rps = {rp.pk for rp, _m, current in ctx["regional_programs"] if current}

    reviews = []
    for application in applications:
        if application.status in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN):
            continue
        members = jury_by_rp[application.regional_program_id]
        for member in rng.sample(members, 3 if rng.random() < 0.9 else 4):
            delivered = application.regional_program_id not in current_rps or rng.random() < 0.6
            conflict = rng.random() < 0.03
            reviews.append(
                Review(
                    application=application,
                    jury_member=member,
                    has_conflict=conflict if delivered else None,
                    conflict_note="Jeg er gift med rektor." if conflict and delivered else "",
                    comment=TEXT if delivered and not conflict else "",
                    submitted_at=application.submitted_at + dt.timedelta(days=20) if delivered else None,
                )
            )
    reviews = Review.objects.bulk_create(reviews, batch_size=2000)
    application_rp = {a.pk: a.regional_program_id for a in applications}
    ReviewScore.objects.bulk_create(
        [
            ReviewScore(review=review, criterion=criterion, score=rng.randint(1, 5))
            for review in reviews
            if review.submitted_at and not review.has_conflict
            for criterion in criteria_by_rp[application_rp[review.application_id]]
        ],
        batch_size=5000,
    )

    decided = [a for a in applications if a.status in DecisionOutcome.values]
    Decision.objects.bulk_create(
        [
            Decision(
                application=a,
                outcome=a.status,
                letter_subject="Vedtak om opptak",
                letter_text=TEXT * 3,
                decided_by=ctx["leadership"][0],
                decided_at=a.submitted_at + dt.timedelta(days=40),
            )
            for a in decided
        ],
        batch_size=1000,
    )
    accepted = [a for a in decided if a.status == ApplicationStatus.ACCEPTED]
    groups = MunicipalGroup.objects.bulk_create(
        [
            MunicipalGroup(
                regional_program_id=a.regional_program_id,
                municipality_id=a.municipality_id,
                coordinator_name=person_name(rng),
                coordinator_email=f"koordinator-{a.pk}@{domain}",
            )
            for a in accepted
        ],
        batch_size=1000,
    )
    for application, group in zip(accepted, groups, strict=True):
        application.municipal_group = group
    Application.objects.bulk_update(accepted, ["municipal_group"], batch_size=1000)
    MunicipalGroupMember.objects.bulk_create(
        [
            MunicipalGroupMember(
                group=group,
                name=person_name(rng),
                email=f"medlem-{group.pk}-{i}@{domain}",
                sector=SECTORS[i],
                role_title="Rektor" if i == 0 else "Rådgiver",
                is_coordinator=i == 0,
            )
            for group in groups
            for i in range(MEMBERS_PER_GROUP)
        ],
        batch_size=2000,
    )
    ctx["applications"] = applications
    ctx["reviews"] = reviews
    ctx["municipal_groups"] = groups


def reset_load(ctx: dict) -> None:
    """Applications and groups protect their regional programmes, so they go before the editions."""
    prefix = ctx["slug_prefix"]
    Application.objects.filter(regional_program__program__slug__startswith=prefix).delete()
    MunicipalGroup.objects.filter(regional_program__program__slug__startswith=prefix).delete()
