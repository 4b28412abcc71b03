"""Print the e-mails that development wrote to var/mail/, decoded: who, subject and the plain text.

Django's file backend stores raw MIME (base64 bodies, =?utf-8?b?…?= subjects), unreadable as it is.
`python manage.py mail_show` shows the newest messages; `--to` filters on a recipient, `--html` prints the
HTML part instead of the text.
"""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

SEPARATOR = "-" * 79


def mail_files(folder: Path) -> list[Path]:
    return sorted((p for p in folder.glob("*.log") if p.is_file()), key=lambda p: (p.stat().st_mtime, p.name))


def messages_in(path: Path) -> list[email.message.EmailMessage]:
    """One file holds every message sent over one connection, each followed by a line of 79 dashes."""
    raw = path.read_bytes()
    chunks = [c.strip(b"\n") for c in raw.split(b"\n" + SEPARATOR.encode() + b"\n")]
    return [email.message_from_bytes(c, policy=email.policy.default) for c in chunks if c.strip()]


def _part(message: email.message.EmailMessage, html: bool) -> str:
    body = message.get_body(preferencelist=("html",) if html else ("plain",))
    return body.get_content() if body is not None else ""


class Command(BaseCommand):
    help = "Vis e-postene som er skrevet til var/mail/ (utvikling), dekodet: til, emne og tekst."

    def add_arguments(self, parser):
        parser.add_argument("--antall", "-n", type=int, default=10, help="hvor mange av de nyeste (10)")
        parser.add_argument("--to", default="", help="bare e-post til denne adressen (eller en del av den)")
        parser.add_argument("--html", action="store_true", help="vis HTML-delen i stedet for ren tekst")
        parser.add_argument("--mappe", default="", help="en annen mappe enn EMAIL_FILE_PATH")

    def handle(self, *args, antall, to, html, mappe, **options):
        folder = Path(mappe or getattr(settings, "EMAIL_FILE_PATH", "var/mail"))
        if not folder.is_dir():
            self.stdout.write(f"Ingen e-post ennå: mappen {folder} finnes ikke.")
            return
        found = [m for path in mail_files(folder) for m in messages_in(path)]
        if to:
            found = [m for m in found if to.lower() in str(m.get("To", "")).lower()]
        if not found:
            self.stdout.write(f"Ingen e-post i {folder}.")
            return
        shown = found[-antall:] if antall > 0 else found
        self.stdout.write(f"{len(shown)} av {len(found)} e-poster i {folder} (nyeste sist)\n")
        for message in shown:
            self.stdout.write("=" * 79)
            for header in ("Date", "From", "To", "Subject"):
                self.stdout.write(f"{header}: {' '.join(str(message.get(header, '')).split())}")
            attachments = [p.get_filename() for p in message.iter_attachments() if p.get_filename()]
            if attachments:
                self.stdout.write(f"Vedlegg: {', '.join(attachments)}")
            self.stdout.write("")
            self.stdout.write(_part(message, html).rstrip())
            self.stdout.write("")
