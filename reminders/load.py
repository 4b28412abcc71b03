"""Load data: 30,000 outbox rows over ten editions (receipts, decision letters, deadline reminders)."""

import datetime as dt

from .models import CancelReason, Delivery, DeliveryState

TOTAL = 30_000
OFFSETS = (14, 3, 1)
BODY = "Hei!\n\nDette er en påminnelse om fristen. Logg inn for å se hva som mangler.\n\nVennlig hilsen\nNorsk kulturskoleråd\n"


def seed_load(ctx: dict) -> None:
    rng, now = ctx["rng"], ctx["now"]
    current = ctx["current_program"]
    rows: list[Delivery] = []

    def add(*, occasion, key, scope, program_id, user, planned_at, state, template, prerendered):
        sent = state == DeliveryState.SENT
        rows.append(
            Delivery(
                occasion=occasion,
                key=key,
                scope=scope,
                program_id=program_id,
                recipient_email=user.email,
                recipient_name=user.full_name,
                recipient_user=user,
                planned_at=planned_at,
                next_attempt_at=planned_at,
                state=state,
                cancel_reason=CancelReason.PLAN if state == DeliveryState.CANCELLED else "",
                attempts=1 if sent else 0,
                sent_at=planned_at + dt.timedelta(seconds=30) if sent else None,
                template=template,
                subject="Kvittering" if prerendered else "",
                body=BODY if prerendered else "",
            )
        )

    rp_program = {rp.pk: rp.program_id for rp, _m, _c in ctx["regional_programs"]}
    for application in ctx["applications"]:
        if application.submitted_at is None:
            continue
        add(
            occasion="applications.application_receipt",
            key=f"application:{application.pk}:submitted",
            scope="",
            program_id=rp_program[application.regional_program_id],
            user=application.submitted_by,
            planned_at=application.submitted_at,
            state=DeliveryState.SENT,
            template="applications/email/application_receipt",
            prerendered=True,
        )
    for program in ctx["programs"]:
        past = program.pk != current.pk
        for branch in ctx["branches"]:
            for offset in OFFSETS:
                for user in ctx["board"][branch.pk]:
                    add(
                        occasion="programs.interest_deadline",
                        key=f"program:{program.pk}:branch:{branch.pk}:d{offset}",
                        scope=f"program:{program.pk}",
                        program_id=program.pk,
                        user=user,
                        planned_at=program.interest_deadline - dt.timedelta(days=offset),
                        state=rng.choice([DeliveryState.SENT, DeliveryState.SKIPPED]) if past else DeliveryState.SENT,
                        template="reminders/email/interest_deadline",
                        prerendered=False,
                    )  # fmt: skip
    for rp, municipality_ids, is_current in ctx["regional_programs"]:
        for municipality_id in municipality_ids:
            for offset in OFFSETS:
                planned = rp.application_deadline - dt.timedelta(days=offset)
                for user in ctx["contacts"][municipality_id][:2]:
                    if is_current:
                        state = DeliveryState.PLANNED if planned > now else DeliveryState.SENT
                    else:
                        state = rng.choices(
                            [DeliveryState.SENT, DeliveryState.SKIPPED, DeliveryState.CANCELLED, DeliveryState.FAILED],
                            weights=[70, 20, 8, 2],
                        )[0]  # fmt: skip
                    add(
                        occasion="applications.application_deadline",
                        key=f"regional:{rp.pk}:municipality:{municipality_id}:d{offset}",
                        scope=f"regional:{rp.pk}",
                        program_id=rp.program_id,
                        user=user,
                        planned_at=planned,
                        state=state,
                        template="reminders/email/application_deadline",
                        prerendered=False,
                    )
    rng.shuffle(rows)
    Delivery.objects.bulk_create(rows[:TOTAL], batch_size=2000)
