"""What the guidance page shows leadership in its lists (written in Python by guidance_tags)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.guidance.factories import AgreementFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_leadership_sees_regions_with_counts_and_agreements_with_advisors_and_hours(client, setting):
    SessionFactory(agreement=setting.mine, advisor=setting.vera, duration_minutes=1290)  # 21.5 of 20 hours
    setting.theirs.advisors.add(setting.vera)
    declined = AgreementFactory(regional_program=setting.rp, agreed_hours=Decimal("10"), declined=True)
    client.force_login(setting.leader)
    html = client.get(reverse("guidance:home")).content.decode()

    regions = html[html.index('data-testid="guidance-regions"') :]
    regions = regions[: regions.index("</ul>")]
    assert f"{setting.rp.name} ({setting.rp.program.name}) – 3 avtaler:" in _text(regions)
    assert reverse("guidance:region_assign", args=[setting.rp.pk]) in regions
    assert reverse("guidance:overview", args=[setting.rp.pk]) in regions

    table = html[html.index('data-testid="agreement-list"') : html.index("</table>")]
    rows = {
        m.group(1): m.group(0)
        for m in re.finditer(r"<tr><th scope=\"row\"><a[^>]*>([^<]*)</a>.*?</tr>", table, re.S)
    }
    mine = _text(rows["Hjemkommune"])
    assert "Vera Veileder" in mine
    assert "21,5 av 20,0 timer (108 %)" in mine
    assert "Over rammen" in mine
    assert 'class="fill over" width="100"' in rows["Hjemkommune"]
    assert "Otto Annen, Vera Veileder" in _text(rows["Annenkommune"])
    assert "0,0 av 20,0 timer (0 %)" in _text(rows["Annenkommune"])
    assert f'href="{reverse("guidance:agreement_detail", args=[setting.mine.pk])}"' in rows["Hjemkommune"]
    gone = _text(rows[declined.municipality.name])
    assert "Takket nei" in gone
    assert "–" in gone
