"""The one door for outgoing mail. Apps call `message_send`; they never call Django's mail API themselves.

Contract (stable; the reminders issue replaces the inside with the delivery outbox, rows and Celery tasks):

    message_send(
        occasion="programs.interest_receipt",        # dotted code of the occasion
        key="registration:12:v3",                    # unique per occasion: (occasion, key, recipient) is sent once
        recipients=[Recipient(email=..., name=..., user_id=...)],
        template="programs/email/interest_receipt",  # renders <template>_subject.txt, <template>.txt, <template>.html
        context={...},                               # template context; the recipient is added as `recipient`
        attachments=[Attachment(filename="samling.ics", content=b"...", mimetype="text/calendar")],
    )

It must be called inside the service's transaction; mail leaves only after commit, so a rolled-back
change never sends anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


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
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        body = render_to_string(f"{template}.txt", ctx)
        html = render_to_string(f"{template}.html", ctx)
    return RenderedMessage(subject=subject, body=body, html=html, recipient=recipient)


def _deliver(message: RenderedMessage) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        to=[
            f"{message.recipient.name} <{message.recipient.email}>"
            if message.recipient.name
            else message.recipient.email
        ],
    )
    email.attach_alternative(message.html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment.filename, attachment.content, attachment.mimetype)
    email.send()


def message_send(
    *,
    occasion: str,
    key: str,
    recipients: Iterable[Recipient],
    template: str,
    context: dict[str, Any],
    attachments: Iterable[Attachment] = (),
) -> None:
    seen: set[str] = set()
    messages = []
    for recipient in recipients:
        address = recipient.email.strip().lower()
        if not address or address in seen:
            continue
        seen.add(address)
        message = message_render(template=template, context=context, recipient=recipient)
        message.attachments = list(attachments)
        messages.append(message)
    for message in messages:
        transaction.on_commit(lambda m=message: _deliver(m))
