"""Django settings for Khabar, read from environment variables in this one module.

Every setting has a default that runs embedded (SQLite under KHABAR_DATA), so a new user needs none.

Environment variables:
    KHABAR_DATA            folder for the database, media and caches (default ./khabar-data/)
    KHABAR_DEBUG           1 to run with Django's debug pages (default 0)
    KHABAR_SECRET_KEY      secret key; a per-data-folder key is generated and kept if unset
    KHABAR_ALLOWED_HOSTS   comma-separated host names (default localhost,127.0.0.1,[::1])
    KHABAR_DATABASE_URL    postgresql://user:pass@host:port/name to use PostgreSQL instead of SQLite
    KHABAR_SITE_NAME       the site's name as readers see it (default خبر)
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
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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


def _database() -> dict[str, object]:
    url = os.environ.get("KHABAR_DATABASE_URL")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "khabar.sqlite3",
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve app static files straight from the package, so `khabar serve` needs no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

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
