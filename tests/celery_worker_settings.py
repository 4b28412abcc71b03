"""Settings for the real Celery worker that the integration tests start (see tests/celery_support.py).

The test settings with three differences: tasks are not eager, mail goes where EMAIL_URL / EMAIL_BACKEND
say (a real SMTP server in the tests) instead of the in-memory outbox, and the test-only tasks are loaded.
The database is the pytest test database, passed in as DATABASE_URL by the fixture.
"""

from config.settings.base import BASE_DIR, TEMPLATES, env
from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
CELERY_IMPORTS = ["tests.celery_tasks"]
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "reminders" / "templates"]}
]
