"""Small layout defects found by a new user on the demo data (`make run`): a word broken inside its letters,
a hint cut off on a phone, a hint about a wide table on a screen where the table fits."""

import pytest

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(transactional_db):
    from django.core.management import call_command

    call_command("seed_demo", force=True, verbosity=0)


# How many lines each cell of a column takes for each of its words: 1 when no word is broken inside.
_LINES_PER_WORD = """(col) => [...document.querySelectorAll(`[data-testid="participant-table"] tbody tr`)]
  .map((tr) => tr.children[col]).filter(Boolean).flatMap((td) => {
    const text = td.firstChild; if (!text || text.nodeType !== 3) return [];
    const words = [], re = /\\S+/g; let m;
    while ((m = re.exec(text.data))) {
      const range = document.createRange(); range.setStart(text, m.index); range.setEnd(text, m.index + m[0].length);
      words.push([m[0], new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size]);
    }
    return words;
  })"""

# The placeholder's drawn width against the room for text inside its field.
_PLACEHOLDER_FITS = """(input) => {
  const s = getComputedStyle(input), ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
  const room = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  return [ctx.measureText(input.placeholder).width, room];
}"""


def test_the_answer_column_never_breaks_a_word_at_1280(browser_page, seeded):
    from gatherings.models import Gathering

    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    gathering = (
        Gathering.objects.filter(registrations__dietary_needs__gt="").order_by("starts_at").distinct().first()
    )
    # needs as people write them: long, so the table is squeezed into 1280 px
    gathering.registrations.update(
        dietary_needs="Glutenfri og laktosefri kost, ingen nøtter (alvorlig allergi), helst vegetar ved lunsj",
        accessibility_needs="Rullestolbruker: trenger trinnfri adkomst, HC-toalett og plass ved bordet nær døren",
    )
    browser_login(page, "leder@example.org")
    page.goto(f"/samlinger/{gathering.pk}/deltakere/")
    page.wait_for_load_state("networkidle")
    words = page.evaluate(_LINES_PER_WORD, 3)
    assert words, "ingen svar i tabellen"
    broken = [word for word, lines in words if lines > 1]
    assert broken == [], f"ord delt inne i ordet i kolonnen Svar: {broken}"


def test_the_registered_needs_hint_fits_its_field_at_360(browser_page, seeded):
    from gatherings.models import Gathering, Registration
    from programs.models import MunicipalGroup

    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    group = MunicipalGroup.objects.get(municipality__name="Sunnfjord")
    gathering = next(
        g
        for g in Gathering.objects.filter(regional_program=group.regional_program).order_by("starts_at")
        if g.registration_open() and not g.is_pre_gathering
    )
    member = group.members.order_by("pk").first()
    Registration.objects.update_or_create(
        gathering=gathering,
        member=member,
        defaults={
            "group": group,
            "municipality": group.municipality,
            "name": member.name,
            "email": member.email,
            "status": "attending",
            "dietary_needs": "Glutenfri",
        },
    )
    browser_login(page, "kommune@example.org")
    page.goto(f"/samlinger/{gathering.pk}/pamelding/{group.pk}/")
    field = page.locator(f"#id_dietary_{member.pk}")
    assert field.get_attribute("placeholder")
    drawn, room = field.evaluate(_PLACEHOLDER_FITS)
    assert drawn <= room, (
        f"«{field.get_attribute('placeholder')}» er {drawn:.0f} px i et felt med {room:.0f} px"
    )


def test_the_reports_scroll_hint_shows_on_a_phone_only(browser_page, seeded):
    from programs.models import RegionalProgram

    page = browser_page
    region = RegionalProgram.objects.filter(gatherings__isnull=False).order_by("pk").first()
    browser_login(page, "leder@example.org")
    for width, shown in ((1280, False), (360, True)):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/program/region/{region.pk}/rapport/")
        assert page.get_by_test_id("heatmap-scroll-hint").first.is_visible() is shown, f"{width} px"
