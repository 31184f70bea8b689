"""One settings module for every environment, read from environment variables.

With nothing set it runs on the embedded default: a SQLite file and Celery in
eager mode, so `make run` works on a bare machine. Production is DEBUG off,
which demands SECRET_KEY, PSEUDONYM_KEY and ALLOWED_HOSTS from the environment.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default)
    if value not in ("True", "False"):
        raise ValueError(f"{name} must be True or False, not {value!r}")
    return value == "True"


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "True")
TESTING = envbool("TESTING", "False")


def envsecret(name: str, dev_default: str) -> str:
    """A secret must come from the environment in production; development gets a fixed default."""
    value = os.environ.get(name)
    if value:
        return value
    if DEBUG or TESTING:
        return dev_default
    raise RuntimeError(f"{name} must be set when DEBUG is False")


SECRET_KEY = envsecret("SECRET_KEY", "dev-only-secret-key-not-for-production-use-0123456789abcdef")
# Key for the keyed hash (HMAC-SHA256) that pseudonymises crime, suspect and
# investigator references. Separate from SECRET_KEY so rotating one does not
# silently re-key the other.
PSEUDONYM_KEY = envsecret("PSEUDONYM_KEY", "dev-only-pseudonym-key")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise RuntimeError("ALLOWED_HOSTS must be set when DEBUG is False")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "soteria.views.csrf_failure"
SITE_ROOT = os.environ.get("SITE_ROOT", "http://127.0.0.1:8000")

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
    "simple_history",
    "axes",
    "csp",
    "soteria",
    "kpis",
    "panels",
    "recommendations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "soteria.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "soteria.urls"
WSGI_APPLICATION = "soteria.wsgi.application"

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
                "soteria.context_processors.navigation",
            ],
        },
    },
]

# Persistent connections are checked before a request reuses one, so a database restart or
# failover (which drops idle connections) costs a reconnect rather than a 500.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so a real Celery worker process in the tests can share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test_db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock an account after five failures from any mix of
# addresses, so guesses spread over many addresses still count together. An address on its own
# is not a lock: a whole force signs in from behind a few NAT addresses, and five typos across
# an office would lock everyone out. The (address, account) pair adds nothing to the account
# lock; it keeps axes' check that addresses are considered (axes.W006) satisfied.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address", "username"]]
AXES_CLIENT_IP_CALLABLE = "soteria.proxy.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = envbool("AXES_ENABLED", "True")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = None

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded evidence is private: it lives outside STATIC/MEDIA URLs and is only
# ever served through views that check access.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", BASE_DIR / "private"))
MEDIA_ROOT = PRIVATE_STORAGE_ROOT
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
EVIDENCE_MAX_UPLOAD_BYTES = envint("EVIDENCE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
IMPORT_UPLOAD_DIR = PRIVATE_STORAGE_ROOT / "imports"
IMPORT_MAX_UPLOAD_BYTES = envint("IMPORT_MAX_UPLOAD_BYTES", 500 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Production (DEBUG off) is HTTPS only; `check --deploy` is clean.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# X-Forwarded-Proto and X-Forwarded-For say what the TLS-terminating proxy saw (the scheme and
# the client's address). Any client can send them, so they are believed only when a proxy that
# overwrites them is the sole way in (docker-compose's Caddy): TRUSTED_PROXY=True.
TRUSTED_PROXY = envbool("TRUSTED_PROXY", "False")
if TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The container healthcheck asks over plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp): scripts, styles, fonts and images come from this site
# only; no inline script runs unless it carries the request's nonce
# (<script nonce="{{ request.csp_nonce }}">). Chart data sits in <script type="application/json">
# blocks, which are data, not script, and static/js/charts.js draws them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # plotly.js positions its tooltips, legends and axes with inline style attributes.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],  # Bootstrap draws its icons as data: SVG
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Pages that still carry inline script, with what they are allowed until it moves to static/js
# (each entry says what to change; delete it then). Every other page runs no inline script.
CSP_TRANSITIONAL_SCRIPT_SOURCES: dict[str, list[str]] = {}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "soteria-flight-deck@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")

# Celery: real workers when a broker is configured, eager otherwise (pretix's rule).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task's message is acknowledged when the task ends, not when it starts, so a worker that is
# killed or lost mid-task leaves the message to be delivered again; each worker process holds
# one message at a time, so a lost worker strands no queue of others. Tasks are safe to repeat
# (imports claim their batch with a conditional UPDATE; snapshots are upserts).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# ...as a retry in 3 minutes, at most 3 times (task_default_retry_delay, max_retries), so a task
# that kills its process every time (out of memory) stops rather than loops.
CELERY_TASK_RETRY_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The longest task is an import: about 20 s a million rows, so 500 MB takes a few minutes.
# The hard limit stays under the 30 minutes after which the importer may reclaim a running
# batch (kpis.imports.services.STALE_AFTER), so a batch is never run by two live tasks.
CELERY_TASK_SOFT_TIME_LIMIT = 20 * 60
CELERY_TASK_TIME_LIMIT = 25 * 60
# Redis gives an unacknowledged message to another worker after this long. Longer than any
# task may run (or a running task would be started twice); a whole lost worker's task waits
# this long, or for the import reaper, before it runs again.
# Sending a job gives up fast when the broker is down (about a second rather than 20): the
# page that queued it has already saved its work, says the job will start once the queue is
# back, and the import reaper sends it then (soteria.jobs.queue never raises into the page).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60, "socket_connect_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Reading an import's live progress from Redis gives up as fast when Redis is unreachable.
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
# On a lost broker connection, let running tasks finish rather than cancel them: a finished
# import whose acknowledgement was lost is redelivered and finds its batch done.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs, declared in one place. https://crontab.guru for the cron fields.
CELERY_BEAT_SCHEDULE = {
    "compute-snapshots-nightly": {
        "task": "kpis.compute_all_snapshots",
        "schedule": crontab(hour=2, minute=0),  # 02:00 every day
    },
    "evidence-reminders-daily": {
        "task": "kpis.send_evidence_reminders",
        "schedule": crontab(hour=7, minute=0),  # 07:00 every day
    },
    "evidence-summary-weekly": {
        "task": "kpis.send_evidence_summaries",
        "schedule": crontab(hour=7, minute=30, day_of_week=1),  # 07:30 every Monday
    },
    "panel-action-reminders-daily": {
        "task": "panels.tasks.send_action_reminders",
        "schedule": crontab(hour=7, minute=0),  # 07:00 every day
    },
    "recommendation-action-reminders": {
        "task": "recommendations.tasks.send_action_reminders",
        "schedule": crontab(hour=7, minute=0),  # 07:00 every day
    },
    "reap-stale-imports": {
        "task": "kpis.reap_stale_imports",
        "schedule": crontab(minute="*/10"),  # every 10 minutes
        "options": {"expires": 9 * 60},  # a late run is dropped: the next one is due
    },
    "recommendation-weekly-digest": {
        "task": "recommendations.tasks.send_weekly_digests",
        "schedule": crontab(hour=7, minute=30, day_of_week=1),  # 07:30 every Monday
    },
}

# Disclosure control: counts from 1 to this minus one are shown as "<N".
DISCLOSURE_THRESHOLD = envint("DISCLOSURE_THRESHOLD", 5)
# The browser that prints the board pack to PDF (kpis/deck/pack.py): Debian's Chromium.
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Repeat suspect definition (versioned in kpis/engine/catalogue.py): named in N or more RASSO
# reports within Y years. A national definition is expected; until then, set here.
REPEAT_SUSPECT_REPORTS = envint("REPEAT_SUSPECT_REPORTS", 2)
REPEAT_SUSPECT_YEARS = envint("REPEAT_SUSPECT_YEARS", 3)
# Open RASSO investigations per investigator above which a caseload is unsustainable.
CASELOAD_THRESHOLD = envint("CASELOAD_THRESHOLD", 15)
# Most-similar peer groups (kpis/engine/peers.py, docs/peer-groups.md): how many forces.
PEER_GROUP_SIZE = envint("PEER_GROUP_SIZE", 7)
# Reconciliation: a quarter is listed when a force's own-records charge rate differs from its
# Home Office published one by more than this many percentage points, or its charge count
# by more than this share of the published count (percent).
RECONCILIATION_TOLERANCE_POINTS = envint("RECONCILIATION_TOLERANCE_POINTS", 2)
RECONCILIATION_TOLERANCE_PERCENT = envint("RECONCILIATION_TOLERANCE_PERCENT", 10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task run drowns `make run` (eager tasks); failures still show.
        "celery.app.trace": {"level": "WARNING"},
    },
}

# Reference data loaders run in this order by `manage.py load_reference_data`.
REFERENCE_DATA_LOADERS = [
    "soteria.services.load_core_reference",
    "kpis.engine.reference_data.load_catalogue",
    "panels.services.themes.load_learning_themes",
    "recommendations.services.load_inspections",
]

# Demo data loaders run in this order by `manage.py load_demo_data` (and `make run`):
# data first (imports, evidence, panels, recommendations), snapshots last.
DEMO_DATA_LOADERS: list[str] = [
    "kpis.imports.demo.load_demo_imports",
    "kpis.evidence.services.demo.load_demo_returns",
    "panels.demo.load_demo_panels",
    "recommendations.demo.load_demo_responses",
    "kpis.deck.demo.load_demo_targets",
    "kpis.engine.recompute.load_demo_snapshots",  # keep last: it reads everyone's data
]
# Jobs the demo loaders queue that are held for the last loader to do once, rather than done
# after each loader that queues them (soteria.jobs.held): every import, return and panel
# queues a recompute of the quarters it touched, most of them many times over.
DEMO_DATA_HELD_JOBS: list[str] = ["kpis.compute_snapshots"]

# Records of other apps that a recommendation's response may link to (app_label.Model, each
# force-owned with FORCE_FIELD); a model that is not installed is skipped.
RECOMMENDATION_LINKABLE_MODELS = ["panels.Action"]
# Pages a response may link to as evidence, for a chosen quarter (recommendations PageLink):
# the URL name (taking the force's slug), the query parameter the quarter fills, how the
# quarter reads, and the access action a reader needs to be shown the link.
RECOMMENDATION_LINKABLE_PAGES = {
    "problem-profile": {
        "label": "RASSO problem profile",
        "url_name": "kpis:problem-profile",
        "parameter": "end",
        "period_label": "12 months to",
        "action": "view",
    },
}

# Where KPI values come from: functions (*, force, period) -> list[KpiResult].
KPI_SOURCES: list[str] = [
    "kpis.engine.record_kpis.records_kpis",
    "kpis.engine.home_office_kpis.home_office_kpis",
    "kpis.evidence.services.kpi_source.evidence_results",
    "panels.services.kpis.panel_kpis",
]

# What each room puts on a person's "my work" page: functions (*, user, today) -> list[WorkItem]
# (soteria.work). Each reads only what soteria.access lets the user see, in a fixed number of
# queries.
MY_WORK_SOURCES: list[str] = [
    "soteria.work.core_work",
    "kpis.evidence.services.work.my_work",
    "kpis.imports.work.my_work",
    "panels.services.work.my_work",
    "recommendations.services.work.my_work",
]
