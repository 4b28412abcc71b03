"""Load data: 50,000 log entries by the load's people about the load's objects, over ten years."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry

TOTAL = 50_000


def seed_load(ctx: dict) -> None:
    from accounts.models import User
    from applications.models import Application, Review
    from programs.models import InterestRegistration

    rng, now = ctx["rng"], ctx["now"]
    ct_application = ContentType.objects.get_for_model(Application)
    ct_review = ContentType.objects.get_for_model(Review)
    ct_user = ContentType.objects.get_for_model(User)
    ct_registration = ContentType.objects.get_for_model(InterestRegistration)
    leader = ctx["leadership"][0]
    rows: list[AuditEntry] = []

    def add(action, actor, ct, obj_id, repr_, at, details=None):
        rows.append(
            AuditEntry(
                at=at,
                actor=actor,
                action=action,
                content_type=ct,
                object_id=str(obj_id),
                object_repr=repr_[:300],
                details=details or {},
            )  # fmt: skip
        )

    for user in ctx["users"]:
        add("accounts.user.created", leader, ct_user, user.pk, user.email, now - dt.timedelta(days=3650))
    for registration in InterestRegistration.objects.filter(program__in=ctx["programs"]).select_related(
        "program", "branch"
    ):
        add(
            "programs.interest_registration.created",
            ctx["board"][registration.branch_id][0],
            ct_registration,
            registration.pk,
            str(registration.branch),
            registration.program.interest_deadline - dt.timedelta(days=5),
            {"level": registration.level},
        )
    municipality_names = {m.pk: m.name for m in ctx["municipalities"]}
    applications = {a.pk: a for a in ctx["applications"]}
    for application in ctx["applications"]:
        name = municipality_names[application.municipality_id]
        contact = ctx["contacts"][application.municipality_id][0]
        add("applications.application.created", contact, ct_application, application.pk, name,
            application.text_updated_at - dt.timedelta(days=20))  # fmt: skip
        if application.submitted_at:
            add("applications.application.submitted", contact, ct_application, application.pk, name,
                application.submitted_at)  # fmt: skip
        if application.status in ("accepted", "waitlisted", "declined"):
            add("applications.application.decided", leader, ct_application, application.pk, name,
                application.submitted_at + dt.timedelta(days=40), {"outcome": application.status})  # fmt: skip
    jury_users = {u.pk: u for u in ctx["jury"]}
    jury_user_of = {}
    for review in ctx["reviews"]:
        if review.submitted_at is None:
            continue
        jury_user_of.setdefault(review.jury_member_id, jury_users.get(review.jury_member.user_id))
        application = applications[review.application_id]
        add("applications.review.submitted", jury_user_of[review.jury_member_id], ct_review, review.pk,
            municipality_names[application.municipality_id], review.submitted_at)  # fmt: skip
    application_list = ctx["applications"]
    while len(rows) < TOTAL:
        application = rng.choice(application_list)
        add(
            "applications.application.draft_saved",
            rng.choice(ctx["contacts"][application.municipality_id]),
            ct_application,
            application.pk,
            municipality_names[application.municipality_id],
            application.text_updated_at - dt.timedelta(days=rng.randint(0, 19), minutes=rng.randint(0, 1440)),
            {"fields": ["motivation"]},
        )
    # The log's time is set by the database on save; the load writes the times the events would have had.
    field = AuditEntry._meta.get_field("at")
    field.auto_now_add = False
    try:
        AuditEntry.objects.bulk_create(rows[:TOTAL], batch_size=2000)
    finally:
        field.auto_now_add = True


def reset_load(ctx: dict) -> None:
    AuditEntry.objects.filter(actor__email__endswith=f"@{ctx['email_domain']}").delete()
