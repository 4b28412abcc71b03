#!/usr/bin/env bash
# The whole test suite. PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set, SQLite otherwise.
# Under CI=true a missing PostgreSQL, Redis or Chromium fails the run (see tests/conftest.py).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_ALLOW_ASYNC_UNSAFE=true
exec .venv/bin/python -m pytest "$@"
