"""Demo edition with a realistic timeline."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from .models import Program

OSLO = ZoneInfo("Europe/Oslo")


def seed(ctx: dict) -> None:
    today = timezone.localdate()
    # The next 15 September that lies ahead of today, at 23:59 Oslo time.
    year = today.year if today < dt.date(today.year, 9, 15) else today.year + 1
    program, _ = Program.objects.get_or_create(
        slug=f"regionale-program-{year}",
        defaults={
            "name": f"Fremtidens kulturskole – regionale program {year}–{year + 2}",
            "invitation_text": (
                "Norsk kulturskoleråd inviterer fylkesavdelingene til å melde interesse for regionale "
                "utviklingsprogram for kommunene. Programmet går over tre semestre med seks samlinger, "
                "mellomarbeid og prosess-støtte fra veiledere."
            ),
            "interest_deadline": dt.datetime(year, 9, 15, 23, 59, tzinfo=OSLO),
            "start_semester": f"høst {year + 1}",
            "contact_email": "program@example.org",
            "is_published": True,
        },
    )
    ctx["program"] = program
