"""Settings shared by every environment. Values come from the environment (see .env.example)."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",  # login throttling (accounts/throttling.py)
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # ours
    "core",
    "accounts",
    "audit",
    "municipalities",
    "programs",
    "applications",
    "gatherings",
    "guidance",
    "reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.ExplicitLanguageMiddleware",  # nb unless the person chose a language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.RequestSizeLimitMiddleware",  # before anything reads the body
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor_middleware.TwoFactorMiddleware",  # after the password, the code (see accounts/two_factor.py)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a refused login into the lockout page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves one web process plus a worker; wait for locks instead of failing.
    # IMMEDIATE: a transaction takes the write lock when it begins, so two writers queue up instead of
    # both reading and then failing with "database is locked" when the second tries to write.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})


def database_tuned(database: dict) -> dict:
    """PostgreSQL for a web app of short queries: JIT off. Measured at national scale (bench/README.md),
    JIT compilation cost 150–690 ms whenever a page's query crossed jit_above_cost, for queries that run in
    25–200 ms without it; it pays off only for long analytic queries, which this app does not run."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return database


database_tuned(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before the password is checked
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
# One date format and one date-time format everywhere, per language: config/formats/<lang>/formats.py
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# An empty value (as in .env.example) means the default, not the current directory.
MEDIA_ROOT = env("MEDIA_ROOT", default="") or str(VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# A body over MAX_REQUEST_BODY_BYTES (by its Content-Length) is refused unread (core.middleware): one 10 MB
# attachment plus the form around it. Form fields without files may hold 2.5 MB; larger uploads go to disk.
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=11 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024 + 512 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The audit log names another app's codes in its details with that app's own function (details key →
# dotted path), so audit imports none of the apps whose codes it shows.
AUDIT_VALUE_LABELS = {"anledning": "reminders.occasions.occasion_label"}

# E-mail: files under var/mail/ unless the environment names a backend (SMTP in production).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))  # e.g. smtp+tls://user:password@smtp.example.org:587
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Fremtidens kulturskole <program@kulturskoleradet.no>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport under var/, so worker and
# beat run on a laptop with no broker server.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or REDIS_URL or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
# A task is acknowledged only after it ran: a worker killed mid-task gives it back to the queue.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    # The reminders sweep: plans from the database and queues what is due (see reminders/tasks.py).
    "reminders-sweep": {
        "task": "reminders.deliveries_sweep",
        "schedule": env.float("REMINDERS_SWEEP_SECONDS", default=120.0),
        "options": {"expires": 110},  # a sweep queued while the worker was down is replaced by the next one
    },
    # Dietary and accessibility needs are erased GATHERINGS_NEEDS_ERASE_WEEKS after each gathering.
    "gatherings-needs-erase": {
        "task": "gatherings.needs_erase",
        "schedule": 6 * 60 * 60.0,
        "options": {"expires": 60 * 60},
    },
    # The one-time tokens of saved create forms (core.once) are deleted after 30 days.
    "core-form-submissions-purge": {
        "task": "core.form_submissions_purge",
        "schedule": 24 * 60 * 60.0,
        "options": {"expires": 60 * 60},
    },
}

# Gatherings: weeks after a gathering when participants' dietary and accessibility needs are erased.
GATHERINGS_NEEDS_ERASE_WEEKS = env.int("GATHERINGS_NEEDS_ERASE_WEEKS", default=4)
GATHERINGS_MAX_UPLOAD_MB = env.int("GATHERINGS_MAX_UPLOAD_MB", default=20)
# Gatherings: how long a change notice waits before it goes, so that leadership's quick further changes to the
# same gathering make one notice (0: at once).
GATHERING_CHANGE_NOTICE_DELAY_SECONDS = env.int("GATHERING_CHANGE_NOTICE_DELAY_SECONDS", default=300)

# Reminders outbox: retry back-off base, attempts before a row counts as failed, how long a queued row may
# wait for its task before the sweep queues it again, and how many rows one send task takes.
REMINDERS_RETRY_BASE_SECONDS = env.int("REMINDERS_RETRY_BASE_SECONDS", default=60)
REMINDERS_MAX_ATTEMPTS = env.int("REMINDERS_MAX_ATTEMPTS", default=8)
REMINDERS_CLAIM_LEASE_SECONDS = env.int("REMINDERS_CLAIM_LEASE_SECONDS", default=600)
REMINDERS_SEND_BATCH = env.int("REMINDERS_SEND_BATCH", default=25)

# Guidance: the advisor's dashboard flags a municipality not met for this many weeks (and with no session
# planned); an agreement counts as "near its frame" from this share of its agreed hours.
GUIDANCE_NOT_MET_WEEKS = env.int("GUIDANCE_NOT_MET_WEEKS", default=6)
GUIDANCE_NEAR_FRAME_PERCENT = env.int("GUIDANCE_NEAR_FRAME_PERCENT", default=80)

# Login throttling (django-axes, see accounts/throttling.py): LOGIN_FAILURE_LIMIT failures for one e-mail from
# one client, or LOGIN_CLIENT_FAILURE_LIMIT from one client over any e-mails, within the window lock that pair
# (or that client) out for the window. Other clients can still sign in to the same account.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_CLIENT_FAILURE_LIMIT = env.int("LOGIN_CLIENT_FAILURE_LIMIT", default=20)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=15 * 60)
# Behind a proxy: the header that carries the client's address (e.g. HTTP_X_FORWARDED_FOR) and how many
# proxies of ours add to it. Empty: the connection's own address (REMOTE_ADDR).
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", default="")
CLIENT_IP_PROXY_COUNT = env.int("CLIENT_IP_PROXY_COUNT", default=1)
# Password-reset and invitation e-mails to one address within an hour; more are refused (flooding).
MAIL_PER_ADDRESS_LIMIT = env.int("MAIL_PER_ADDRESS_LIMIT", default=3)
# Two-factor sign-in (django-otp, TOTP + recovery codes): available to everyone; required for programme
# leadership when on. Off on the embedded default so the demo logins work with the password alone; on in
# production unless the environment says otherwise.
TWO_FACTOR_REQUIRED_FOR_LEADERSHIP = env.str(
    "TWO_FACTOR_REQUIRED_FOR_LEADERSHIP", default=""
).strip().lower() in {
    "true",
    "1",
    "yes",
    "on",
}
OTP_TOTP_ISSUER = "Fremtidens kulturskole"
AXES_HANDLER = "accounts.throttling.LoginThrottleHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = "accounts.throttling.failure_limit"  # read at each login, from the settings above
AXES_COOLOFF_TIME = "accounts.throttling.cool_off"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field (the model's is email)
AXES_USERNAME_CALLABLE = "accounts.throttling.username_key"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not stored: no personal data kept without need
AXES_VERBOSE = False
# Two-factor codes count as sign-in failures too (accounts.throttling.code_attempt_failed): never stored.
AXES_SENSITIVE_PARAMETERS = ["code", "current_code"]

# The cache holds what may be lost: rendered menus and reports, and new recovery codes for the 15 minutes they
# are shown (accounts.recovery_codes.recovery_codes_keep: lost codes mean making new ones). Login throttling is in
# the database. With several web processes (production) the cache must be shared: Redis.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-axes logs every login at INFO; failures and lockouts (WARNING) are what matter.
    "loggers": {"axes": {"level": "WARNING"}},
}
# Content-Security-Policy (django-csp): our own files only, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), fullscreen=(self)"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"
