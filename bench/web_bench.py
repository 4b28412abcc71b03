"""Web pages at national scale: every heavy page beside the Django admin change list of the same objects.

Starts gunicorn (2 sync workers, production settings, 127.0.0.1 only) on the database in DATABASE_URL, which
must hold `manage.py seed_load` data (the bench loads it if it is missing), logs in as the roles that open
each page, and measures in one run:

1. one request at a time: median and maximum of --requests requests per page (after warming up both workers);
2. throughput: --clients concurrent clients for --seconds seconds per page, the page and then the admin change
   list of the same objects, and a trivial page (`/helse/`) for reference;
3. think time: 20 users clicking over the heavy pages with 1–2 s between clicks for --think-seconds seconds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_scale REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python bench/web_bench.py --readme

Targets (issue 14): median < 50 ms and none over 100 ms; each heavy page ≥ 2× the admin's req/s;
think time p95 < 150 ms with 0 errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- web_bench:begin -->", "<!-- web_bench:end -->"
PASSWORD = "kulturskole"  # noqa: S105 - the documented password of seed_load's people
DOMAIN = "last.example.org"


def server_env(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="bench-only-not-secret",  # noqa: S106 - a local benchmark server
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}",
        EMAIL_URL="consolemail://",
        DEFAULT_FROM_EMAIL="bench@example.org",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        # The load's leadership has no authenticator; the code is asked once at sign-in, so switching the
        # requirement off changes the login, not the pages measured (their check reads the session).
        TWO_FACTOR_REQUIRED_FOR_LEADERSHIP="false",
    )
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
    return env


# --- HTTP client (one connection per request: gunicorn's sync workers close it anyway) -------------------


class Client:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, timeout: float = 30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            content = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, content, response.getheader("Location")
        finally:
            conn.close()

    def login(self, email: str, path: str = "/logg-inn/") -> None:
        status, content, _ = self.request("GET", path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or not token:
            raise SystemExit(f"login page {path}: {status}")
        status, _content, location = self.request(
            "POST",
            path,
            {"csrfmiddlewaretoken": token.group(1).decode(), "username": email, "password": PASSWORD},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login as {email} failed: {status} {location}")


# --- What to measure ---------------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    role: str
    path: str
    admin: str = ""  # the Django admin change list of the same objects
    heavy: bool = True
    result: dict = field(default_factory=dict)


def pages_to_measure() -> tuple[list[Page], dict[str, str]]:
    """Ids from the database (the bench process reads it directly), and who logs in for which role."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from django.db.models import Count

    from accounts.models import User
    from applications.models import Application, Review
    from municipalities.models import CountyBranch
    from programs.models import Program, RegionalProgram

    current = Program.objects.filter(slug__startswith="last-").order_by("-interest_deadline").first()
    if current is None:
        raise SystemExit("No seed_load data: run manage.py seed_load first.")
    # The largest regional programme of an edition that has been through selection (scores everywhere).
    ranked = (
        RegionalProgram.objects.filter(program__slug__startswith="last-")
        .exclude(program=current)
        .annotate(n=Count("applications"))
        .order_by("-n", "pk")
        .first()
    )
    # A board member of a branch in the median number of regions (the load's regions overlap unevenly).
    branches = list(
        CountyBranch.objects.annotate(regions=Count("regional_programs")).order_by("regions", "pk")
    )
    board_branch = branches[len(branches) // 2]
    board = User.objects.get(email=f"styre-{board_branch.pk}-1@{DOMAIN}")
    jury = Review.objects.filter(jury_member__regional_program=ranked).values_list(
        "jury_member__user__email", flat=True
    )[0]
    contact_app = Application.objects.filter(regional_program__program=current).order_by("pk").first()
    contact = f"kontakt-{contact_app.municipality.number}-1@{DOMAIN}"
    # Gatherings and guidance, when their load hooks have filled them (gatherings/load.py, guidance/load.py).
    extra_pages: list[Page] = []
    advisor = ""
    try:
        from gatherings.models import Gathering
        from guidance.models import GuidanceSession

        gathering = (
            Gathering.objects.filter(regional_program__program__slug__startswith="last-")
            .annotate(n=Count("registrations"))
            .order_by("-n", "pk")
            .first()
        )
        session = GuidanceSession.objects.filter(advisor__email__endswith=DOMAIN).order_by("pk").first()
    except ImportError:
        gathering = session = None
    if gathering is not None:
        extra_pages += [
            Page("Samlinger i et regionalt program", "leadership", f"/samlinger/region/{gathering.regional_program_id}/",
                 f"/admin/gatherings/gathering/?regional_program__id__exact={gathering.regional_program_id}"),
            Page("Deltakerliste for en samling", "leadership", f"/samlinger/{gathering.pk}/deltakere/",
                 f"/admin/gatherings/registration/?gathering__id__exact={gathering.pk}"),
            Page("Oppmøte for en samling", "leadership", f"/samlinger/{gathering.pk}/oppmote/",
                 f"/admin/gatherings/registration/?gathering__id__exact={gathering.pk}"),
        ]  # fmt: skip
    if session is not None:
        advisor = session.advisor.email
        extra_pages += [
            Page("Veiledning (programledelse)", "leadership", "/veiledning/", "/admin/guidance/guidancesession/"),
            Page("Veiledning (veileder)", "advisor", "/veiledning/", "/admin/guidance/guidancesession/"),
        ]  # fmt: skip
    # The report (issue 15): the edition of the ranked programme, and a region of the board member's branch in
    # an edition that has been through selection, gatherings and guidance (the region's board opens it too).
    board_region = (
        RegionalProgram.objects.filter(branches=board_branch, program__slug__startswith="last-")
        .exclude(program=current)
        .annotate(n=Count("applications"))
        .order_by("-n", "pk")
        .first()
    )
    report_pages = [
        Page("Rapport for en utgave", "leadership", f"/program/{ranked.program_id}/rapport/"),
    ]
    if board_region is not None:
        report_pages += [
            Page("Rapport for en region (programledelse)", "leadership", f"/program/region/{board_region.pk}/rapport/"),
            Page("Rapport for en region (fylkesstyre)", "board", f"/program/region/{board_region.pk}/rapport/"),
        ]  # fmt: skip
    logins = {
        "leadership": f"leder@{DOMAIN}",
        "board": board.email,
        "jury": jury,
        "contact": contact,
        "admin": f"admin@{DOMAIN}",
    }
    if advisor:
        logins["advisor"] = advisor
    pages = [
        Page("Temperaturmåling", "leadership", f"/program/{current.pk}/temperaturmaling/",
             "/admin/programs/interestregistration/"),
        Page("Søknader (programledelse)", "leadership", "/soknader/", "/admin/applications/application/"),
        Page("Søknader (fylkesstyre)", "board", "/soknader/", "/admin/applications/application/"),
        Page("Søknader i ett regionalt program", "leadership", f"/soknader/?program={ranked.pk}",
             f"/admin/applications/application/?regional_program__id__exact={ranked.pk}"),
        Page("Rangering", "leadership", f"/soknader/program/{ranked.pk}/rangering/",
             f"/admin/applications/review/?application__regional_program__id__exact={ranked.pk}"),
        Page("Utvelgelse", "leadership", f"/soknader/program/{ranked.pk}/utvelgelse/",
             f"/admin/applications/jurymember/?regional_program__id__exact={ranked.pk}"),
        Page("Logg", "leadership", "/logg/", "/admin/audit/auditentry/"),
        Page("Personer", "leadership", "/personer/", "/admin/accounts/user/"),
        Page("Påminnelser", "leadership", "/paminnelser/", "/admin/reminders/delivery/"),
        Page("Kommuner", "leadership", "/kommuner/", "/admin/municipalities/municipality/"),
        Page("Jury: mine vurderinger", "jury", "/soknader/jury/", "/admin/applications/review/"),
        *extra_pages,
        *report_pages,
        Page("Forside (programledelse)", "leadership", "/", heavy=False),
        Page("Forside (fylkesstyre)", "board", "/", heavy=False),
        Page("Forside (kommunekontakt)", "contact", "/", heavy=False),
        Page("Søknad (kommunekontakt)", "contact", f"/soknader/{contact_app.pk}/", heavy=False),
        Page("Trivial side (/helse/)", "anonymous", "/helse/", heavy=False),
    ]  # fmt: skip
    return pages, logins


def warm_up(client: Client, path: str) -> None:
    """Two rounds of two requests at once, so that each of the two workers has served the page before it is
    measured: one after another, both warm-up requests could go to the same worker and the other worker's first
    request of the page (which builds what that page needs once per process) would be measured instead."""

    def one():
        c = Client(client.port)
        c.cookies = dict(client.cookies)
        c.request("GET", path)

    for _ in range(2):
        threads = [threading.Thread(target=one) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def one_at_a_time(client: Client, path: str, n: int) -> dict:
    warm_up(client, path)
    times, size, statuses = [], 0, set()
    for _ in range(n):
        started = time.perf_counter()
        status, content, _ = client.request("GET", path)
        times.append((time.perf_counter() - started) * 1000)
        size, statuses = len(content), statuses | {status}
    return {"median": statistics.median(times), "max": max(times), "bytes": size, "statuses": statuses}


def throughput(client: Client, path: str, clients: int, seconds: float) -> dict:
    stop = time.monotonic() + seconds
    counts, errors, lock = [0], [0], threading.Lock()

    def run():
        c = Client(client.port)
        c.cookies = dict(client.cookies)
        while time.monotonic() < stop:
            status, _content, _ = c.request("GET", path)
            with lock:
                counts[0] += 1
                errors[0] += status != 200

    started = time.monotonic()
    threads = [threading.Thread(target=run) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"rps": counts[0] / (time.monotonic() - started), "errors": errors[0]}


def think_time(port: int, sessions: dict[str, Client], pages: list[Page], users: int, seconds: float) -> dict:
    heavy = [p for p in pages if p.heavy or p.role != "anonymous"]
    stop = time.monotonic() + seconds
    times: list[float] = []
    errors, lock = [0], threading.Lock()

    def run(index: int):
        rng = random.Random(index)
        time.sleep(rng.uniform(0, 2))
        while time.monotonic() < stop:
            page = rng.choice(heavy)
            c = Client(port)
            c.cookies = dict(sessions[page.role].cookies)
            started = time.perf_counter()
            try:
                status, _content, _ = c.request("GET", page.path)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                times.append(elapsed)
                errors[0] += status != 200
            time.sleep(rng.uniform(1, 2))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()
    return {
        "requests": len(times),
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "max": times[-1],
        "errors": errors[0],
    }


# --- Server ------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = server_env(port)
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, bound to 127.0.0.1
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--worker-class", "sync", "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if Client(port).request("GET", "/helse/", timeout=2)[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer /helse/ within 30 s")


def write_readme(table: str) -> None:
    text = README.read_text()
    section = f"{BEGIN}\n{table}\n{END}"
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _m: section, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    README.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=15, help="sequential requests per page")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients in the throughput runs")
    parser.add_argument("--seconds", type=float, default=4, help="seconds per throughput run")
    parser.add_argument("--think-users", type=int, default=20)
    parser.add_argument("--think-seconds", type=float, default=60)
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    parser.add_argument("--readme", action="store_true", help="write the table to bench/README.md")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    pages, logins = pages_to_measure()
    if args.only:
        pages = [p for p in pages if args.only.lower() in p.name.lower()]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have it; earlier runs leave sessions behind
    connection.close()
    load_before = os.getloadavg()[0]
    port = free_port()
    server = start_server(port)
    try:
        sessions = {"anonymous": Client(port)}
        for role, email in logins.items():
            sessions[role] = Client(port)
            sessions[role].login(email, "/admin/login/?next=/admin/" if role == "admin" else "/logg-inn/")
        admin_rps: dict[str, dict] = {}
        for page in pages:
            client = sessions[page.role]
            page.result = one_at_a_time(client, page.path, args.requests)
            page.result.update(throughput(client, page.path, args.clients, args.seconds))
            if page.admin:
                if page.admin not in admin_rps:
                    admin_one = one_at_a_time(sessions["admin"], page.admin, max(3, args.requests // 3))
                    admin_rps[page.admin] = {
                        **throughput(sessions["admin"], page.admin, args.clients, args.seconds),
                        "median": admin_one["median"],
                        "statuses": admin_one["statuses"],
                    }
                page.result["admin"] = admin_rps[page.admin]
            r = page.result
            print(
                f"{page.name:40} {r['median']:7.1f} ms median {r['max']:7.1f} max {r['rps']:6.1f} req/s"
                + (f"  admin {r['admin']['rps']:6.1f} req/s" if page.admin else "")
                + f"  {r['bytes'] / 1024:.0f} KB {sorted(r['statuses'])}",
                flush=True,
            )
        think = {}
        if args.think_seconds > 0 and not args.only:
            think = think_time(port, sessions, pages, args.think_users, args.think_seconds)
            print(f"think time: {think}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = os.getloadavg()[0]

    lines = [
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, load average {load_before:.1f} before and "
        f"{load_after:.1f} after; {args.requests} sequential requests per page, {args.clients} clients × "
        f"{args.seconds:g} s for req/s.",
        "",
        "| page | role | median ms | max ms | KB | req/s | admin change list req/s | × admin |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for page in pages:
        r = page.result
        admin = r.get("admin")
        ratio = f"{r['rps'] / admin['rps']:.1f}×" if admin and admin["rps"] else "–"
        errors = "" if r["statuses"] == {200} else f" (status {sorted(r['statuses'])})"
        lines.append(
            f"| {page.name}{errors} | {page.role} | {r['median']:.0f} | {r['max']:.0f} | {r['bytes'] / 1024:.0f} "
            f"| {r['rps']:.0f} | {admin['rps']:.0f} (median {admin['median']:.0f} ms) | {ratio} |"
            if admin
            else f"| {page.name}{errors} | {page.role} | {r['median']:.0f} | {r['max']:.0f} "
            f"| {r['bytes'] / 1024:.0f} | {r['rps']:.0f} | – | – |"
        )
    if think:
        lines += [
            "",
            f"Think time: {args.think_users} users, 1–2 s between clicks over the pages above for "
            f"{args.think_seconds:g} s: {think['requests']} requests, p50 {think['p50']:.0f} ms, "
            f"p95 {think['p95']:.0f} ms, max {think['max']:.0f} ms, {think['errors']} errors.",
        ]
    table = "\n".join(lines)
    print(table)
    if args.readme:
        write_readme(table)


if __name__ == "__main__":
    main()
