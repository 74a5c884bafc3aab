"""Settings for the Arabic news reader.

Everything that differs between a laptop and a server comes from environment
variables (documented in `.env.example`). The defaults are safe for local
development only: with `DJANGO_DEBUG` off, the site refuses to start without a
real `DJANGO_SECRET_KEY` and `DJANGO_ALLOWED_HOSTS`.

Every command finds the local settings: `make run` writes a git-ignored `.env`
beside manage.py (secret key, debug, database), read here with python-dotenv.
Variables set in the environment win over the file.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Local settings file (.env) ------------------------------------------
# DJANGO_ENV_FILE names another file; set it empty to read none (the tests do).
ENV_FILE = os.environ.get("DJANGO_ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    load_dotenv(ENV_FILE, override=False)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_number(name: str, default: str, kind: type = int):
    """A number from the environment; a value that is not one stops the site with one clear line."""
    value = os.environ.get(name, "").strip() or default
    try:
        return kind(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number.") from None


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Put it in .env (`make run` writes one) or the environment; "
            "DJANGO_DEBUG=1 for local development."
        )
    # Local development only: a key per process, never written anywhere.
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. Give the site's host names, comma separated (in .env or the environment)."
        )
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
    # Before django_tasks_db: its `db_worker` command also recovers stale tasks.
    "articles",
    "django_tasks_db",
    "csp",
    "axes",
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
    # Last, as django-axes asks: it answers a locked-out login.
    "axes.middleware.AxesMiddleware",
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
        conn_max_age=env_number("DATABASE_CONN_MAX_AGE", "60"),
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

# --- Hardening (issue 9): logging, Content-Security-Policy, login lockout, import limits, stuck tasks ---

# Every unhandled error reaches the console with its traceback (django.request
# logs 500s at ERROR), and is mailed to ADMINS when DJANGO_ADMINS is set
# ("Name <mail@example.org>, other@example.org"). Users see a plain error page.
ADMINS = [
    (address.split("<", 1)[0].strip() or address, address.split("<", 1)[-1].rstrip(">").strip())
    for address in env_list("DJANGO_ADMINS")
]
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", "root@localhost")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "loggers": {
        "articles": {"handlers": ["console"], "level": LOG_LEVEL},
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Content-Security-Policy (django-csp): only the site's own scripts, styles,
# fonts and images. No nonces: whole pages may be cached, and a cached page
# would carry a stale nonce; templates hold no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "font-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}

# Django's CSRF failure page has an inline style the policy above blocks: ours
# is a page of the site, in the reader's language (JSON under /api/).
CSRF_FAILURE_VIEW = "articles.http_errors.csrf_failure"

# Login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# user name from one address, that pair is refused for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=float(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind one reverse proxy, the client's address is the last of X-Forwarded-For.
AXES_BEHIND_PROXY = env_bool("AXES_BEHIND_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "newsreader.client_address.client_address"

# Import limits: larger files and articles are refused with a reason.
IMPORT_MAX_BYTES = env_number("IMPORT_MAX_BYTES", str(5 * 1024 * 1024))
IMPORT_MAX_PARAGRAPHS = env_number("IMPORT_MAX_PARAGRAPHS", "2000")
IMPORT_MAX_CHARACTERS = env_number("IMPORT_MAX_CHARACTERS", "500000")

# Tasks a stopped worker left running (articles.tasks_recovery): a worker says
# it is alive every TASKS_HEARTBEAT_INTERVAL seconds; a running task whose
# worker is silent for TASKS_WORKER_LOST_AFTER seconds (or, for a worker that
# never beats, that has run for TASKS_STALE_AFTER seconds) is re-queued (at
# worker start, then every TASKS_RECOVERY_INTERVAL seconds, and by
# `manage.py recover_tasks`); after TASKS_MAX_ATTEMPTS starts it is failed instead.
TASKS_HEARTBEAT_INTERVAL = float(os.environ.get("TASKS_HEARTBEAT_INTERVAL", "30"))
TASKS_WORKER_LOST_AFTER = float(os.environ.get("TASKS_WORKER_LOST_AFTER", "150"))
TASKS_STALE_AFTER = float(os.environ.get("TASKS_STALE_AFTER", "1800"))
TASKS_RECOVERY_INTERVAL = float(os.environ.get("TASKS_RECOVERY_INTERVAL", "60"))
TASKS_MAX_ATTEMPTS = int(os.environ.get("TASKS_MAX_ATTEMPTS", "3"))

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_number("DJANGO_SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- The reader's own settings -------------------------------------------

ARTICLES_PER_PAGE = env_number("ARTICLES_PER_PAGE", "20")

# Machine translation (deep-translator). Provider: google, mymemory, libre,
# deepl, microsoft or none.
TRANSLATION_PROVIDER = os.environ.get("TRANSLATION_PROVIDER", "google").strip().lower()
TRANSLATION_SOURCE = os.environ.get("TRANSLATION_SOURCE", "ar")
TRANSLATION_TARGET = os.environ.get("TRANSLATION_TARGET", "en")
TRANSLATION_API_KEY = os.environ.get("TRANSLATION_API_KEY", "")
TRANSLATION_LIBRE_URL = os.environ.get("TRANSLATION_LIBRE_URL", "")
TRANSLATION_MICROSOFT_REGION = os.environ.get("TRANSLATION_MICROSOFT_REGION", "")
# No provider call, retries included, may block longer than this (seconds).
TRANSLATION_TIMEOUT = env_number("TRANSLATION_TIMEOUT", "20", float)
# Attempts per request after the first, and the first pause between them (doubling).
TRANSLATION_RETRIES = env_number("TRANSLATION_RETRIES", "3")
TRANSLATION_BACKOFF = env_number("TRANSLATION_BACKOFF", "1.0", float)
# A failure that may pass (the provider unreachable or overloaded) is sent again by the
# worker after this many seconds, doubling at each failure in a row, at most TRANSLATION_RETRY_MAX.
TRANSLATION_RETRY_AFTER = env_number("TRANSLATION_RETRY_AFTER", "60", float)
TRANSLATION_RETRY_MAX = env_number("TRANSLATION_RETRY_MAX", "3600", float)

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
NER_BATCH_SIZE = env_number("NER_BATCH_SIZE", "32")
# Installing the NER model (issue 14): the catalogue `install_ner_model` reads
# the package's address and checksums from; by default camel-tools 1.6's own.
CAMELTOOLS_CATALOGUE_URL = os.environ.get(
    "CAMELTOOLS_CATALOGUE_URL",
    "https://raw.githubusercontent.com/CAMeL-Lab/camel-tools-data/main/catalogue-1.6.json",
)

# The shipped NER model: a CRF trained on the shared corpora that runs offline (the
# committed one), the folder where `train_ner` puts the models it retrains with editors'
# decisions (the newest there is in use; `train_ner --undo` goes back), and the shared data
# folder holding the annotated corpora (newsfane/, anercorp/, aqmar/, wojood_sample/).
CRF_MODEL_ENABLED = env_bool("CRF_MODEL_ENABLED", True)
CRF_MODEL_PATH = BASE_DIR / os.environ.get("CRF_MODEL_PATH", "arabic/ner/data/ner-crf.model")
NER_TRAINED_DIR = BASE_DIR / os.environ.get("NER_TRAINED_DIR", "var/ner")
# ../shared/data beside the checkout (a worktree sits one level deeper).
NER_DATA_DIR = BASE_DIR / os.environ.get("NER_DATA_DIR", "../shared/data")
if "NER_DATA_DIR" not in os.environ and not NER_DATA_DIR.exists():
    NER_DATA_DIR = BASE_DIR.parent.parent / "shared" / "data"

# The site's public address, for links in exports made outside a request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# W3C Web Annotation Protocol (issue 8): annotations per AnnotationPage of a
# container (/api/articles/<slug>/annotations/?page=N).
ANNOTATIONS_PAGE_SIZE = max(1, int(os.environ.get("ANNOTATIONS_PAGE_SIZE", "100")))
# Longest text of one annotation (a note, a gloss, a correction's proposed text
# or reason), in characters, however it is written (admin, API, import). A
# note comments on words, and a correction may rewrite a whole paragraph: a
# news paragraph rarely passes 1,500 characters. The reader's page carries a
# note twice (in its mark's attribute and in the list under the paragraph):
# unbounded, one 2 MB note made a 4 MB page for every reader.
ANNOTATION_MAX_CHARACTERS = env_number("ANNOTATION_MAX_CHARACTERS", "5000")
# --- Importing from the web: URLs and feeds (issue 11) ---------------------------
# The whole fetch of one page or feed, redirects included, in seconds.
FETCH_TIMEOUT = float(os.environ.get("FETCH_TIMEOUT", "20"))
# Largest page or feed accepted, in bytes (read in chunks, never held whole beyond this).
FETCH_MAX_BYTES = int(os.environ.get("FETCH_MAX_BYTES", str(5 * 1024 * 1024)))
FETCH_MAX_REDIRECTS = int(os.environ.get("FETCH_MAX_REDIRECTS", "5"))
FETCH_USER_AGENT = (
    os.environ.get("FETCH_USER_AGENT") or f"ArabicNewsReader/1.0 (+{SITE_URL}; article import for curators)"
)
# Loopback, private, link-local and reserved addresses are refused (SSRF guard)
# unless this is 1 (local setups, tests) or the address is in FETCH_ALLOWED_NETWORKS
# (comma-separated CIDR blocks, e.g. an intranet feed server: 10.1.2.0/24).
FETCH_ALLOW_PRIVATE_NETWORKS = env_bool("FETCH_ALLOW_PRIVATE_NETWORKS", False)
FETCH_ALLOWED_NETWORKS = [
    value.strip() for value in os.environ.get("FETCH_ALLOWED_NETWORKS", "").split(",") if value.strip()
]
# At most this many URLs in one "Add from URL" submission in the admin (each is fetched in the request).
FETCH_ADMIN_MAX_URLS = int(os.environ.get("FETCH_ADMIN_MAX_URLS", "10"))
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
# Highlighted segments kept by content (articles.segment_store): many more
# entries than pages (one per paragraph and language) and never stale, so
# they get their own room (a sub-folder of a file cache, a key prefix in
# Redis/Memcached), where pruning pages does not evict them.
CACHES["segments"] = {
    **CACHES["default"],
    "LOCATION": (
        str(Path(CACHES["default"]["LOCATION"]) / "segments")
        if CACHES["default"]["BACKEND"].endswith("FileCache")
        else CACHES["default"].get("LOCATION", "segments")
    ),
    "KEY_PREFIX": "segments",
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("SEGMENT_CACHE_MAX_ENTRIES", "100000"))},
}
if CACHES["default"]["BACKEND"].endswith(("RedisCache", "PyMemcacheCache")):
    CACHES["default"].pop("OPTIONS")
    CACHES["segments"].pop("OPTIONS")
PAGE_CACHE_ALIAS = "default"
SEGMENT_CACHE_ALIAS = "segments"
# How long a cached page may be kept (seconds); 0 turns the page cache off.
# Pages are never stale whatever this says: their keys carry the page version.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
# Only for bench/pages.py: serve a bare view at /bench/bare/ to compare with.
BENCH_BARE_VIEW = env_bool("BENCH_BARE_VIEW", False)
