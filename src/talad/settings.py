"""Django settings, read from the environment (docs/design/cli.md#environment).

TALAD_HOME        where Talad keeps its files (default ./var)
TALAD_DATABASE_URL  postgresql://… for PostgreSQL; default: SQLite file in TALAD_HOME
TALAD_SECRET_KEY  default: generated once into TALAD_HOME/secret_key
TALAD_DEBUG       "1"/"true" to turn debug on (off by default)

Background work (docs/integrations.md):
TALAD_TASKS_BACKEND        db (default: django-tasks-db, no extra server) or rq (Redis)
TALAD_REDIS_URL            for rq; default redis://127.0.0.1:6379/0
TALAD_OUTBOX_RETRY_DELAYS  seconds between delivery attempts; default 30,120,600,3600,21600
TALAD_OUTBOX_LEASE         seconds a worker holds a message it is delivering; default 300
TALAD_WORKER_TICK          seconds between the worker's scheduled checks; default 5
TALAD_WEBHOOKS_ALLOW_PRIVATE  "1" lets webhooks reach loopback/private addresses (self-hosted)

Web security (docs/decisions/0013-web-security.md):
TALAD_HTTPS                 "1": served over HTTPS only (Secure cookies, HSTS, redirect to https)
TALAD_TRUSTED_PROXIES       proxies (IPs/CIDRs, commas) whose X-Forwarded-Proto/-For count; none
TALAD_HSTS_SECONDS          HSTS max-age on HTTPS responses; default 31536000 (a year), 0 = off
TALAD_LOGIN_FAILURES        failed logins (per account, and per address) before a lockout; 10
TALAD_LOGIN_COOLOFF_MINUTES how long a lockout lasts; default 15
TALAD_ADMIN                 "1" turns on the Django admin at /admin/ (superusers only); off
"""

import ipaddress
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
TALAD_HOME = Path(os.environ.get("TALAD_HOME", "var")).resolve()
TALAD_HOME.mkdir(parents=True, exist_ok=True)


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The secret key comes from the environment or a file made on first start, never the repo."""
    if key := os.environ.get("TALAD_SECRET_KEY"):
        return key
    path = TALAD_HOME / "secret_key"
    if not path.exists():
        # Written whole under another name, then linked into place: two processes starting on
        # a fresh home at once both end up reading the one key that won, never a half file.
        fd, draft = tempfile.mkstemp(dir=TALAD_HOME, prefix=".secret_key.")
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_flag("TALAD_DEBUG")
ALLOWED_HOSTS = [h for h in os.environ.get("TALAD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
if DEBUG or _env_flag("TALAD_TESTING"):
    ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "talad.shops",
    "talad.catalog",
    "talad.inventory",
    "talad.orders",
    "talad.payments",
    "talad.shipping",
    "talad.accounting",
    "talad.channels",
    "talad.integrations",
    "talad.reports",
    "talad.web",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "ninja",  # the API docs page from its own static files, not a CDN (the CSP allows only 'self')
]

MIDDLEWARE = [
    "talad.web.security.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "talad.web.middleware.ThaiFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "talad.shops.middleware.CurrentShopMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "talad.urls"
WSGI_APPLICATION = "talad.wsgi.application"

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
                "talad.web.context.shell",
            ],
        },
    },
]


def _database() -> dict:
    """SQLite by default; tuned so concurrent writers wait their turn instead of failing."""
    url = os.environ.get("TALAD_DATABASE_URL")
    if url:
        db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(TALAD_HOME / "talad.sqlite3")}
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["OPTIONS"] = {
            # BEGIN IMMEDIATE: a write transaction takes the lock up front, so two writers never
            # deadlock upgrading a read lock ("database is locked"); the timeout lets them queue.
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA foreign_keys=ON;",
        }
        db["TEST"] = {"NAME": str(TALAD_HOME / "test.sqlite3")}
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if _env_flag("TALAD_TESTING"):
    # Test suites create hundreds of users; a slow hasher would dominate their run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = TALAD_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = TALAD_HOME / "media"

# A request body larger than this is refused with 413 before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024


def _seconds_list(name: str, default: str) -> list[int]:
    raw = os.environ.get(name, "").strip() or default
    try:
        values = [int(part) for part in raw.split(",")]
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be seconds separated by commas, got {raw!r}"
        ) from None
    if not values or any(v < 0 for v in values):
        raise ImproperlyConfigured(f"{name} must list one or more seconds >= 0, got {raw!r}")
    return values


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, got {raw!r}") from None
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be more than 0 seconds, got {raw!r}")
    return value


# Background work: django-tasks with the database backend by default, Redis (RQ) to scale out.
TALAD_TASKS_BACKEND = os.environ.get("TALAD_TASKS_BACKEND", "").strip().lower() or "db"
TALAD_REDIS_URL = os.environ.get("TALAD_REDIS_URL", "").strip() or "redis://127.0.0.1:6379/0"
if TALAD_TASKS_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TALAD_TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": TALAD_REDIS_URL, "DEFAULT_TIMEOUT": 900}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f"TALAD_TASKS_BACKEND must be db or rq, got {TALAD_TASKS_BACKEND!r}")

TALAD_OUTBOX_RETRY_DELAYS = _seconds_list("TALAD_OUTBOX_RETRY_DELAYS", "30,120,600,3600,21600")
TALAD_OUTBOX_LEASE = _seconds("TALAD_OUTBOX_LEASE", 300)
TALAD_WORKER_TICK = _seconds("TALAD_WORKER_TICK", 5)
TALAD_WEBHOOKS_ALLOW_PRIVATE = _env_flag("TALAD_WEBHOOKS_ALLOW_PRIVATE")

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "talad.web.fonts.SarabunFinder",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}


# --- Web security (docs/decisions/0013-web-security.md) ------------------------------------


def _whole_number(name: str, default: int, *, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be {minimum} or more, got {raw!r}")
    return value


def _networks(name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    raw = os.environ.get(name, "")
    try:
        return tuple(
            ipaddress.ip_network(p.strip(), strict=False) for p in raw.split(",") if p.strip()
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must list IP addresses or CIDRs: {exc}") from None


# HTTPS. talad serve speaks plain HTTP, so HTTPS means a proxy in front that terminates TLS;
# its X-Forwarded-Proto (and -For) count only when the request comes from TALAD_TRUSTED_PROXIES
# (talad.web.security.TrustedProxyMiddleware; Django's SECURE_PROXY_SSL_HEADER trusts anyone).
TALAD_HTTPS = _env_flag("TALAD_HTTPS")
TALAD_TRUSTED_PROXIES = _networks("TALAD_TRUSTED_PROXIES")
SECURE_SSL_REDIRECT = TALAD_HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = TALAD_HTTPS
# Sent only on responses to HTTPS requests (Django's SecurityMiddleware checks is_secure()).
SECURE_HSTS_SECONDS = _whole_number("TALAD_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
if TALAD_HTTPS:
    CSRF_TRUSTED_ORIGINS = [
        f"https://*{host}" if host.startswith(".") else f"https://{host}"
        for host in ALLOWED_HOSTS
        if host and host != "*"
    ]
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a promise about the whole registrable domain, made by whoever owns it
    # (hstspreload.org), not by one application on it; the header stays without `preload`.
    "security.W021",
]

# Content-Security-Policy: scripts only from Talad's own static files (no inline script, no
# eval); inline style *attributes* are allowed (a few templates use them, e.g. the dashboard's
# legend colours), <style> elements are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes): TALAD_LOGIN_FAILURES failed logins for one account (from
# anywhere), or from one address (for any accounts), lock it for the cool-off. The shop owner
# can unlock a member (shops.services.unlock_member); API tokens never pass through here.
TALAD_LOGIN_FAILURES = _whole_number("TALAD_LOGIN_FAILURES", 10)
TALAD_LOGIN_COOLOFF_MINUTES = _whole_number("TALAD_LOGIN_COOLOFF_MINUTES", 15)
AUTHENTICATION_BACKENDS = [
    "talad.web.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = TALAD_LOGIN_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=TALAD_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "talad.web.security.login_username"
AXES_CLIENT_IP_CALLABLE = "talad.web.security.client_address"
AXES_LOCKOUT_CALLABLE = "talad.web.security.lockout_response"
AXES_VERBOSE = False

# The Django admin is off unless TALAD_ADMIN=1, and then it lets in superusers only.
TALAD_ADMIN = _env_flag("TALAD_ADMIN")
if TALAD_ADMIN:
    INSTALLED_APPS.insert(0, "talad.web.admin_site.SuperuserAdminConfig")
