"""Production: secrets and hosts come from the environment with no defaults, so a missing one stops start-up."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, database_tuned, env

REQUIRED = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
)
# A variable that is set but empty counts as missing: the process stops here and names it.
for _name in REQUIRED:
    if not env.str(_name).strip():
        raise ImproperlyConfigured(f"Set the {_name} environment variable (it is empty)")

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
SITE_URL = env("SITE_URL").rstrip("/")
DATABASES["default"] = database_tuned(env.db("DATABASE_URL"))
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or REDIS_URL
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
# Every signed-in page reads its session: from Redis (shared by every web process) instead of a database query,
# with the database kept as the durable store (a Redis restart signs nobody out). Logout and "sign out
# everywhere" (User.session_generation) work as before: logout deletes the session from both, and the hash check
# is made on every request whatever the backend. Not in base.py: a per-process cache there would keep a session
# alive in one process after logout in another.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

EMAIL_CONFIG = env.email_url("EMAIL_URL")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Programme leadership sees every person's data and decides applications: a code besides the password.
# Empty (as in .env.example) means the default, on; only an explicit false turns it off.
TWO_FACTOR_REQUIRED_FOR_LEADERSHIP = env.str(
    "TWO_FACTOR_REQUIRED_FOR_LEADERSHIP", default=""
).strip().lower() not in {
    "false",
    "0",
    "no",
    "off",
}
