"""GoalDesk settings, read from the environment (12-factor).

GOALDESK_DATABASE_URL   database (default: SQLite file in GOALDESK_DATA_DIR)
GOALDESK_DATA_DIR       where the embedded database, uploads and the generated key live (./var)
GOALDESK_SECRET_KEY     secret key; when absent one is generated once into the data directory
GOALDESK_DEBUG          1 for development (default 0)
GOALDESK_ALLOWED_HOSTS  comma-separated host names (default: localhost,127.0.0.1)
GOALDESK_SECURE         1 behind HTTPS: secure cookies, HSTS, redirect to HTTPS
GOALDESK_TRUSTED_PROXIES  comma-separated addresses or networks of the reverse proxies whose
                        X-Forwarded-For is believed (default: none; the peer's address is used)
GOALDESK_MAX_DAYS_BY_DAY  longest period, in days, of a metric request by day (default 400)
GOALDESK_MAX_DAYS_TOTAL   longest period, in days, of any other metric request (default 1827)
GOALDESK_MAX_UPLOAD_MB  largest file the import page accepts, in MB (default 200; the CLI has none)
GOALDESK_IMPORT_REJECTIONS_STORED  rejected rows an import stores with their values (default 1000)
GOALDESK_IMPORT_FILE_RETENTION_HOURS  how long a failed import or a dry run keeps its file (24)
GOALDESK_JOB_STALE_SECONDS  a running job without a heartbeat this long is lost: re-queued (60)
GOALDESK_SUMMARY_MEMO_MB  figures from built day summaries each process keeps, in MB (96)
GOALDESK_WORKER_NICE    how much `goaldesk worker` lowers its CPU priority (default 10; 0: not)
"""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from goaldesk.core.mail_url import EmailUrlError, email_settings

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GOALDESK_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    key = os.environ.get("GOALDESK_SECRET_KEY")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_flag("GOALDESK_DEBUG")
ALLOWED_HOSTS = os.environ.get("GOALDESK_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("GOALDESK_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    # GoalDesk's apps, lowest layer first: each imports only the ones above it in this list.
    "goaldesk.core",
    "goaldesk.accounts",
    "goaldesk.notifications",
    "goaldesk.team",
    "goaldesk.customers",
    "goaldesk.interactions",
    "goaldesk.metrics",
    "goaldesk.goals",
    "goaldesk.forecasting",
    "goaldesk.scheduling",
    "goaldesk.coaching",
    "goaldesk.feedback",
    "goaldesk.knowledge",
    "goaldesk.reports",
    "goaldesk.legacy.workforce",
    "goaldesk.api",
    "axes",  # counts failed sign-ins and locks them out (see AXES_* below)
    "ninja",  # serves the API docs page and its assets itself (no CDN)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "goaldesk.core.middleware.PermissionsPolicyMiddleware",
    "goaldesk.accounts.middleware.PreferencesMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into GoalDesk's lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "goaldesk.urls"
WSGI_APPLICATION = "goaldesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "goaldesk.accounts.context_processors.goaldesk",
                "goaldesk.notifications.context_processors.bell",
            ],
            "builtins": ["goaldesk.core.templatetags.goaldesk"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("GOALDESK_DATABASE_URL", f"sqlite:///{DATA_DIR / 'goaldesk.sqlite3'}"),
        conn_max_age=60,
    )
}
#: SQLite reads the database file through memory mapping up to this size (the operating
#: system's page cache, shared by every process); 0 turns it off.
SQLITE_MMAP_BYTES = int(os.environ.get("GOALDESK_SQLITE_MMAP_MB", "4096")) * 2**20
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a worker writes an import batch.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
            f" PRAGMA mmap_size={SQLITE_MMAP_BYTES};"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A connection (and its 64 MB page cache) lives across requests, as on PostgreSQL: opened
    # for each request, every page it reads comes cold (bench/load.py: 49 → 60 requests/s).
    # Between requests it holds no transaction, so it keeps no writer waiting.

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "goaldesk.accounts.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses every sign-in while the account or the address is locked, before the password is
    # checked; then Django's own backend checks it.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# A password-reset link works for 3 days, and only until the password changed (Django's token).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Sign-in throttling (django-axes). Failures are counted in the database (AxesDatabaseHandler), so
# every app process and every machine share the counts; nothing is kept in process memory.
# Per account AND per address: an account is locked after 5 failures from any addresses (a botnet
# guessing one password), an address after 5 failures on any accounts (one machine trying many).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
# Tries during a lock do not extend it, so the time the page names holds, and someone guessing
# cannot keep a colleague out for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful sign-in forgets the account's own failures (accounts.views.SignInView), not the
# address's failures on other accounts, which axes' AXES_RESET_ON_SUCCESS would also wipe.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "goaldesk.accounts.views.signin_locked_out"
AXES_CLIENT_IP_CALLABLE = "goaldesk.accounts.throttling.client_ip_address"
AXES_DISABLE_ACCESS_LOG = True  # failures are what is counted; successful sign-ins are not kept
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
GOALDESK_TRUSTED_PROXIES = [
    p for p in os.environ.get("GOALDESK_TRUSTED_PROXIES", "").split(",") if p.strip()
]
# API tokens (api.auth.TokenAuth): after this many bad tokens from one address within the window,
# that address gets 429 until the window ends. Counted in the database (accounts.ApiTokenFailure):
# no CACHES is configured, and Django's default cache lives in each process's memory.
GOALDESK_API_TOKEN_FAILURE_LIMIT = 20
GOALDESK_API_TOKEN_FAILURE_WINDOW = dt.timedelta(minutes=10)
# Requests anybody can send, counted per source in the database (core.ThrottleHit, see
# core/throttle.py) for the same reason: scope → (requests, window). A request over the limit is
# refused (429, saying when to try again) and not counted.
GOALDESK_THROTTLES = {
    # the help centre's "contact us" (each creates an interaction): per client address and
    # organisation
    "help_contact": (5, dt.timedelta(hours=1)),
    # the help centre's "did this answer your question?" (and "what was missing"): per address
    "help_answer": (60, dt.timedelta(hours=1)),
    # answers sent on public survey pages: per client address
    "survey_answer": (20, dt.timedelta(hours=1)),
    # password-reset e-mails: per e-mail address and per client address
    "password_reset": (3, dt.timedelta(hours=1)),
}

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("fa", _("Persian")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["goaldesk.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from the finders; collectstatic is optional
STATICFILES_DIRS = [BASE_DIR / "static"]  # goaldesk/static is not inside an app
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Uploads larger than this go to a temporary file rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The body of a request apart from its files (forms, the API's JSON batches).
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10
IMPORT_MAX_UPLOAD_BYTES = round(
    float(os.environ.get("GOALDESK_MAX_UPLOAD_MB", "200")) * 1024 * 1024
)
# Beyond these, rejected rows are only counted by column and reason.
IMPORT_REJECTIONS_STORED = int(os.environ.get("GOALDESK_IMPORT_REJECTIONS_STORED", "1000"))
# A failed import keeps its file this long for a retry, a dry run for the import that follows
# it; a finished import (or an unreadable file) has it removed at once.
IMPORT_FILE_RETENTION_HOURS = float(os.environ.get("GOALDESK_IMPORT_FILE_RETENTION_HOURS", "24"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("GOALDESK_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# E-mail from one URL (smtp://, smtps://, console:, file:///dir; see core/mail_url.py). Without
# one, messages are printed on the console: nothing leaves the machine unless asked to.
try:
    globals().update(email_settings(os.environ.get("GOALDESK_EMAIL_URL", "console:")))
except EmailUrlError as _error:
    raise ImproperlyConfigured(str(_error)) from None
DEFAULT_FROM_EMAIL = os.environ.get("GOALDESK_EMAIL_FROM", "GoalDesk <goaldesk@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people open GoalDesk at: links in e-mails are written with it.
GOALDESK_SITE_URL = os.environ.get("GOALDESK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The longest period a metric request may cover, so that no request holds a worker for long:
# by day (daily breakdowns and trends, one row per day) and in total (five years).
GOALDESK_MAX_DAYS_BY_DAY = int(os.environ.get("GOALDESK_MAX_DAYS_BY_DAY", "400"))
GOALDESK_MAX_DAYS_TOTAL = int(os.environ.get("GOALDESK_MAX_DAYS_TOTAL", str(5 * 365 + 2)))
#: Figures computed from built day summaries that each process keeps (metrics/selectors.py).
SUMMARY_MEMO_BYTES = int(os.environ.get("GOALDESK_SUMMARY_MEMO_MB", "96")) * 2**20
#: Background jobs yield the CPU to requests (core/worker.py).
WORKER_NICE = int(os.environ.get("GOALDESK_WORKER_NICE", "10"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles, images and requests from this site only;
# no inline scripts anywhere (the pages have none: inline JSON data blocks are not run).
# style-src-attr allows the style="" attributes that draw progress bars, heat-map cells and shift
# bars from data (they cannot run code); <style> elements and other sites' styles stay refused.
# The API docs page (django-ninja's Swagger UI) adds data: images to this: see api/urls.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
#: Permissions-Policy: browser features no page of GoalDesk uses are refused for every origin.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
if _env_flag("GOALDESK_SECURE"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, 404, 400) is one line; only server errors carry a traceback.
    "filters": {"client_errors": {"()": "goaldesk.core.logging.ClientErrorWithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_errors"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GOALDESK_LOG_LEVEL", "WARNING")},
}

#: A running job whose heartbeat is older than this has lost its process (see core/jobs.py).
GOALDESK_JOB_STALE_SECONDS = float(os.environ.get("GOALDESK_JOB_STALE_SECONDS", "60"))
