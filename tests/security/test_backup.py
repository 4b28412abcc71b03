"""scripts/backup.sh and scripts/restore.sh round-trip the demo data and the uploads with nothing lost."""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _row_counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def _checksums(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def restore_database():
    import psycopg

    name = connection.settings_dict["NAME"] + "_restore"
    admin = _url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _url(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_and_restore_round_trip_demo_data_and_uploads(
    transactional_db, tmp_path, settings, restore_database
):
    require_or_skip(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    require_or_skip(bool(shutil.which("pg_dump")) and bool(shutil.which("pg_restore")), "pg_dump/pg_restore")
    from applications.models import Application, ApplicationAttachment

    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("seed_demo", force=True)
    application = Application.objects.first()
    for name, content in (("plan.pdf", b"%PDF-1.4 plan\n"), ("budsjett.xlsx", os.urandom(4096))):
        attachment = ApplicationAttachment(application=application, original_name=name, size=len(content))
        attachment.file.save(name, ContentFile(content), save=True)

    source_url = _url(connection.settings_dict["NAME"])
    env = {**os.environ, "DATABASE_URL": source_url, "MEDIA_ROOT": settings.MEDIA_ROOT}
    backup = subprocess.run(
        ["scripts/backup.sh", str(tmp_path / "backups")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert sorted(p.name for p in folder.iterdir()) == ["SHA256SUMS", "db.dump", "media.tar.gz"]

    restored_media = tmp_path / "restored-media"
    restore = subprocess.run(
        ["scripts/restore.sh", str(folder)],
        cwd=ROOT,
        env={**env, "DATABASE_URL": restore_database, "MEDIA_ROOT": str(restored_media)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert restore.returncode == 0, restore.stderr

    original = _row_counts(source_url)
    assert original["applications_applicationattachment"] == 2
    assert sum(original.values()) > 100  # the demo data, not an empty database
    assert _row_counts(restore_database) == original
    files = _checksums(Path(settings.MEDIA_ROOT))
    assert len(files) == 2
    assert _checksums(restored_media) == files


def test_restore_refuses_a_damaged_backup(tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    (folder / "db.dump").write_bytes(b"dump")
    (folder / "media.tar.gz").write_bytes(b"media")
    subprocess.run(
        ["sha256sum", "db.dump", "media.tar.gz"],
        cwd=folder,
        stdout=(folder / "SHA256SUMS").open("w"),
        check=True,
    )
    (folder / "db.dump").write_bytes(b"dump, changed afterwards")
    result = subprocess.run(
        ["scripts/restore.sh", str(folder)],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
            "MEDIA_ROOT": str(tmp_path / "m"),
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "db.dump: FAILED" in result.stdout + result.stderr
    assert not (tmp_path / "m").exists()
