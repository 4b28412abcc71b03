"""The one door for outgoing mail. Apps call `message_send`; they never call Django's mail API themselves.

Contract (stable):

    message_send(
        occasion="programs.interest_receipt",        # dotted code of the occasion
        key="registration:12:v3",                    # unique per occasion: (occasion, key, recipient) is sent once
        recipients=[Recipient(email=..., name=..., user_id=...)],
        template="programs/email/interest_receipt",  # renders <template>_subject.txt, <template>.txt, <template>.html
        context={...},                               # template context; the recipient is added as `recipient`
        attachments=[Attachment(filename="samling.ics", content=b"...", mimetype="text/calendar")],
        reference=lambda recipient: {"gathering": 7, "sequence": 2},  # optional: for a check at send time
        send_at=None,                                # optional: a moment ahead, to wait before it goes
    )

It must be called inside the service's transaction; mail leaves only after commit, so a rolled-back
change never sends anything.

Inside: each recipient becomes a `reminders.models.Delivery` row, rendered now (the context may hold model
instances that will have changed by the time the worker runs), under the unique key (occasion, key,
recipient e-mail); after commit one send task is queued for the new rows. A row that already exists is
not sent again. The worker sends each row at most once (see `reminders.services.sending.deliveries_send`), retries
failures with back-off, and the sweep picks up any row whose task was lost.

A message may wait (`send_at`, e.g. a change notice that a further change within minutes replaces): its
row is due then, its task is queued for then, and the sweep claims it from then on if that task is lost.
Until then the sender may withdraw it: `messages_waiting` finds and locks the rows not yet sent,
`messages_skip` marks them skipped with the reason leadership reads beside them.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

if TYPE_CHECKING:
    from .models import Delivery


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    user_id: int | None = None


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"

    @classmethod
    def calendar(cls, filename: str, content: bytes, *, method: str | None = None) -> Attachment:
        """A calendar entry from `core.ics` (e.g. `ics_single(event)`). An iTIP message (`method`, e.g. "CANCEL"
        from `ics_cancellation`) says its method in the Content-Type too, as iMIP (RFC 6047) requires."""
        mimetype = f"text/calendar; method={method}" if method else "text/calendar"
        return cls(filename=filename, content=content, mimetype=mimetype)


@dataclass
class RenderedMessage:
    subject: str
    body: str
    html: str
    recipient: Recipient
    attachments: list[Attachment] = field(default_factory=list)


def message_render(*, template: str, context: dict[str, Any], recipient: Recipient) -> RenderedMessage:
    with translation.override(settings.LANGUAGE_CODE):
        ctx = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
        subject = " ".join(_render_plain(f"{template}_subject.txt", ctx).split())
        body = _unmarked(render_to_string(f"{template}.txt", ctx))
        html = _unmarked(render_to_string(f"{template}.html", ctx))
    return RenderedMessage(subject=subject, body=body, html=html, recipient=recipient)


def _render_plain(name: str, ctx: dict[str, Any]) -> str:
    """A plain-text template (a mail's subject) rendered with autoescape off: "Musikk & dans <3" stays as typed,
    never "&amp;"/"&lt;". Wrapping the template's own source means no subject template has to remember it."""
    django_template = get_template(name).template
    wrapped = django_template.engine.from_string(
        "{% autoescape off %}" + django_template.source + "{% endautoescape %}"
    )
    return _unmarked(wrapped.render(Context(ctx, autoescape=False)))


def _unmarked(rendered: str) -> str:
    """The text without the template engine's "safe" mark. A mail's text is rendered with autoescape off and
    may hold what people typed (names, leadership's own introduction); shown in a page, it must be escaped."""
    return "".join([rendered])


def attachments_to_json(attachments: Iterable[Attachment]) -> list[dict[str, str]]:
    return [
        {
            "filename": a.filename,
            "mimetype": a.mimetype,
            "content": base64.b64encode(
                a.content if isinstance(a.content, bytes) else a.content.encode()
            ).decode(),
        }
        for a in attachments
    ]


def attachments_from_json(data: list[dict[str, str]]) -> list[Attachment]:
    return [
        Attachment(filename=a["filename"], content=base64.b64decode(a["content"]), mimetype=a["mimetype"])
        for a in data or []
    ]


def normalize_email(address: str) -> str:
    return (address or "").strip().lower()


def message_send(
    *,
    occasion: str,
    key: str,
    recipients: Iterable[Recipient],
    template: str,
    context: dict[str, Any],
    attachments: Iterable[Attachment] = (),
    program_id: int | None = None,
    recipient_context: Callable[[Recipient], dict[str, Any]] | None = None,
    reference: Callable[[Recipient], dict[str, Any]] | None = None,
    send_at: dt.datetime | None = None,
) -> int:
    """Queue one message per recipient (see the module docstring).

    `program_id`: the edition the message belongs to, so that leadership finds it under that edition.
    `recipient_context`: what differs per recipient (e.g. leadership's own text with {navn} filled in).
    `reference`: per recipient, the ids (JSON) the occasion's check at send time reads to tell whether the
    message is still true then (e.g. the gathering and the version it describes); see `ImmediateOccasion`.
    `send_at`: when it goes, if later than now (see the module docstring); until then it waits in the outbox.

    Returns how many addresses the message is for (each address once, including any already queued under
    this key), so the caller can tell the person acting how many were told.
    """
    from .models import Delivery
    from .tasks import deliveries_send

    attachment_rows = attachments_to_json(attachments)
    wanted = recipients_distinct(recipients)
    if not wanted:
        return 0
    existing = set(
        Delivery.objects.filter(occasion=occasion, key=key, recipient_email__in=list(wanted)).values_list(
            "recipient_email", flat=True
        )
    )
    now = timezone.now()
    due = send_at if send_at is not None and send_at > now else now
    rows = []
    for address, recipient in wanted.items():
        if address in existing:
            continue
        extra = recipient_context(recipient) if recipient_context else {}
        message = message_render(template=template, context={**context, **extra}, recipient=recipient)
        rows.append(
            Delivery(
                occasion=occasion,
                key=key,
                program_id=program_id,
                recipient_email=address,
                recipient_name=recipient.name,
                recipient_user_id=recipient.user_id,
                planned_at=due,
                next_attempt_at=due,
                # a waiting row is claimable by the sweep from its moment on, should its task be lost
                queued_at=now if due == now else None,
                template=template,
                subject=message.subject[:300],
                body=message.body,
                html=message.html,
                attachments=attachment_rows,
                context=reference(recipient) if reference else {},
            )
        )
    if not rows:
        return len(wanted)
    try:
        with transaction.atomic():
            created = Delivery.objects.bulk_create(rows)
    except IntegrityError:
        # Another transaction queued the same (occasion, key, recipient) meanwhile: keep the rows that are new.
        created = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.save()
                created.append(row)
            except IntegrityError:
                continue
    ids = [row.pk for row in created]
    if ids:
        # robust: a broker outage must not fail the caller's request; the sweep queues the rows again later.
        # Tasks of REMINDERS_SEND_BATCH rows, so every worker process takes a share of a large message
        # (a cancelled gathering with 1,000 people) instead of one process sending it all.
        batch = max(1, int(getattr(settings, "REMINDERS_SEND_BATCH", 25)))
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            if due > now:
                transaction.on_commit(
                    lambda chunk=chunk: deliveries_send.apply_async((chunk,), eta=due), robust=True
                )
            else:
                transaction.on_commit(lambda chunk=chunk: deliveries_send.delay(chunk), robust=True)
    return len(wanted)


def messages_waiting(*, occasion: str, reference: dict[str, Any]) -> list[Delivery]:
    """The occasion's rows not yet sent whose reference (`message_send(reference=...)`) holds these values,
    oldest first, locked until the caller's transaction ends. A row a worker is sending right now is waited
    for, so every row returned is truly unsent and no worker sends it before the caller has decided."""
    from .models import Delivery, DeliveryState

    return list(
        Delivery.objects.select_for_update()
        .filter(
            occasion=occasion,
            state=DeliveryState.PLANNED,
            **{f"context__{name}": value for name, value in reference.items()},
        )
        .order_by("id")
    )


def messages_skip(rows: Iterable[Delivery], *, reason: str) -> int:
    """Withdraw rows from `messages_waiting` (inside the same transaction): skipped, not sent, with the
    readable reason leadership sees beside them on the reminders page. Returns how many."""
    from .models import Delivery, DeliveryState

    ids = [row.pk for row in rows]
    if not ids:
        return 0
    return Delivery.objects.filter(pk__in=ids, state=DeliveryState.PLANNED).update(
        state=DeliveryState.SKIPPED, last_error=reason, queued_at=None, updated_at=timezone.now()
    )


def recipients_distinct(recipients: Iterable[Recipient]) -> dict[str, Recipient]:
    """Per normalised address, the first recipient with it: the people a message goes to, each once."""
    wanted: dict[str, Recipient] = {}
    for recipient in recipients:
        address = normalize_email(recipient.email)
        if address and address not in wanted:
            wanted[address] = recipient
    return wanted


def role_recipients(*, role: str, scope_field: str, scope_ids) -> dict[int, list[Recipient]]:
    """Active holders of a scoped role as recipients, grouped by scope id ("branch_id" or "municipality_id").

    One query for any number of scopes, so an occasion's planning costs the same for 2 or 200 of them.
    """
    from accounts.models import RoleAssignment

    result: dict[int, list[Recipient]] = {}
    assignments = (
        RoleAssignment.objects.filter(
            role=role, user__is_active=True, **{f"{scope_field}__in": list(scope_ids)}
        )
        .select_related("user")
        .order_by("user__email")
    )
    for a in assignments:
        result.setdefault(getattr(a, scope_field), []).append(
            Recipient(email=a.user.email, name=a.user.full_name, user_id=a.user_id)
        )
    return result
