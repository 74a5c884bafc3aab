"""Settings for the test suite: the project's settings with a throwaway key
and the tasks run in-process, so that a test sees a task's effect at once."""

import os

os.environ.setdefault("DJANGO_ENV_FILE", "")  # a developer's .env never leaks into the tests
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-" + "x" * 50)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from newsreader.settings import *  # noqa: E402,F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The live server of the browser tests speaks plain http.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# No test reaches the internet: translation tests point at a local
# LibreTranslate-compatible server of their own.
TRANSLATION_PROVIDER = "none"
TRANSLATION_BACKOFF = 0.05
# The login lockout (django-axes) needs the request at authentication, which
# the test client's login() does not pass; the lockout's own tests turn it on.
AXES_ENABLED = False

# One process: an in-memory cache, emptied before each test (tests/conftest.py).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "segments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "segments"},
}

# Models `train_ner` retrains go to a folder of this test run, never a developer's var/ner.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

NER_TRAINED_DIR = Path(tempfile.mkdtemp(prefix="ner-trained-"))
