"""Django settings for Khabar, read from environment variables in this one module.

Every setting has a default that runs embedded (SQLite under KHABAR_DATA), so a new user needs none.

Environment variables:
    KHABAR_DATA            folder for the database, media and caches (default ./khabar-data/)
    KHABAR_DEBUG           1 to run with Django's debug pages (default 0)
    KHABAR_SECRET_KEY      secret key; a per-data-folder key is generated and kept if unset
    KHABAR_ALLOWED_HOSTS   comma-separated host names (default localhost,127.0.0.1,[::1])
    KHABAR_DATABASE_URL    postgresql://user:pass@host:port/name to use PostgreSQL instead of SQLite
    KHABAR_SITE_NAME       the site's name as readers see it (default خبر)
    KHABAR_DIGITS          western (0-9, default) or arabic (٠-٩): the digits pages write
    KHABAR_PAGE_CACHE      0 to turn the full-page cache of reader pages off (default 1)
    KHABAR_PAGE_CACHE_TTL  seconds a cached page lives at most (default 60)
    KHABAR_PAGE_CACHE_MB   memory for cached pages in each worker process (default 64)
    KHABAR_REDIS_URL       redis://host:6379/0 to share cached pages between machines (optional)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from khabar.errors import ConfigurationError

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name}={value!r} is not a yes/no value: set it to 1 or 0")


DATA_DIR = Path(os.environ.get("KHABAR_DATA") or "khabar-data").resolve()
DEBUG = _env_bool("KHABAR_DEBUG", False)


def _secret_key() -> str:
    """Use KHABAR_SECRET_KEY, else a key generated once and kept in the data folder."""
    key = os.environ.get("KHABAR_SECRET_KEY")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    try:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot write {key_file} ({exc.strerror}): set KHABAR_DATA to a writable folder "
            "or KHABAR_SECRET_KEY"
        ) from exc
    return key


SECRET_KEY = _secret_key()
# WhiteNoise looks for collected files here; an empty folder is fine (finders serve the rest).
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("KHABAR_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
SITE_NAME = os.environ.get("KHABAR_SITE_NAME", "خبر")
# Dates, times, counts and page numbers on the reader site all follow this one choice.
KHABAR_DIGITS = os.environ.get("KHABAR_DIGITS", "western").strip().lower() or "western"
if KHABAR_DIGITS not in ("western", "arabic"):
    raise ConfigurationError(
        f"KHABAR_DIGITS={KHABAR_DIGITS!r} is not known: set it to western (0-9) or arabic (٠-٩)"
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "khabar.newsroom",
    "khabar.site",
    "khabar.api",
]

MIDDLEWARE = [
    # First, so a cached page keeps every header the others add and a hit skips them all.
    "khabar.site.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: one thread per page under ASGI instead of a hop per middleware (see its docstring).
    "khabar.site.pagecache.SyncPagesMiddleware",
]

ROOT_URLCONF = "khabar.urls"
WSGI_APPLICATION = "khabar.wsgi.application"
ASGI_APPLICATION = "khabar.asgi.application"

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
                "khabar.site.context.site_chrome",
            ],
        },
    }
]


# Seconds a worker keeps its database connection (0: a new one per request). `khabar serve
# --production` sets 60: its workers run all pages on one thread each (khabar/asgi.py).
_CONN_MAX_AGE = int(os.environ.get("KHABAR_DB_CONN_MAX_AGE", "0"))


def _database() -> dict[str, object]:
    url = os.environ.get("KHABAR_DATABASE_URL")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "khabar.sqlite3",
            "CONN_MAX_AGE": _CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ConfigurationError(
            f"KHABAR_DATABASE_URL scheme {parts.scheme!r} is not supported: "
            "use postgresql://user:password@host:port/name, or unset it for SQLite"
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": _CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("KHABAR_TIME_ZONE", "Asia/Riyadh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Outside DEBUG, static files get content-hashed names (cached forever by browsers) and gzip
# copies; `khabar serve` runs collectstatic first to write them into STATIC_ROOT.
STATIC_BACKEND = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
    if DEBUG
    else "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": STATIC_BACKEND},
}
# Also serve app static files straight from the package (DEBUG, and files added since collecting).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Full-page cache of reader pages (khabar/site/pagecache.py): pages in each process's memory,
# invalidated by a generation in $KHABAR_DATA/page-generation, or both in Redis when
# KHABAR_REDIS_URL is set.
KHABAR_PAGE_CACHE = _env_bool("KHABAR_PAGE_CACHE", True)
KHABAR_PAGE_CACHE_TTL = float(os.environ.get("KHABAR_PAGE_CACHE_TTL", "60"))
KHABAR_PAGE_CACHE_MB = float(os.environ.get("KHABAR_PAGE_CACHE_MB", "64"))
# What downstream caches (a proxy, a CDN) may keep: they are never told of a publish, so briefly.
KHABAR_PAGE_MAX_AGE = int(os.environ.get("KHABAR_PAGE_MAX_AGE", "5"))
KHABAR_PAGE_STALE = int(os.environ.get("KHABAR_PAGE_STALE", "30"))
KHABAR_REDIS_URL = os.environ.get("KHABAR_REDIS_URL", "")
CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
if KHABAR_REDIS_URL:
    _redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": KHABAR_REDIS_URL,
        # A Redis that stops answering slows pages by at most this, never hangs them.
        "OPTIONS": {"socket_timeout": 1.0, "socket_connect_timeout": 1.0},
    }
    CACHES = {
        "default": {**_redis, "KEY_PREFIX": "khabar"},
        "pages": {**_redis, "KEY_PREFIX": "khabar-pages"},
    }

# Ingest: what the fetcher may reach, how politely, and how far back near-duplicates are sought.
KHABAR_FETCH_ALLOW_LOOPBACK = _env_bool("KHABAR_FETCH_ALLOW_LOOPBACK", False)
KHABAR_FETCH_ALLOW_PRIVATE = _env_bool("KHABAR_FETCH_ALLOW_PRIVATE", False)
KHABAR_FETCH_HOST_DELAY = float(os.environ.get("KHABAR_FETCH_HOST_DELAY", "1.0"))
KHABAR_FETCH_ATTEMPTS = int(os.environ.get("KHABAR_FETCH_ATTEMPTS", "3"))
KHABAR_FETCH_BACKOFF = float(os.environ.get("KHABAR_FETCH_BACKOFF", "1.0"))
KHABAR_FETCH_MAX_BYTES = int(os.environ.get("KHABAR_FETCH_MAX_BYTES", str(10 * 1024 * 1024)))
KHABAR_FETCH_TIMEOUT = float(os.environ.get("KHABAR_FETCH_TIMEOUT", "20"))
KHABAR_DEDUP_DAYS = int(os.environ.get("KHABAR_DEDUP_DAYS", "14"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KHABAR_LOG_LEVEL", "WARNING")},
}
