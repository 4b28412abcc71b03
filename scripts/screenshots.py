"""Screenshots of the main screens for the README, taken from a running `make run` (demo data).

Usage: .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 docs/screenshots
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# (file, login, path) — paths are found by following the UI from the dashboard where ids vary.
SHOTS = [
    ("01-innlogging.png", None, "/logg-inn/"),
    ("02-oversikt-programledelse.png", "leder@example.org", "/"),
    ("03-temperaturmaling.png", "leder@example.org", "link:Temperaturmåling"),
    ("04-interessemelding-fylkesstyre.png", "styre@example.org", "link:Interessemelding"),
    ("05-soknad-kommune.png", "kommune@example.org", "/soknader/"),
    ("06-paminnelser.png", "leder@example.org", "/paminnelser/"),
    ("07-logg.png", "leder@example.org", "/logg/"),
    # The second half of the year; the ids are those of a fresh `make run` (the demo's running region is 2).
    ("08-samlinger-region.png", "leder@example.org", "/samlinger/region/2/"),
    ("09-mellomarbeid-region.png", "kommune@example.org", "/samlinger/region/2/mellomarbeid/"),
    ("10-veileder-oversikt.png", "veileder@example.org", "/"),
    ("11-veiledning-timer.png", "leder@example.org", "/veiledning/regionalt-program/2/oversikt/"),
    ("12-rapport.png", "leder@example.org", "/program/region/2/rapport/"),
    ("13-oversikt-kommune.png", "kommune@example.org", "/"),
    ("14-to-trinns-innlogging.png", "leder@example.org", "/to-trinn/oppsett/"),
    ("15-kalenderadresser.png", "kommune@example.org", "/samlinger/kalender/"),
]


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        for name, login, target in SHOTS:
            context = browser.new_context(
                base_url=base, viewport={"width": 1280, "height": 860}, locale="nb-NO"
            )
            page = context.new_page()
            if login:
                page.goto("/logg-inn/")
                page.get_by_label("E-post").fill(login)
                page.get_by_label("Passord").fill("kulturskole")
                page.get_by_role("button", name="Logg inn").click()
                page.wait_for_load_state("networkidle")
            if target.startswith("link:"):
                page.goto("/")
                page.get_by_role("link", name=target.removeprefix("link:")).first.click()
            else:
                page.goto(target)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / name), full_page=False)
            print(out / name, page.url)
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), Path(sys.argv[2]))
