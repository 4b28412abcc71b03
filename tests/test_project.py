"""The project's promises outside the app itself: production settings, the compose file and the run command.

These run real processes (manage.py, check-jsonschema, scripts/run.sh) because that is what the README
tells people to run.
"""

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7Jq2-production-like-secret-key-with-enough-length-and-variety-9aZ!kP4@mW",
    "ALLOWED_HOSTS": "kulturskole.example.org",
    "SITE_URL": "https://kulturskole.example.org",
    "DATABASE_URL": "postgres://kulturskole:secret@db:5432/kulturskole",
    "REDIS_URL": "redis://redis:6379/0",
    "EMAIL_URL": "smtp+tls://user:password@smtp.example.org:587",
    "DEFAULT_FROM_EMAIL": "Fremtidens kulturskole <program@example.org>",
}
REQUIRED = [
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
]


def _bare_env(**extra: str) -> dict[str, str]:
    """Only what a process needs to start: none of the app's settings leak in from the test run."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(extra)
    return env


def _default_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


def _manage(*args: str, env: dict[str, str], timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture
def no_dot_env():
    # base.py reads ROOT/.env when present; a developer's own .env would fill in what these tests remove.
    if (ROOT / ".env").exists():
        pytest.skip("en lokal .env fyller inn variablene testen fjerner")


# --- (a) production settings -------------------------------------------------------------------------


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without_each_required_variable(no_dot_env, missing):
    env = _bare_env(**{k: v for k, v in PRODUCTION_ENV.items() if k != missing})
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


@pytest.mark.parametrize("empty", ["SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL"])
def test_production_refuses_an_empty_required_variable(no_dot_env, empty):
    result = _manage("check", env=_bare_env(**{**PRODUCTION_ENV, empty: ""}))
    assert result.returncode != 0
    assert empty in result.stderr


def test_production_refuses_with_nothing_set(no_dot_env):
    result = _manage("check", env=_bare_env(DJANGO_SETTINGS_MODULE="config.settings.production"))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_readme_names_exactly_the_variables_production_requires():
    import ast

    tree = ast.parse((ROOT / "config" / "settings" / "production.py").read_text(encoding="utf-8"))
    required = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "REQUIRED"
    )
    assert set(required) == set(REQUIRED)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sentence = re.search(r"nekter å starte uten(.*?)\.", readme, flags=re.S)
    assert sentence, "README sier ikke hva produksjon krever"
    assert set(re.findall(r"`([A-Z_]+)`", sentence.group(1))) == set(REQUIRED)


def test_production_passes_the_deploy_check_without_a_single_warning(no_dot_env):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_bare_env(**PRODUCTION_ENV))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_weak_secret_key_fails_the_deploy_check(no_dot_env):
    env = _bare_env(**{**PRODUCTION_ENV, "SECRET_KEY": "change-me"})
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def _env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value
    return values


def test_production_with_the_env_example_filled_in_uses_redis_for_celery(no_dot_env):
    # .env.example leaves CELERY_BROKER_URL and MEDIA_ROOT empty; copied as it is they must mean "default".
    env = _bare_env(**{**_env_example(), **PRODUCTION_ENV})
    code = "import django; django.setup(); from django.conf import settings as s; print(s.CELERY_BROKER_URL, s.MEDIA_ROOT, s.DEBUG)"
    result = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    broker, media_root, debug = result.stdout.split()
    assert broker == PRODUCTION_ENV["REDIS_URL"]
    assert media_root == str(ROOT / "var" / "media")
    assert debug == "False"


def test_env_example_lists_every_variable_the_settings_and_compose_read():
    listed = set(_env_example())
    read = set()
    for name in ("base.py", "local.py", "production.py"):  # test.py's switches are for the test suite only
        path = ROOT / "config" / "settings" / name
        read |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', path.read_text(encoding="utf-8")))
    read |= set(
        re.findall(r"\$\{([A-Z][A-Z0-9_]+)", (ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    )
    assert read, "fant ingen variabler; mønsteret må følge med innstillingene"
    assert read - listed == set()


# --- (b) docker-compose.yml against the spec and the README --------------------------------------------


def test_docker_compose_validates_against_the_compose_spec():
    checker = shutil.which("check-jsonschema", path=str(VENV_BIN)) or shutil.which("check-jsonschema")
    assert checker, "check-jsonschema er en testavhengighet (pyproject.toml)"
    result = subprocess.run(
        [checker, "--builtin-schema", "vendor.compose-spec", "docker-compose.yml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _compose() -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _command_words(command) -> list[str]:
    words = command if isinstance(command, list) else shlex.split(command)
    if words[:2] == ["sh", "-c"]:
        # The web service chains migrate && load_reference_data && gunicorn: the server is the last step.
        words = shlex.split(words[2].split("&&")[-1])
    return [w.removeprefix(".venv/bin/") for w in words]


# The program and its positional arguments; options such as --workers may differ by deployment.
PRODUCTION_PROCESSES = {
    "web": ["gunicorn", "config.wsgi:application"],
    "worker": ["celery", "-A", "config", "worker"],
    "beat": ["celery", "-A", "config", "beat"],
}


def _readme_commands() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```(?:sh|bash)?\n(.*?)```", readme, flags=re.S):
        for line in block.splitlines():
            line = line.split("#")[0].strip()
            if line:
                commands.append([w.removeprefix(".venv/bin/") for w in shlex.split(line)])
    return commands


@pytest.mark.parametrize(("service", "expected"), PRODUCTION_PROCESSES.items())
def test_compose_runs_the_same_processes_as_the_readme(service, expected):
    compose_words = _command_words(_compose()["services"][service]["command"])
    assert compose_words[: len(expected)] == expected
    readme_matches = [c for c in _readme_commands() if c[: len(expected)] == expected]
    assert readme_matches, f"README beskriver ikke {' '.join(expected)}"
    # Options the README gives (e.g. --loglevel) are the ones compose runs with as well.
    readme_options = {w.split("=")[0] for w in readme_matches[0] if w.startswith("--")}
    compose_options = {w.split("=")[0] for w in compose_words if w.startswith("--")}
    assert readme_options <= compose_options


def test_compose_has_the_promised_services_health_checks_and_volumes():
    compose = _compose()
    services = compose["services"]
    assert {"db", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], f"{name} mangler helsesjekk"
    assert {"pgdata", "redisdata", "media"} <= set(compose["volumes"])
    web = " ".join(_command_words(services["web"]["command"]))
    assert "gunicorn" in web
    # Migrations run once, in their own one-off service, and web and the workers wait until it succeeded.
    assert "migrate" not in web
    migrate = services["migrate"]["command"]
    assert "manage.py migrate --noinput" in migrate
    assert "load_reference_data" in migrate
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_the_web_health_check_answers(client, db):
    # docker-compose.yml's web health check asks /helse/.
    assert "/helse/" in str(_compose()["services"]["web"]["healthcheck"]["test"])
    response = client.get("/helse/")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_the_web_health_check_passes_against_gunicorn_with_production_settings(django_db_setup, tmp_path):
    from django.db import connection

    from tests.conftest import require_or_skip

    database_url = os.environ.get("DATABASE_URL", "")
    require_or_skip(database_url.startswith("postgres"), "PostgreSQL (DATABASE_URL)")
    # The server process uses the test database (which exists for sure) rather than DATABASE_URL's own.
    database_url = urlsplit(database_url)._replace(path="/" + connection.settings_dict["NAME"]).geturl()
    port = _free_port()
    env = _bare_env(**{**PRODUCTION_ENV, "DATABASE_URL": database_url, "SECURE_HSTS_PRELOAD": "false"})
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open(
            "w"
        ),  # a file, not a pipe: a full pipe would block the server
    )
    try:
        check = _compose()["services"]["web"]["healthcheck"]["test"]
        assert check[:3] == ["CMD", "python", "-c"]
        code = check[3].replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        deadline = time.monotonic() + 30
        while True:
            result = subprocess.run([PYTHON, "-c", code], env=env, capture_output=True, text=True, timeout=30)
            if result.returncode == 0 or time.monotonic() > deadline or server.poll() is not None:
                break
            time.sleep(0.5)
        assert result.returncode == 0, result.stderr + (tmp_path / "gunicorn.log").read_text()[-3000:]
        # Without the proxy's headers production answers with a redirect to https, not "ok".
        naive = subprocess.run(
            [
                PYTHON,
                "-c",
                f"import urllib.request; urllib.request.urlopen('http://127.0.0.1:{port}/helse/')",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert naive.returncode != 0
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_image_leaves_secrets_and_local_state_out():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", ".venv", "var/"} <= set(ignored)


# --- (c) the README's run command from a clean copy -------------------------------------------------------

APP_SETTINGS = {
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CI",
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "EMAIL_BACKEND",
    "CELERY_TASK_ALWAYS_EAGER",
    "SITE_URL",
    "MEDIA_ROOT",
}
DEMO_LOGINS = [
    "leder@example.org",
    "styre@example.org",
    "kommune@example.org",
    "veileder@example.org",
    "jury@example.org",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _processes_in(directory: Path) -> dict[int, str]:
    """Every live process whose working directory is `directory`, with its command line."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if Path(os.readlink(proc / "cwd")) != directory:
                continue
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = next(
                (line for line in (proc / "status").read_text().splitlines() if line.startswith("State:")), ""
            )
        except OSError:
            continue
        if "zombie" not in state:
            found[int(proc.name)] = cmdline
    return found


@pytest.mark.slow
def test_the_run_command_works_from_a_clean_copy_and_ctrl_c_stops_everything(tmp_path):
    import requests

    if not Path("/proc/self/cwd").exists():
        pytest.skip("trenger /proc for å finne prosessene")
    copy = (tmp_path / "kulturskoleprogram").resolve()
    files = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=30)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / ".venv").symlink_to((ROOT / ".venv").resolve())

    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {k: v for k, v in os.environ.items() if k not in APP_SETTINGS and not k.startswith("PYTEST")}
    env["PORT"] = str(port)
    log = (tmp_path / "run.log").open("w+", encoding="utf-8")
    # A new session: the script's process group stands in for a terminal's foreground job.
    # The README's command is `make run`; scripts/run.sh is what it calls, for a machine without make.
    command = ["make", "run"] if shutil.which("make") else ["bash", "scripts/run.sh"]
    proc = subprocess.Popen(
        command,
        cwd=copy,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # As from a terminal: Ctrl-C's signal handled by default. A runner that started the suite in the
        # background of a shell without job control hands it on ignored, and an ignored SIGINT cannot be
        # trapped by run.sh (bash keeps it ignored), so the test would measure the runner, not the script.
        preexec_fn=_default_interrupt,
    )
    try:
        deadline = time.monotonic() + 75
        while True:
            assert proc.poll() is None, f"run.sh stoppet:\n{(tmp_path / 'run.log').read_text()}"
            assert time.monotonic() < deadline, (
                f"fikk ikke svar på {url}:\n{(tmp_path / 'run.log').read_text()}"
            )
            try:
                login_page = requests.get(url + "logg-inn/", timeout=2)
                if login_page.status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.5)

        assert "Logg inn" in login_page.text
        output = (tmp_path / "run.log").read_text(encoding="utf-8")
        assert url in output
        assert "kulturskole" in output
        for email in DEMO_LOGINS:
            assert email in output

        for email in DEMO_LOGINS:
            session = requests.Session()
            form = session.get(url + "logg-inn/", timeout=10)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
            response = session.post(
                url + "logg-inn/",
                data={"csrfmiddlewaretoken": token, "username": email, "password": "kulturskole"},
                headers={"Referer": url + "logg-inn/"},
                timeout=10,
            )
            assert response.status_code == 200
            assert response.url == url, f"{email} ble ikke logget inn"
            assert "Logg ut" in response.text

        running = _processes_in(copy)
        commands = " | ".join(running.values())
        assert " worker" in commands
        assert " beat" in commands
        assert "runserver" in commands

        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail(
                f"make run stoppet ikke innen 30 s etter Ctrl-C; prosesser: {_processes_in(copy)}\n"
                f"{(tmp_path / 'run.log').read_text(encoding='utf-8')[-4000:]}"
            )
        deadline = time.monotonic() + 10
        while _processes_in(copy) and time.monotonic() < deadline:
            time.sleep(0.25)
        assert _processes_in(copy) == {}, "noe kjører fortsatt etter Ctrl-C"
        with pytest.raises(requests.ConnectionError):
            requests.get(url, timeout=2)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        for pid in _processes_in(copy):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log.close()
