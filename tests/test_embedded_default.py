"""The embedded default (`make run`: SQLite, demo data) serves every page a demo login reaches without an error.

The suite itself runs on PostgreSQL; a read written out as SQL can behave differently on SQLite (a datetime
comes back naive, a date as text), which only the trial run would show. This test builds a fresh SQLite
database as `scripts/run.sh` does, then signs in as each demo login and opens the dashboard and every page it
links to, and every page those link to (two clicks deep, GET only), in a separate process.
"""

from tests.test_project import _bare_env, _manage

CRAWL = r"""
import re, sys
from django.test import Client, override_settings
from accounts.management.commands.seed_demo import DEMO_LOGINS
from accounts.models import User

# The static files' manifest is what `collectstatic` writes for the trial run; the pages are what is tested here.
override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}).enable()
SKIP = ("/logg-ut", "/static/", "/media/", "/admin/", "/i18n/", "/favicon")
broken, seen_total = [], 0
for email, _label in DEMO_LOGINS:
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    client.force_login(User.objects.get(email=email))
    seen, queue = set(), [("/", 0)]
    while queue:
        path, depth = queue.pop(0)
        if path in seen or len(seen) >= 150:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code >= 500:
            broken.append(f"{email} {path} {response.status_code}")
            continue
        if depth < 2 and response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
                href = href.replace("&amp;", "&")
                if not href.startswith(SKIP) and href not in seen:
                    queue.append((href, depth + 1))
    seen_total += len(seen)
print(f"PAGES {seen_total}")
for line in broken:
    print(f"BROKEN {line}")
"""


def test_every_page_a_demo_login_reaches_answers_on_the_embedded_default(tmp_path):
    env = _bare_env(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        DEBUG="false",
        SITE_URL="http://127.0.0.1:8000",
        ALLOWED_HOSTS="127.0.0.1",
    )
    for args in (("migrate", "--noinput", "-v", "0"), ("load_reference_data",), ("seed_demo", "--force")):
        result = _manage(*args, env=env, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
    result = _manage("shell", "-c", CRAWL, env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    pages = int(next(line for line in result.stdout.splitlines() if line.startswith("PAGES")).split()[1])
    broken = [line for line in result.stdout.splitlines() if line.startswith("BROKEN")]
    assert pages > 100  # the five logins reached their pages, not just a login screen
    assert broken == [], "\n".join(broken) + "\n" + result.stderr[-3000:]
