"""Settings, read from the environment so one build runs a laptop demo and a district deployment.

Environment:
    DATABASE_URL       default: SQLite (WAL mode) in ``$CAIRN_DATA_DIR/cairn.sqlite3``
    CAIRN_DATA_DIR     local data folder (default ``./var``): SQLite file, generated secret key, media
    SECRET_KEY         default: generated once and kept in ``$CAIRN_DATA_DIR/secret_key``
    DEBUG              "1"/"true" to turn on (Django's debug pages: never for real people, the demo included);
                       off unless the tests or a developer set it
    SECURE_COOKIES     "0" to let the session and CSRF cookies travel over plain HTTP and send no HSTS header
                       (default on, off when DEBUG is on); `cairn demo` on http://localhost turns it off
    ALLOWED_HOSTS      comma-separated (default: localhost,127.0.0.1,[::1]; `cairn demo` adds its --host)
    CSRF_TRUSTED_ORIGINS  comma-separated origins, for deployments behind a proxy
    SECURE_SSL_REDIRECT   "1" to redirect HTTP to HTTPS (off by default: TLS usually ends at a proxy)
    CELERY_BROKER_URL  e.g. redis://127.0.0.1:6379/0; when unset, background tasks run in-process
    TRUSTED_PROXIES    comma-separated addresses/CIDRs whose X-Forwarded-* headers are believed (default none)
    CAIRN_SESSION_IDLE_MINUTES, CAIRN_STAFF_SESSION_IDLE_MINUTES, CAIRN_SESSION_MAX_HOURS  session limits
    LOG_FORMAT         json (default without DEBUG) or text (default with DEBUG)
    EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL,
    DEFAULT_FROM_EMAIL  the SMTP server for password-reset mail (DEBUG without EMAIL_HOST: the console)
    CAIRN_API_TOKEN_DAYS  how long a new API token answers (default 90)
    CAIRN_SIGNIN_FREE_FAILURES, CAIRN_SIGNIN_MAX_DELAY_SECONDS, CAIRN_SIGNIN_ADDRESS_FAILURES  throttle
    REDIS_URL          the shared cache for rate limits (default: CELERY_BROKER_URL when it is Redis)
    CAIRN_API_RATE, CAIRN_API_ANON_RATE, CAIRN_EXPORT_RATE  rate limits (default 600/m, 60/m, 30/h)
    CAIRN_IMPORT_MAX_BYTES, CAIRN_IMPORT_MAX_DEPTH  import limits (default 20 MB, 64 levels of nesting)
    CAIRN_BASE_URL     where people reach Cairn (default http://localhost:8000); xAPI activity ids use it
    XAPI_LRS_URL, XAPI_LRS_USERNAME, XAPI_LRS_PASSWORD  the district's LRS (its xAPI endpoint, e.g.
                       https://lrs.example.org/xAPI); unset: no statements are sent out
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CAIRN_DATA_DIR", Path.cwd() / "var")).resolve()


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Written once with owner-only permissions, so sessions survive restarts of a local install.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_flag("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "cairn.core",
    "cairn.accounts",
    "cairn.curriculum",
    "cairn.surveys",
    "cairn.learning",
    "cairn.agency",
    "cairn.assessments",
    "cairn.insights",
    "lti_tool",  # django-lti: LTI registrations, deployments, contexts, the tool's keys (cairn.lti)
    "cairn.lti",
    "cairn.xapi",
    "cairn.leaders",
    "cairn.families",
    "cairn.privacy",
    "cairn.project",
]

MIDDLEWARE = [
    # First: drops X-Forwarded-* unless a TRUSTED_PROXIES proxy sent them, before anything reads them.
    "cairn.core.proxies.TrustedProxyMiddleware",
    "cairn.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # LMS launches: SameSite=None; Secure cookies for /lti/ and LTI-started sessions only (cairn.lti.security)
    "cairn.lti.security.LtiCookieMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's Accept-Language (or the chooser's cookie) picks English or Spanish before sign-in.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After sign-in, the person's own language (User.language) wins over the browser's when set.
    "cairn.accounts.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Idle and absolute session limits, then no-store on personal pages (cairn.core.sessions).
    "cairn.core.sessions.SessionTimeoutMiddleware",
    "cairn.core.sessions.PrivatePagesMiddleware",
    # Staff who must sign in in two steps reach nothing but the second step until they pass it.
    "cairn.accounts.two_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Lets a registered LMS frame /lti/ and LTI-started sessions (before the two above read the response).
    "cairn.lti.security.LtiFramingMiddleware",
    # Turns a CairnError a view lets through into a page, a flash or an htmx fragment (cairn.core.errors).
    "cairn.core.middleware.CairnErrorMiddleware",
    # Axes records sign-in attempts (its lockout is off: cairn.accounts.throttle slows guessing instead).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cairn.project.urls"
WSGI_APPLICATION = "cairn.project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cairn.accounts.context_processors.roles",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------------------
SQLITE_OPTIONS = {
    # WAL lets readers work while one writer commits; IMMEDIATE transactions take the write lock up front,
    # so concurrent writers queue on `timeout` instead of failing with "database is locked".
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'cairn.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["ENGINE"] = "cairn.project.sqlite_backend"  # writers queue on a file lock; see its docstring
        config["OPTIONS"] = {**SQLITE_OPTIONS, **(config.get("OPTIONS") or {})}
        # Tests run in memory, as Django does for its own SQLite engine; said explicitly because the engine
        # above is ours, and pytest-django would otherwise name a file per xdist worker from the path.
        config.setdefault("TEST", {"NAME": ":memory:"})
        # SQLite connections are kept between requests too (per worker thread): opening one and running the
        # PRAGMAs above on every request took about 8 of the answer loop's 22 ms (benchmarks/answer_loop.py).
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, authentication, passwords ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (cairn.accounts.throttle): after CAIRN_SIGNIN_FREE_FAILURES failed passwords for a
# username, each further try must wait a delay that doubles up to CAIRN_SIGNIN_MAX_DELAY_SECONDS (a slowing,
# never a lockout a classmate could set off), and an address with more than CAIRN_SIGNIN_ADDRESS_FAILURES
# failures in 15 minutes, across all accounts (password spraying), waits until it has fewer.
CAIRN_SIGNIN_FREE_FAILURES = int(os.environ.get("CAIRN_SIGNIN_FREE_FAILURES", "3"))
CAIRN_SIGNIN_MAX_DELAY_SECONDS = int(os.environ.get("CAIRN_SIGNIN_MAX_DELAY_SECONDS", "300"))
CAIRN_SIGNIN_ADDRESS_FAILURES = int(os.environ.get("CAIRN_SIGNIN_ADDRESS_FAILURES", "50"))
# Axes only records attempts now (who tried, from where); it never locks anyone out.
AXES_LOCK_OUT_AT_FAILURE = False
AXES_RESET_ON_SUCCESS = True
# The address TrustedProxyMiddleware settled on (never a client-sent X-Forwarded-For).
AXES_CLIENT_IP_CALLABLE = "cairn.core.proxies.client_ip"

# Sessions end after CAIRN_SESSION_IDLE_MINUTES idle (students and guardians, on shared classroom devices;
# staff get CAIRN_STAFF_SESSION_IDLE_MINUTES) and CAIRN_SESSION_MAX_HOURS after sign-in whatever their use.
CAIRN_SESSION_IDLE_MINUTES = int(os.environ.get("CAIRN_SESSION_IDLE_MINUTES", "30"))
CAIRN_STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("CAIRN_STAFF_SESSION_IDLE_MINUTES", "120"))
CAIRN_SESSION_MAX_HOURS = int(os.environ.get("CAIRN_SESSION_MAX_HOURS", "12"))
CAIRN_SESSION_IDLE_MINUTES_CALLABLE = "cairn.accounts.sessions.idle_minutes"

# Two-step sign-in (django-otp): the name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "Cairn"
# API tokens answer for this many days unless their owner asks for fewer.
CAIRN_API_TOKEN_DAYS = int(os.environ.get("CAIRN_API_TOKEN_DAYS", "90"))

# --- Email (password reset) -----------------------------------------------------------------------------
# A DEBUG run (the demo) without EMAIL_HOST prints mail to the console; otherwise mail goes to EMAIL_HOST
# by SMTP (printed, reset links would end up in the logs).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cairn <cairn@localhost>")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # a reset link works for three hours, and once

# --- Security -------------------------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * CAIRN_SESSION_MAX_HOURS
# Believed only when the request comes from one of TRUSTED_PROXIES (cairn.core.proxies strips it otherwise).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
# Cookies only travel over HTTPS and browsers are told to keep to HTTPS (HSTS), unless SECURE_COOKIES is off:
# its own setting, not DEBUG's, so the plain-HTTP demo runs without debug pages and still keeps its session.
SECURE_COOKIES = env_flag("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SECURE_COOKIES else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT")

# --- Internationalization, static files -----------------------------------------------------------------
LANGUAGE_CODE = "en"
# Each language named in itself, for the chooser; the catalog is src/cairn/locale (`make messages`).
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request when it is missing
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step on a laptop

# --- Background work ------------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
# Without a broker, tasks run in the calling process, so a laptop needs no Redis.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL

# --- Cache, rate limits and import limits ---------------------------------------------------------------
# The cache holds the rate limits' counts. With Redis (REDIS_URL, else a redis:// CELERY_BROKER_URL) every
# server process shares them; without, each process counts its own (LocMem), which is enough for one.
REDIS_URL = os.environ.get("REDIS_URL", "") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cairn"}
    )
}
# Requests per person to the API ("N/s", "N/m", "N/h" or "N/d"); a student answering every 20 s uses 3/m.
CAIRN_API_RATE = os.environ.get("CAIRN_API_RATE", "600/m")
CAIRN_API_ANON_RATE = os.environ.get("CAIRN_API_ANON_RATE", "60/m")  # per address, before sign-in
CAIRN_EXPORT_RATE = os.environ.get("CAIRN_EXPORT_RATE", "30/h")  # downloads (grade book) per person
CAIRN_IMPORT_MAX_BYTES = int(os.environ.get("CAIRN_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
CAIRN_IMPORT_MAX_DEPTH = int(os.environ.get("CAIRN_IMPORT_MAX_DEPTH", "64"))
# Tests only: lets the link checker reach loopback (it refuses every non-public address).
LINKCHECK_ALLOW_LOOPBACK = False
CAIRN_BASE_URL = os.environ.get("CAIRN_BASE_URL", "http://localhost:8000").rstrip("/")
XAPI_LRS_URL = os.environ.get("XAPI_LRS_URL", "").rstrip("/")
XAPI_LRS_USERNAME = os.environ.get("XAPI_LRS_USERNAME", "")
XAPI_LRS_PASSWORD = os.environ.get("XAPI_LRS_PASSWORD", "")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Nightly upkeep for `celery -A cairn.project beat` (times in TIME_ZONE); without beat, cron runs the same
# work through `cairn manage check_links` and `cairn manage refit_learner_model`.
CELERY_BEAT_SCHEDULE = {
    "check-content-links": {"task": "cairn.curriculum.check_links", "schedule": crontab(hour=2, minute=0)},
    "refit-learner-model": {
        "task": "cairn.learning.refit_learner_model",
        "schedule": crontab(hour=3, minute=0),
    },
    "calibrate-items": {"task": "cairn.assessments.calibrate_items", "schedule": crontab(hour=3, minute=30)},
    "enforce-retention": {"task": "cairn.privacy.enforce_retention", "schedule": crontab(hour=4, minute=0)},
    # Before the refit: rosters from each district's OneRoster REST provider (a partial pull applies nothing).
    "sync-rosters": {"task": "cairn.accounts.sync_rosters", "schedule": crontab(hour=1, minute=30)},
    # Not nightly: the xAPI outbox drains every minute (statements wait while the LRS is down).
    "send-xapi-outbox": {"task": "cairn.xapi.send_outbox", "schedule": 60.0},
    # After the night's work: each district's goal measures, stored for the leaders' pages.
    "roll-up-leader-measures": {
        "task": "cairn.leaders.roll_up_measures",
        "schedule": crontab(hour=5, minute=0),
    },
    # Teachers' practice evidence (fidelity signals, walkthroughs) into their own paths; idempotent.
    "feed-teacher-evidence": {
        "task": "cairn.leaders.feed_teacher_evidence",
        "schedule": crontab(hour=5, minute=15),
    },
    # Mondays: the families' weekly digests, fanned out in batches of guardians (cairn.families.tasks).
    "send-family-digests": {
        "task": "cairn.families.send_weekly_digests",
        "schedule": crontab(hour=6, minute=0, day_of_week=1),
    },
    # Monday before school: this week's anonymous class pulse opens for every class.
    "open-class-pulses": {
        "task": "cairn.surveys.open_pulses",
        "schedule": crontab(hour=5, minute=30, day_of_week=1),
    },
}

# JSON lines for log collectors in production; a readable line in a terminal (DEBUG, tests). Both carry
# the request id and the person's id (cairn.core.logs).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "cairn.core.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "cairn.core.logs.JsonFormatter"},
        "text": {"()": "cairn.core.logs.RedactingFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_context"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
