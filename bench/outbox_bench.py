"""Benchmark of the reminders outbox: N due deliveries through a real Celery worker on Redis into an SMTP sink.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_reminders REDIS_URL=redis://127.0.0.1:6379/5 \
        .venv/bin/python bench/outbox_bench.py --count 10000 --concurrency 2 --batch 25

It migrates the database it is given, inserts N due rows (occasion `bench.*`, removed again at the start of
the next run), starts an aiosmtpd sink in this process and one worker process (prefork), publishes one
sweep (as beat would) and measures until every message has arrived and every row is marked sent:
wall time, mails per second, SQL statements per delivery (each task logs its count) and the worker's
peak resident memory (VmHWM of the main process plus its pool children). `--readme` appends the result to
bench/README.md. Modes:

- `prerendered`: receipts and decision letters, rendered when they were queued; N rows are inserted due.
- `reminders`: the real interest-deadline occasion (programs/reminders.py). A published edition whose
  deadline is 10 days ahead and 10 branches without a registration, with N/10 recipients each (the branch
  address and board members); the sweep plans the rows from the database (the "14 days before" reminder
  is due, the 3- and 1-day ones lie ahead), and each is checked and rendered at send time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.celery_worker_settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--mode", choices=["prerendered", "reminders"], default="prerendered")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--readme", action="store_true", help="append the result to bench/README.md")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        print("Set DATABASE_URL (PostgreSQL) and REDIS_URL.", file=sys.stderr)
        return 2

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from config import celery_app
    from reminders.models import Delivery, DeliveryState
    from tests.celery_support import SmtpSink, WorkerProcess, purge_queue, worker_args, worker_env

    call_command("migrate", verbosity=0)
    _clean()
    # Earlier runs leave dead rows behind; without this, a database used for many runs measured 45–49 s
    # where a fresh one measured 34–39 s for the same code (same function calls per delivery, profiled).
    with connection.cursor() as cursor:
        for table in ("reminders_delivery", "accounts_user", "accounts_roleassignment"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    purge_queue()

    now = timezone.now()
    t_insert = time.monotonic()
    if args.mode == "prerendered":
        Delivery.objects.bulk_create(_rows(args.count, now), batch_size=2000)
        bench_rows = Delivery.objects.filter(occasion__startswith="bench.")
    else:
        program = _reminder_data(args.count, now)
        # the sweep plans three rows per recipient; the "14 days before" one is due now
        bench_rows = Delivery.objects.filter(program=program, key__endswith=":d14")
    insert_seconds = time.monotonic() - t_insert

    sink = SmtpSink(parse=False).start()
    s = connection.settings_dict
    database_url = os.environ["DATABASE_URL"]
    # the worker keeps its database connection between tasks, as production does (CONN_MAX_AGE=60)
    worker_database_url = database_url + ("&" if "?" in database_url else "?") + "conn_max_age=60"
    log_path = ROOT / "var" / "bench-worker.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.unlink(missing_ok=True)
    worker = WorkerProcess(
        env=worker_env(
            database_url=worker_database_url,
            redis_url=os.environ["REDIS_URL"],
            extra={"EMAIL_URL": sink.url, "REMINDERS_SEND_BATCH": str(args.batch), "LOG_LEVEL": "INFO"},
        ),
        args=worker_args(pool="prefork", concurrency=args.concurrency, name="bench"),
        log_path=log_path,
    )
    worker.start()
    peak_kib = worker.descendants_rss_peak_kib()
    print(f"worker ready; mode {args.mode}, {args.count} due deliveries in {s['NAME']}; sweeping", flush=True)

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    cpu_start = worker.cpu_seconds()
    own_start = sum(os.times()[:2])
    t0 = time.monotonic()
    celery_app.send_task("reminders.deliveries_sweep")
    t_mail = None
    deadline = t0 + args.timeout
    while time.monotonic() < deadline:
        peak_kib = max(peak_kib, worker.descendants_rss_peak_kib())
        if t_mail is None and len(sink) >= args.count:
            t_mail = time.monotonic() - t0
        if t_mail is not None:
            sent = bench_rows.filter(state=DeliveryState.SENT).count()
            if sent >= args.count:
                break
        time.sleep(0.2)
    t_done = time.monotonic() - t0
    peak_kib = max(peak_kib, worker.descendants_rss_peak_kib())
    worker_cpu = worker.cpu_seconds() - cpu_start
    sink_cpu = sum(os.times()[:2]) - own_start
    worker.stop()
    sink.stop()

    sent = bench_rows.filter(state=DeliveryState.SENT).count()
    counts = sink.count_by_recipient()
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    log = worker.log_text()
    send_lines = re.findall(r"reminders send: sent=(\d+) .*? queries=(\d+)", log)
    sweep_lines = re.findall(r"reminders sweep: .*?queries=(\d+)", log)
    sent_by_tasks = sum(int(a) for a, _q in send_lines)
    send_queries = sum(int(q) for _a, q in send_lines)
    sweep_queries = sum(int(q) for q in sweep_lines)
    result = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": args.mode,
        "count": args.count,
        "concurrency": args.concurrency,
        "batch": args.batch,
        "sent": sent,
        "received": len(sink),
        "duplicates": duplicates,
        "seconds_all_received": round(t_mail or float("nan"), 2),
        "seconds_all_marked_sent": round(t_done, 2),
        "mails_per_second": round(sent / t_done, 1) if t_done else 0,
        "send_tasks": len(send_lines),
        "queries_per_delivery_send": round(send_queries / sent_by_tasks, 2) if sent_by_tasks else None,
        "queries_sweep": sweep_queries,
        "queries_per_delivery_total": round((send_queries + sweep_queries) / sent_by_tasks, 2)
        if sent_by_tasks
        else None,
        "worker_peak_rss_mib": round(peak_kib / 1024, 1),
        # CPU time, independent of how busy the shared machine was: what a delivery costs the worker
        "worker_cpu_seconds": round(worker_cpu, 1),
        "worker_cpu_ms_per_delivery": round(worker_cpu * 1000 / max(sent, 1), 2),
        "sink_and_bench_cpu_seconds": round(sink_cpu, 1),
        "insert_seconds": round(insert_seconds, 2),
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
    }
    for key, value in result.items():
        print(f"{key:>28}: {value}")
    if args.readme:
        _append_readme(result, sys.argv[1:])
    _clean()
    ok = sent == args.count and duplicates == 0 and len(sink) == args.count
    return 0 if ok else 1


BENCH_DOMAIN = "bench.example.org"
BENCH_SLUG = "benchmark-paminnelser"


def _clean() -> None:
    """Remove what an earlier run left: its outbox rows, edition, people and branches."""
    from accounts.models import User
    from municipalities.models import CountyBranch
    from programs.models import Program
    from reminders.models import Delivery

    Delivery.objects.filter(occasion__startswith="bench.").delete()
    Delivery.objects.filter(recipient_email__endswith="@" + BENCH_DOMAIN).delete()
    Program.objects.filter(slug=BENCH_SLUG).delete()
    User.objects.filter(email__endswith="@" + BENCH_DOMAIN).delete()
    CountyBranch.objects.filter(email__endswith="@" + BENCH_DOMAIN).delete()


def _rows(count: int, now):
    from reminders.models import Delivery
    from reminders.outbox import Recipient, message_render

    due = now - dt.timedelta(seconds=1)
    # a realistic message: the interest reminder's own templates with a branch, an edition and a link
    sample = message_render(
        template="reminders/email/interest_deadline",
        context={
            "branch": {"name": "Norsk kulturskoleråd Vestland"},
            "program": {"name": "Fremtidens kulturskole – regionale program 2026–2027"},
            "deadline": "15. september 2026 kl. 23:59",
            "link": "https://program.kulturskoleradet.no/program/1/interessemelding/",
        },
        recipient=Recipient(email="mottaker@example.org", name="Kari Nordmann"),
    )
    return [
        Delivery(
            occasion="bench.notice",
            key=f"bench:{i}",
            recipient_email=f"mottaker{i}@{BENCH_DOMAIN}",
            recipient_name=f"Mottaker {i}",
            planned_at=due,
            next_attempt_at=due,
            template="reminders/email/interest_deadline",
            subject=sample.subject,
            body=sample.body,
            html=sample.html,
        )
        for i in range(count)
    ]


def _reminder_data(count: int, now):
    """An edition 10 days before its interest deadline, 10 branches that have not registered, `count`
    recipients in all: each branch's own address plus board members with Norwegian names."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Role, RoleAssignment, User
    from municipalities.models import CountyBranch
    from programs.models import Program

    program = Program.objects.create(
        name="Fremtidens kulturskole – regionale program (ytelsesmåling)",
        slug=BENCH_SLUG,
        interest_deadline=now + dt.timedelta(days=10),
        is_published=True,
    )
    branches = 10
    per_branch = count // branches
    if per_branch * branches != count:
        raise SystemExit("--count must be a multiple of 10 in mode 'reminders'")
    created = CountyBranch.objects.bulk_create(
        CountyBranch(name=f"Ytelsesavdeling {b + 1}", email=f"avdeling{b + 1}@{BENCH_DOMAIN}")
        for b in range(branches)
    )
    no_password = make_password(None)  # they never log in
    users = User.objects.bulk_create(
        (
            User(email=f"styre{b}-{i}@{BENCH_DOMAIN}", full_name=f"Åse Ødegård {b}-{i}", password=no_password)
            for b in range(branches)
            for i in range(per_branch - 1)
        ),
        batch_size=2000,
    )
    RoleAssignment.objects.bulk_create(
        (
            RoleAssignment(user=user, role=Role.BOARD_MEMBER, branch=created[index // (per_branch - 1)])
            for index, user in enumerate(users)
        ),
        batch_size=2000,
    )
    return program


def _append_readme(result: dict, argv: list[str]) -> None:
    readme = ROOT / "bench" / "README.md"
    lines = [
        "",
        f"### {result['date']} — `{result['mode']}`, {result['count']} deliveries",
        "",
        "```",
        "DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/outbox_bench.py " + " ".join(argv),
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
