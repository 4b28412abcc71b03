"""The developer's view of var/mail/: decoded subjects and bodies (issue 12: raw MIME was unreadable)."""

from io import StringIO

from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.management import call_command


def test_mail_show_prints_the_messages_decoded(tmp_path):
    connection = get_connection("django.core.mail.backends.filebased.EmailBackend", file_path=str(tmp_path))
    for to, subject in (
        ("siri@example.org", "Søknadene er åpnet – frist 15. september"),
        ("ola@example.org", "Ævæl"),
    ):
        message = EmailMultiAlternatives(
            subject=subject, body="Hei Siri,\n\nNå kan dere søke. Æ, ø og å.", to=[to], connection=connection
        )
        message.attach_alternative("<p>Hei <strong>Siri</strong></p>", "text/html")
        message.attach("samling.ics", b"BEGIN:VCALENDAR", "text/calendar")
        message.send()

    out = StringIO()
    call_command("mail_show", mappe=str(tmp_path), to="siri@", stdout=out)
    text = out.getvalue()
    assert "Subject: Søknadene er åpnet – frist 15. september" in text
    assert "Nå kan dere søke. Æ, ø og å." in text
    assert "Vedlegg: samling.ics" in text
    assert "ola@example.org" not in text
    assert "=?utf-8?" not in text

    out = StringIO()
    call_command("mail_show", mappe=str(tmp_path), html=True, antall=1, stdout=out)
    assert "<strong>Siri</strong>" in out.getvalue()
    assert "1 av 2 e-poster" in out.getvalue()
