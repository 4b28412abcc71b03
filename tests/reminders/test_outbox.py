"""message_send on top of the delivery outbox, with eager Celery and the in-memory mail outbox."""

import pytest
from django.core import mail
from django.db import transaction

from reminders.models import Delivery, DeliveryState
from reminders.outbox import Attachment, Recipient, message_send

pytestmark = pytest.mark.django_db


def _send(**overrides):
    kwargs = {
        "occasion": "tests.notice",
        "key": "notice:1",
        "recipients": [
            Recipient(email="Kari@Example.org", name="Kari Nordmann"),
            Recipient(email="ola@example.org"),
        ],
        "template": "reminders_test/message",
        "context": {"title": "nr. 1", "text": "Søknaden er mottatt."},
    }
    kwargs.update(overrides)
    message_send(**kwargs)


def test_message_send_delivers_after_commit_one_mail_per_recipient(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send(
            attachments=[
                Attachment(filename="samling.ics", content=b"BEGIN:VCALENDAR", mimetype="text/calendar")
            ]
        )

    assert len(mail.outbox) == 2
    kari = next(m for m in mail.outbox if "kari@example.org" in m.to[0])
    assert kari.subject == "Testmelding nr. 1"
    assert "Hei Kari Nordmann" in kari.body
    assert kari.alternatives[0][1] == "text/html"
    assert kari.attachments[0][0] == "samling.ics"
    assert kari.extra_headers["Message-ID"].startswith("<paaminnelse-")
    rows = Delivery.objects.order_by("recipient_email")
    assert [r.state for r in rows] == [DeliveryState.SENT, DeliveryState.SENT]
    assert all(r.sent_at and r.attempts == 1 for r in rows)


def test_same_occasion_key_and_recipient_is_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send()
    with django_capture_on_commit_callbacks(execute=True):
        _send(recipients=[Recipient(email="kari@example.org"), Recipient(email="per@example.org")])

    assert sorted(m.to[0].split("<")[-1].strip(">") for m in mail.outbox) == [
        "kari@example.org",
        "ola@example.org",
        "per@example.org",
    ]
    assert Delivery.objects.count() == 3


def test_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _send()
                raise RuntimeError("avbrutt")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert Delivery.objects.count() == 0


def test_nothing_leaves_before_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _send()
    assert mail.outbox == []
    assert len(callbacks) == 1
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.PLANNED}


def test_empty_and_duplicate_addresses_are_dropped(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send(
            recipients=[
                Recipient(email=""),
                Recipient(email="a@example.org"),
                Recipient(email=" A@example.org "),
            ]
        )
    assert len(mail.outbox) == 1


def test_recipient_names_with_address_punctuation_are_quoted(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send(recipients=[Recipient(email="kari@example.org", name='Nordmann, "Kari"')])
    assert mail.outbox[0].to == ['"Nordmann, Kari" <kari@example.org>']


def test_a_norwegian_subject_reaches_the_reader_unchanged_in_ascii_headers(
    django_capture_on_commit_callbacks,
):
    import email
    import email.policy

    subject = (
        "Påminnelse: søknad til Fremtidens kulturskole – regionale program 2026–2027 innen "
        "15. september kl. 23:59 (Ærlig talt, Øystein og Åse)"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _send(template="reminders_test/message", context={"title": subject[len("Testmelding ") :]})
    sent = mail.outbox[0]
    assert sent.subject.startswith("Testmelding ")  # what the application sees stays readable text

    raw = sent.message().as_bytes(linesep="\r\n")
    header_block = raw.split(b"\r\n\r\n", 1)[0]
    header_block.decode("ascii")  # the headers themselves are pure ASCII
    words = [w for w in header_block.split() if w.startswith(b"=?")]
    assert len(words) >= 2
    assert max(len(w) for w in words) <= 75  # RFC 2047's limit for one encoded word
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == sent.subject


def test_header_words_leave_ascii_alone():
    from reminders.services import header_words

    assert header_words("Receipt 12") == "Receipt 12"
    assert header_words("") == ""
    assert "\n" not in header_words("Å" * 300)


def test_a_norwegian_name_with_punctuation_reaches_the_reader_unchanged(django_capture_on_commit_callbacks):
    import email
    import email.policy

    with django_capture_on_commit_callbacks(execute=True):
        _send(recipients=[Recipient(email="ase@example.org", name="Ødegård, Åse (styreleder)")])
    sent = mail.outbox[0]
    assert sent.to == ['"Ødegård, Åse (styreleder)" <ase@example.org>']  # readable in the application
    assert sent.recipients() == ["ase@example.org"]  # the envelope: the bare address
    raw = sent.message().as_bytes(linesep="\r\n")
    raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    to = email.message_from_bytes(raw, policy=email.policy.default)["To"]
    assert to.addresses[0].display_name == "Ødegård, Åse (styreleder)"
    assert to.addresses[0].addr_spec == "ase@example.org"


def test_a_subject_with_ampersand_and_angle_brackets_is_not_html_escaped(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send(context={"title": "Musikk & dans <3", "text": "x"})
    assert {m.subject for m in mail.outbox} == {"Testmelding Musikk & dans <3"}
