#!/usr/bin/env bash
# Runs the whole app on the embedded defaults: SQLite, the filesystem broker, mail as files under var/mail/.
# Web server, Celery worker and beat start together; Ctrl-C stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.local}
PORT=${PORT:-8000}
PY=.venv/bin/python
mkdir -p var/mail var/celery/queue var/celery/processed
$PY manage.py migrate --noinput -v 0
$PY manage.py load_reference_data
$PY manage.py seed_demo

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

.venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 >var/celery-worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO --schedule=var/celery/beat-schedule >var/celery-beat.log 2>&1 &
pids+=($!)

cat <<TXT

  Kulturskoleprogram kjører på http://127.0.0.1:${PORT}/

  Demobrukere (passord: kulturskole):
    leder@example.org     programledelse
    styre@example.org     fylkesstyre, Norsk kulturskoleråd Vestland
    kommune@example.org   kommunekontakt, Sunnfjord
    veileder@example.org  veileder
    jury@example.org      jurymedlem

  E-post havner i var/mail/. Celery-logger: var/celery-worker.log og var/celery-beat.log.
  Stopp alt med Ctrl-C.

TXT
$PY manage.py runserver "127.0.0.1:${PORT}" &
pids+=($!)
wait -n "${pids[@]}"
