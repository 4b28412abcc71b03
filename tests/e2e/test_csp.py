"""Under the Content-Security-Policy every page works: no violation on the pages with our scripts and styles."""

import pytest
from django.core.management import call_command

from tests.conftest import browser_login

pytestmark = pytest.mark.browser

WATCH = """() => { window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || ''))); }"""


def _visit(page, path, violations):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    violations.extend(f"{path}: {v}" for v in page.evaluate("window.__cspViolations || []"))


def test_no_policy_violation_on_pages_with_scripts_and_styles(browser_page, transactional_db):
    from applications.models import Application
    from programs.models import Program

    call_command("seed_demo", force=True)
    page = browser_page
    page.add_init_script(f"({WATCH})()")
    messages = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    violations: list[str] = []
    program = Program.objects.order_by("-interest_deadline").first()

    browser_login(page, "leder@example.org")
    for path in (
        "/",
        "/personer/inviter/",
        "/personer/",
        f"/program/{program.pk}/temperaturmaling/",
        f"/soknader/{Application.objects.first().pk}/utskrift/",
    ):
        _visit(page, path, violations)
    page.goto("/personer/inviter/")
    # role_scope.js shows the branch field only for the board role: a script that runs proves it loaded.
    page.get_by_label("Rolle").select_option(label="Fylkesstyre")
    assert page.get_by_label("Fylkesavdeling").is_visible()
    page.get_by_role("button", name="Logg ut").click()

    browser_login(page, "styre@example.org")
    registration_links = page.get_by_role("link", name="Meld interesse")
    if registration_links.count():
        registration_links.first.click()
    else:
        page.get_by_role("link", name="Endre interessemeldingen").first.click()
    page.wait_for_load_state("networkidle")
    violations.extend(page.evaluate("window.__cspViolations || []"))
    # municipality-search.js filters the list as one types.
    page.get_by_label("Søk etter kommune").fill("sunnf")
    assert page.get_by_label("Bergen", exact=True).is_hidden()
    assert violations == []
    assert messages == []
