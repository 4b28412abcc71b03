"""Building the e-mail of one outbox row: headers, Message-ID, encoded names. No database access."""

from __future__ import annotations

from email.charset import BASE64, Charset
from email.header import Header

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from ..models import Delivery
from ..occasions import (
    Prepared,
)
from ..outbox import Recipient, attachments_from_json, message_render


def _message_id(row: Delivery) -> str:
    """The same on every try of one sending (so a duplicate from the crash window is recognisable); a new
    one when leadership sends the row again, since that is a new e-mail clients must not hide."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "kulturskoleprogram.local"
    suffix = f"-{row.resends}" if row.resends else ""
    return f"<paaminnelse-{row.pk}{suffix}@{domain}>"


def _address(recipient: Recipient, *, encoded: bool = False) -> str:
    """«Name <address>» as the outbox always wrote it; names with address punctuation are quoted.

    `encoded`: the form for the header itself, with a non-ASCII name as encoded words (which need no quotes).
    """
    name = " ".join(recipient.name.split())
    if not name:
        return recipient.email
    if encoded and not name.isascii():
        return f"{header_words(name, header_name='To')} <{recipient.email}>"
    if any(c in name for c in ',;:<>@"()[]\\'):
        name = '"' + name.replace("\\", "").replace('"', "") + '"'
    return f"{name} <{recipient.email}>"


_HEADER_CHARSET = Charset("utf-8")
_HEADER_CHARSET.header_encoding = BASE64


def header_words(text: str, *, header_name: str = "Subject") -> str:
    """Header text as RFC 2047 encoded words (UTF-8, base64) when it is not plain ASCII, else unchanged.

    Every mail client reads it back as the same text. We encode it ourselves because the email package's
    default for UTF-8 headers first measures the quoted-printable form character by character to pick the
    shorter encoding, which was a third of the CPU it took to build a reminder (see bench/README.md).
    """
    if text.isascii():
        return text
    # encode() folds long text onto several lines; a header value given to Django must be one line, and
    # whitespace between encoded words is not part of the text (RFC 2047, 6.2). maxlinelen 75: with the
    # default 76 the email package makes words of 76 characters, one more than RFC 2047 allows. The header
    # name makes the first word short enough to stay on the header's own line when the message is written.
    encoded = Header(text, _HEADER_CHARSET, maxlinelen=75, header_name=header_name).encode()
    return " ".join(encoded.split())


class OutboxEmail(EmailMultiAlternatives):
    """Django's message for one recipient, with the subject and the recipient's name encoded by `header_words`
    and the bare address as the envelope. `subject` and `to` stay readable text for everyone who looks."""

    def __init__(self, *, recipient: Recipient, **kwargs) -> None:
        super().__init__(to=[_address(recipient)], **kwargs)
        self._to_header = _address(recipient, encoded=True)
        self._envelope = [recipient.email]

    def recipients(self) -> list[str]:
        return list(self._envelope)

    def message(self):
        readable = self.subject, self.to
        self.subject = header_words(str(self.subject))
        self.to = [self._to_header]
        try:
            return super().message()
        finally:
            self.subject, self.to = readable


def _email_for(row: Delivery, prepared: Prepared | None, mail_connection) -> EmailMultiAlternatives:
    recipient = Recipient(email=row.recipient_email, name=row.recipient_name, user_id=row.recipient_user_id)
    if prepared is None:
        assert row.is_prerendered  # a planned row is always sent with what its occasion prepared
        subject, body, html = row.subject, row.body, row.html
        attachments = attachments_from_json(row.attachments)
    else:
        message = message_render(template=prepared.template, context=prepared.context, recipient=recipient)
        # Planned reminders, and a queued message its occasion built again at send time, get their
        # attachments (e.g. a gathering's current .ics) from the current state, so they are never stale.
        subject, body, html = message.subject, message.body, message.html
        attachments = list(prepared.attachments)
    email = OutboxEmail(
        recipient=recipient,
        subject=subject,
        body=body,
        connection=mail_connection,
        headers={"Message-ID": _message_id(row), "Auto-Submitted": "auto-generated"},
    )
    if html:
        email.attach_alternative(html, "text/html")
    for attachment in attachments:
        email.attach(attachment.filename, attachment.content, attachment.mimetype)
    return email
