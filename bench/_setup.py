"""Shared set-up for the benchmarks: Django on a throwaway SQLite database."""

import os
import secrets
import socket
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The annotated corpora: ../shared/data beside the checkout (or beside the folder holding a worktree).
SHARED_DATA = next(
    (path for path in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data") if path.exists()),
    ROOT.parent / "shared" / "data",
)


def django_on_temp_db() -> Path:
    """Configure and set up Django against a fresh, migrated SQLite file."""
    sys.path.insert(0, str(ROOT))
    folder = Path(tempfile.mkdtemp(prefix="newsreader-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    # Benchmarks run the work themselves: queue nothing.
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return folder


def served_environment(*, folder: Path, database_url: str, workers: int) -> dict[str, str]:
    """The environment of a benchmark's gunicorn: production settings (`bench.settings`, with the bare
    view), a file cache in `folder`, no task queue, no translation provider."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "CACHE_URL": f"file://{folder / 'cache'}",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "TRANSLATION_PROVIDER": "none",
        "GUNICORN_WORKERS": str(workers),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
