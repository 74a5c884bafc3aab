"""Settings for the Arabic news reader.

Everything that differs between a laptop and a server comes from environment
variables (documented in `.env.example`). The defaults are safe for local
development only: with `DJANGO_DEBUG` off, the site refuses to start without a
real `DJANGO_SECRET_KEY` and `DJANGO_ALLOWED_HOSTS`.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value (or set DJANGO_DEBUG=1 for local development)."
        )
    # Local development only: a key per process, never written anywhere.
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is not set. Give the site's host names, comma separated.")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "articles",
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

ROOT_URLCONF = "newsreader.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "newsreader.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker write to the same file: wait for
    # locks instead of failing, and let readers run beside a writer.
    # Connections are kept (DATABASE_CONN_MAX_AGE, like PostgreSQL's): opening
    # a WAL database and closing its last connection (a checkpoint) cost 4 to
    # 7 ms here, several times a cached page.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface speaks English or Arabic (from the browser's preference);
# the articles are Arabic whatever the interface language.
LANGUAGE_CODE = os.environ.get("DJANGO_LANGUAGE_CODE", "en")
LANGUAGES = [("en", "English"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "articles" / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    # No collectstatic needed while developing.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

LOGIN_URL = "admin:login"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "articles": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    },
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- The reader's own settings -------------------------------------------

# Largest file the importer accepts, in bytes.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
ARTICLES_PER_PAGE = int(os.environ.get("ARTICLES_PER_PAGE", "20"))

# Machine translation (deep-translator). Provider: google, mymemory, libre,
# deepl, microsoft or none.
TRANSLATION_PROVIDER = os.environ.get("TRANSLATION_PROVIDER", "google").strip().lower()
TRANSLATION_SOURCE = os.environ.get("TRANSLATION_SOURCE", "ar")
TRANSLATION_TARGET = os.environ.get("TRANSLATION_TARGET", "en")
TRANSLATION_API_KEY = os.environ.get("TRANSLATION_API_KEY", "")
TRANSLATION_LIBRE_URL = os.environ.get("TRANSLATION_LIBRE_URL", "")
TRANSLATION_MICROSOFT_REGION = os.environ.get("TRANSLATION_MICROSOFT_REGION", "")
# No provider call, retries included, may block longer than this (seconds).
TRANSLATION_TIMEOUT = float(os.environ.get("TRANSLATION_TIMEOUT", "20"))
# Attempts per request after the first, and the first pause between them (doubling).
TRANSLATION_RETRIES = int(os.environ.get("TRANSLATION_RETRIES", "3"))
TRANSLATION_BACKOFF = float(os.environ.get("TRANSLATION_BACKOFF", "1.0"))

# camel-tools data (the NER model). camel-tools reads CAMELTOOLS_DATA when it
# is first imported and downloads a catalogue there if none exists; the
# project keeps its own folder, with a catalogue written offline.
CAMELTOOLS_DATA = Path(os.environ.get("CAMELTOOLS_DATA", BASE_DIR / "var" / "camel_tools")).expanduser().resolve()
os.environ["CAMELTOOLS_DATA"] = str(CAMELTOOLS_DATA)
# The model is loaded from disk only: never from a hub, and without progress bars.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
# Recognise entities with the camel-tools model when its data is installed.
NER_MODEL_ENABLED = env_bool("NER_MODEL_ENABLED", True)
NER_BATCH_SIZE = int(os.environ.get("NER_BATCH_SIZE", "32"))

# The site's public address, for links in exports made outside a request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# --- Scale: page cache, search bounds, production server ------------------
# (articles/caching.py, articles/search.py, newsreader/gunicorn.conf.py)


def cache_from_url(url: str, *, default_dir: Path) -> dict:
    """A CACHES entry from CACHE_URL: redis://…, rediss://…, memcached://host:port[,host:port],
    file:///absolute/path, locmem:// (one process only: tests) or empty for a file cache in `default_dir`."""
    from urllib.parse import urlsplit

    if not url:
        return {"BACKEND": "articles.caching.FileCache", "LOCATION": str(default_dir)}
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme in {"memcached", "pymemcache"}:
        return {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache", "LOCATION": url.split("://", 1)[1]}
    if scheme == "file":
        return {"BACKEND": "articles.caching.FileCache", "LOCATION": urlsplit(url).path}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(f"CACHE_URL: unknown scheme {scheme!r} (redis, rediss, memcached, file, locmem)")


# The default cache is a folder every process of this machine shares (the
# gunicorn workers, the task worker, commands): Django's file cache, pruned
# less often (articles.caching.FileCache). Redis needs `pip install
# redis`, Memcached `pip install pymemcache`.
CACHES = {
    "default": {
        **cache_from_url(os.environ.get("CACHE_URL", ""), default_dir=BASE_DIR / "var" / "cache"),
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "5000"))},
    }
}
if CACHES["default"]["BACKEND"].endswith(("RedisCache", "PyMemcacheCache")):
    CACHES["default"].pop("OPTIONS")
PAGE_CACHE_ALIAS = "default"
# How long a cached page may be kept (seconds); 0 turns the page cache off.
# Pages are never stale whatever this says: their keys carry the page version.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
# Only for bench/pages.py: serve a bare view at /bench/bare/ to compare with.
BENCH_BARE_VIEW = env_bool("BENCH_BARE_VIEW", False)
