"""A real Celery worker process on Redis, pointed at the pytest test database, for the integration tests.

Use it from a test module with `from tests.celery_support import celery_worker, worker_factory  # noqa: F401`.
The worker is a separate process started with `python -m celery -A config worker`; it reads
`tests.celery_worker_settings` (the test settings with eager tasks off and mail where EMAIL_URL says) and
connects to the same PostgreSQL test database as the test, so it needs `transactional_db`: the test's rows
must be committed for the worker to see them.

Under CI=true a missing Redis or PostgreSQL fails the test (see `redis_url` and `require_or_skip`).
"""

from __future__ import annotations

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import require_or_skip

BASE_DIR = Path(settings.BASE_DIR)
READY_TIMEOUT = 60.0


def current_database_url() -> str:
    """The URL of the database the test runs against (the test database, once pytest-django made it)."""
    s = connection.settings_dict
    user = quote(s.get("USER") or "", safe="")
    password = quote(s.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{quote(s['NAME'], safe='')}"


@dataclass
class WorkerProcess:
    """One running worker (its main process and its pool children form one process group)."""

    env: dict[str, str]
    args: list[str]
    log_path: Path
    ready_marker: bytes = b" ready."
    proc: subprocess.Popen | None = None
    started: list[subprocess.Popen] = field(default_factory=list)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> WorkerProcess:
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            self.args,
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so teardown reaches the pool children too
        )
        log.close()
        self.started.append(self.proc)
        self._wait_ready(offset)
        return self

    def _wait_ready(self, offset: int) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"Celery-workeren stoppet under oppstart:\n{self.log_tail()}")
            with self.log_path.open("rb") as f:
                f.seek(offset)
                if self.ready_marker in f.read():
                    return
            time.sleep(0.1)
        self.kill_hard()
        pytest.fail(f"Celery-workeren ble ikke klar på {READY_TIMEOUT:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return "(ingen logg)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill_hard(self) -> None:
        """SIGKILL the worker and its pool children at once, as a crash or an OOM kill would."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)

    def stop(self, timeout: float = 15.0) -> None:
        """Warm shutdown (SIGTERM: finish the running tasks), then SIGKILL if it takes too long."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill_hard()
        except ProcessLookupError:
            pass

    def restart(self) -> WorkerProcess:
        self.stop()
        return self.start()

    def descendants_rss_peak_kib(self) -> int:
        """Peak resident memory (VmHWM) summed over the main process and its pool children, in KiB."""
        if self.proc is None:
            return 0
        total = 0
        for pid in [self.proc.pid, *_children(self.proc.pid)]:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
            except (FileNotFoundError, ProcessLookupError):
                continue
        return total

    def cpu_seconds(self) -> float:
        """User + system CPU time of the main process and its live pool children."""
        if self.proc is None:
            return 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in [self.proc.pid, *_children(self.proc.pid)]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
        return total / ticks


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    kids = [int(p) for p in text.split()]
    return kids + [g for k in kids for g in _children(k)]


def worker_env(*, database_url: str, redis_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.celery_worker_settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "INFO",
    }
    env.update(extra or {})
    return env


def worker_args(*, pool: str = "prefork", concurrency: int = 2, name: str | None = None) -> list[str]:
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--loglevel=INFO",
        f"--pool={pool}",
        f"--concurrency={concurrency}",
        f"--hostname={name or 'test-' + uuid.uuid4().hex[:8]}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]


def beat_args(*, schedule_file: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "beat",
        "--loglevel=INFO",
        f"--schedule={schedule_file}",
    ]


def purge_queue() -> None:
    from config import celery_app

    celery_app.control.purge()


@pytest.fixture
def worker_factory(transactional_db, redis_url, tmp_path) -> Iterator[Callable[..., WorkerProcess]]:
    """Start real workers: `worker_factory(pool="prefork", concurrency=2, env={...})`; all stop at teardown.

    While the fixture is active the test process publishes tasks to Redis instead of running them inline.
    """
    from config import celery_app

    require_or_skip(
        "postgresql" in connection.settings_dict["ENGINE"], "PostgreSQL (DATABASE_URL) for worker-testene"
    )
    previous_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    purge_queue()
    workers: list[WorkerProcess] = []

    def start(
        *,
        pool: str = "prefork",
        concurrency: int = 2,
        env: dict[str, str] | None = None,
        beat: bool = False,
        **_: Any,
    ) -> WorkerProcess:
        if beat:
            # beat only publishes the sweep on its schedule; the worker(s) run it
            worker = WorkerProcess(
                env=worker_env(database_url=current_database_url(), redis_url=redis_url, extra=env),
                args=beat_args(schedule_file=tmp_path / f"beat-{len(workers)}"),
                log_path=tmp_path / f"beat-{len(workers)}.log",
                ready_marker=b"beat: Starting",
            )
        else:
            worker = WorkerProcess(
                env=worker_env(database_url=current_database_url(), redis_url=redis_url, extra=env),
                args=worker_args(pool=pool, concurrency=concurrency),
                log_path=tmp_path / f"worker-{len(workers)}.log",
            )
        workers.append(worker)
        return worker.start()

    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()
        purge_queue()
        celery_app.conf.task_always_eager = previous_eager


@pytest.fixture
def celery_worker(worker_factory) -> WorkerProcess:
    """One prefork worker with two processes."""
    return worker_factory()


def wait_until(
    predicate: Callable[[], Any], *, timeout: float = 30.0, interval: float = 0.1, what: str = ""
) -> Any:
    """Poll until predicate() is truthy; fail with `what` when the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"Tidsavbrudd etter {timeout:.0f} s: {what}")


# --- a real SMTP server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ReceivedMail:
    recipients: list[str]
    message_id: str
    subject: str
    to: str
    text: str


class _SinkHandler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        import asyncio

        sink = self.sink
        with sink.lock:
            sink.arrived += 1
            number = sink.arrived
        if sink.hold_at is not None and number >= sink.hold_at:
            sink.holding.set()
            # Hang before the message text is sent (waiting for the RCPT answer), without blocking the loop.
            # A client that dies here has handed nothing over: the server never has this message. (A crash
            # after the text is sent but before the server's 250 is the one ambiguous SMTP moment; see
            # reminders/services/sending.py.)
            await asyncio.get_running_loop().run_in_executor(None, sink.release.wait)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        sink = self.sink
        raw = envelope.original_content or envelope.content
        if sink.parse:
            message = email.message_from_bytes(raw, policy=email.policy.default)
            part = message.get_body(("plain",))
            text = part.get_content() if part is not None else ""
        else:  # the bench: headers only, cheaply, so the sink is not what is measured
            message = email.message_from_bytes(raw.split(b"\r\n\r\n", 1)[0])
            text = ""
        with sink.lock:
            sink.messages.append(
                ReceivedMail(
                    recipients=[r.lower() for r in envelope.rcpt_tos],
                    message_id=message.get("Message-ID", ""),
                    subject=str(message.get("Subject", "")),
                    to=str(message.get("To", "")),
                    text=text,
                )
            )
            number = len(sink.messages)
        if sink.hold_data_at is not None and number >= sink.hold_data_at:
            # The message is kept (a real server has queued it by now) but the "250" answer waits: a client
            # that dies here never learns that the server took it. This is the one ambiguous SMTP moment.
            import asyncio

            sink.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, sink.release.wait)
        return "250 Message accepted for delivery"


class SmtpSink:
    """An aiosmtpd server on 127.0.0.1 that keeps what it accepts; can go down, come back, hold a message."""

    def __init__(self, port: int | None = None, *, parse: bool = True) -> None:
        self.port = port or free_port()
        self.parse = parse
        self.messages: list[ReceivedMail] = []
        self.lock = threading.Lock()
        self.arrived = 0
        self.hold_at: int | None = None  # hang the n-th message before its text is sent (at RCPT)
        self.hold_data_at: int | None = None  # keep the n-th message, then hang before answering "250"
        self.holding = threading.Event()
        self.release = threading.Event()
        self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> SmtpSink:
        import logging

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # it logs every SMTP command at INFO

        self.controller = Controller(
            _SinkHandler(self), hostname="127.0.0.1", port=self.port, ready_timeout=10
        )
        self.controller.start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def count_by_recipient(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self.lock:
            for mail in self.messages:
                for rcpt in mail.recipients:
                    counts[rcpt] = counts.get(rcpt, 0) + 1
        return counts

    def __len__(self) -> int:
        with self.lock:
            return len(self.messages)


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    try:
        yield sink
    finally:
        sink.stop()
