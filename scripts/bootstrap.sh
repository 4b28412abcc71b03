#!/usr/bin/env bash
# Creates .venv with Python 3.11+ and installs the locked dependencies when they changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Kulturskoleprogram trenger Python 3.11 eller nyere (fant $("$PY" --version))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.lock.installed
if [ ! -f "$stamp" ] || ! cmp -s requirements.lock "$stamp"; then
  .venv/bin/python -m pip install --disable-pip-version-check -q -r requirements.lock
  cp requirements.lock "$stamp"
fi
