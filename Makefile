.PHONY: run test lint

# Run the app on the embedded defaults (SQLite, no Redis), with Celery worker and beat.
run:
	@scripts/run.sh

# The whole test suite (PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set).
test:
	@scripts/test.sh

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .
