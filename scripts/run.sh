#!/usr/bin/env bash
# Runs the whole app on the embedded defaults: SQLite, the filesystem broker, mail as files under var/mail/.
# Web server, Celery worker and beat start together; Ctrl-C (or SIGTERM) stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.local}
PORT=${PORT:-8000}
# Links in e-mails point at the port this run serves on.
export SITE_URL=${SITE_URL:-http://127.0.0.1:${PORT}}
# The trial run behaves like production pages do (Norwegian 404/500 pages, no debug screens); DEBUG=true
# make run brings Django's debug pages back for development.
export DEBUG=${DEBUG:-false}
PY=.venv/bin/python
mkdir -p var/mail var/celery/queue var/celery/processed
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
$PY manage.py load_reference_data
$PY manage.py seed_demo --force

# Each service runs in its own process group (job control on), so stopping one group stops the process
# and everything it forked (runserver's autoreloader child, the worker's pool) and nothing is left behind.
set -m
pids=()
stopping=0
cleanup() {
  local status=$?
  [ "$stopping" = 1 ] && return
  stopping=1
  trap - EXIT
  trap '' INT TERM  # a second Ctrl-C must not cut the clean-up short and leave services behind
  echo
  echo "  Stopper Kulturskoleprogram …"
  # What Ctrl-C gives a terminal's foreground group first (Celery then shuts down warm), then TERM, then KILL.
  local sig
  for sig in INT TERM KILL; do
    for pid in ${pids[@]+"${pids[@]}"}; do kill -"$sig" -- "-$pid" 2>/dev/null || true; done
    for _ in $(seq 20); do
      alive=0
      for pid in ${pids[@]+"${pids[@]}"}; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
      [ "$alive" = 0 ] && break 2
      sleep 0.25
    done
  done
  exit "$status"
}
trap 'cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

.venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 >var/celery-worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO --schedule=var/celery/beat-schedule >var/celery-beat.log 2>&1 &
pids+=($!)
$PY manage.py runserver "127.0.0.1:${PORT}" &
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

# Portable stand-in for `wait -n` (bash 3.2 on macOS has none): stop everything as soon as one service ends.
while true; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "  En av tjenestene stoppet (se loggene i var/); stopper resten." >&2
      exit 1
    fi
  done
  sleep 1 &
  wait $! || true
done
