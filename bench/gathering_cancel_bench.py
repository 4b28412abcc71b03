"""Benchmark: cancelling a gathering with N registered people reaches every one of them through the real
worker, exactly once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_gatherings REDIS_URL=redis://127.0.0.1:6379/4 \
        .venv/bin/python bench/gathering_cancel_bench.py --count 1000 --readme

It migrates the database it is given, makes a regional programme with one gathering and N registered
people (domain bench-samling.example.org, removed at the start of the next run), starts an aiosmtpd sink
in this process and one worker process (prefork), then runs what the cancel button runs
(`gatherings.services.gathering_cancel`: lock, status, audit row, the cancellation with its .ics queued
through the outbox, commit) and measures from that moment until every person's mail has arrived at the
SMTP server and every outbox row is marked sent. The click must reach everyone within 30 s, with no
duplicates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.celery_worker_settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")

DOMAIN = "bench-samling.example.org"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--readme", action="store_true", help="append the result to bench/README.md")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        print("Set DATABASE_URL (PostgreSQL) and REDIS_URL.", file=sys.stderr)
        return 2

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gatherings.services import gathering_cancel
    from reminders.models import Delivery, DeliveryState
    from tests.celery_support import SmtpSink, WorkerProcess, purge_queue, worker_args, worker_env

    call_command("migrate", verbosity=0)
    _clean()
    purge_queue()
    gathering, leader = _data(args.count)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE reminders_delivery")

    sink = SmtpSink(parse=False).start()
    database_url = os.environ["DATABASE_URL"]
    worker_database_url = database_url + ("&" if "?" in database_url else "?") + "conn_max_age=60"
    log_path = ROOT / "var" / "bench-cancel-worker.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.unlink(missing_ok=True)
    worker = WorkerProcess(
        env=worker_env(
            database_url=worker_database_url,
            redis_url=os.environ["REDIS_URL"],
            extra={"EMAIL_URL": sink.url, "LOG_LEVEL": "INFO"},
        ),
        args=worker_args(pool="prefork", concurrency=args.concurrency, name="bench-cancel"),
        log_path=log_path,
    )
    worker.start()
    print(f"worker ready; cancelling a gathering with {args.count} registered people", flush=True)

    t0 = time.monotonic()
    gathering_cancel(actor=leader, gathering=gathering, reason="Benchmark: avlyst")
    t_click = time.monotonic() - t0
    rows = Delivery.objects.filter(occasion="gatherings.cancelled", recipient_email__endswith="@" + DOMAIN)
    t_mail = None
    while time.monotonic() - t0 < args.timeout:
        if t_mail is None and len(sink) >= args.count:
            t_mail = time.monotonic() - t0
        if t_mail is not None and rows.filter(state=DeliveryState.SENT).count() >= args.count:
            break
        time.sleep(0.1)
    t_done = time.monotonic() - t0
    worker.stop()
    sink.stop()
    counts = sink.count_by_recipient()
    result = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "registered": args.count,
        "concurrency": args.concurrency,
        "seconds_in_the_request": round(t_click, 2),
        "seconds_all_received": round(t_mail or float("nan"), 2),
        "seconds_all_marked_sent": round(t_done, 2),
        "received": len(sink),
        "sent_rows": rows.filter(state=DeliveryState.SENT).count(),
        "duplicates": sum(n - 1 for n in counts.values() if n > 1),
        "cpus": os.cpu_count(),
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
    }
    for key, value in result.items():
        print(f"{key:>26}: {value}")
    if args.readme:
        _append_readme(result, sys.argv[1:])
    _clean()
    ok = (
        result["sent_rows"] == args.count
        and result["duplicates"] == 0
        and t_mail is not None
        and t_mail <= 30
    )
    return 0 if ok else 1


def _data(count: int):
    from django.utils import timezone

    from accounts.models import Role, RoleAssignment, User
    from gatherings.models import Gathering, GatheringKind, Registration, RegistrationStatus
    from municipalities.models import County, CountyBranch, Municipality
    from programs.models import Program, RegionalProgram

    now = timezone.now()
    branch = CountyBranch.objects.create(name="Benchmark-avdeling", email=f"avdeling@{DOMAIN}")
    county = County.objects.filter(number="46").first() or County.objects.create(number="46", name="Vestland")
    municipality = Municipality.objects.filter(county=county).first() or Municipality.objects.create(
        number="4647", name="Sunnfjord", county=county
    )
    program = Program.objects.create(
        name="Benchmark-program", slug="benchmark-samling", interest_deadline=now, is_published=False
    )
    region = RegionalProgram.objects.create(program=program, name="Benchmark-region")
    region.branches.add(branch)
    leader = User.objects.create_user(email=f"leder@{DOMAIN}", full_name="Leder")
    RoleAssignment.objects.create(user=leader, role=Role.LEADERSHIP)
    start = now + dt.timedelta(days=30)
    gathering = Gathering.objects.create(
        regional_program=region,
        kind=GatheringKind.GATHERING,
        number=1,
        title="Benchmark-samling",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
        venue="Kulturhuset",
        preparation="Les rapporten.",
    )
    Registration.objects.bulk_create(
        [
            Registration(
                gathering=gathering,
                municipality=municipality,
                name=f"Deltaker {i}",
                email=f"deltaker{i}@{DOMAIN}",
                status=RegistrationStatus.ATTENDING,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    return gathering, leader


def _clean() -> None:
    from accounts.models import User
    from gatherings.models import Gathering
    from municipalities.models import CountyBranch
    from programs.models import Program, RegionalProgram
    from reminders.models import Delivery

    Delivery.objects.filter(recipient_email__endswith="@" + DOMAIN).delete()
    Gathering.objects.filter(regional_program__program__slug="benchmark-samling").delete()
    RegionalProgram.objects.filter(program__slug="benchmark-samling").delete()
    Program.objects.filter(slug="benchmark-samling").delete()
    User.objects.filter(email__endswith="@" + DOMAIN).delete()
    CountyBranch.objects.filter(email__endswith="@" + DOMAIN).delete()


def _append_readme(result: dict, argv: list[str]) -> None:
    readme = ROOT / "bench" / "README.md"
    lines = [
        "",
        f"### {result['date']} — cancelling a gathering with {result['registered']} registered people",
        "",
        "```",
        "DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/gathering_cancel_bench.py " + " ".join(argv),
        "```",
        "",
        "| measure | value |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in result.items()],
        "",
    ]
    with readme.open("a") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    raise SystemExit(main())
