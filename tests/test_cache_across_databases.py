"""A cache that outlives its database never answers with a page of another database state.

The page cache and the segment store live in a folder (or Redis) that survives
a recreated database, a restored backup, and a second database pointed at the
same cache. Each scenario here runs the real commands in their own processes,
as an operator would, against SQLite files and databases on a real PostgreSQL
server, with one file cache kept across all the steps.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from articles.importing.page import parse_page

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_f43ac9fcd8114102.txt"
SLUG = "rais-al-astakhbarat-al-tarkaya-yaltaqi-wafd-hamas"
FIRST = "نسخة ألف من الفقرة."
SECOND = "نسخة باء من الفقرة."


class SQLiteDatabases:
    """Database files in a folder: created by migrate, dropped by deleting the file, copied as files."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _files(self, name):
        base = self.folder / f"{name}.sqlite3"
        return [base, Path(f"{base}-wal"), Path(f"{base}-shm")]

    def url(self, name):
        return f"sqlite:///{self.folder / name}.sqlite3"

    def create(self, name):
        pass

    def drop(self, name):
        for path in self._files(name):
            path.unlink(missing_ok=True)

    def copy(self, source, target):
        """A backup taken while no process has the database open (the -wal file with it)."""
        self.drop(target)
        for origin, copy in zip(self._files(source), self._files(target), strict=True):
            if origin.exists():
                shutil.copy(origin, copy)


class PostgresDatabases:
    """Databases on one server: CREATE, DROP, and a copy made with CREATE DATABASE … TEMPLATE."""

    def __init__(self, server_url: str):
        self.server_url = server_url
        self.base = server_url.rsplit("/", 1)[0]

    def _run(self, sql):
        with psycopg.connect(self.server_url.replace("postgres://", "postgresql://"), autocommit=True) as connection:
            connection.execute(sql)

    def url(self, name):
        return f"{self.base}/{name}"

    def create(self, name):
        self._run(f"CREATE DATABASE {name}")

    def drop(self, name):
        self._run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def copy(self, source, target):
        self.drop(target)
        self._run(f"CREATE DATABASE {target} TEMPLATE {source}")


class Site:
    """The reader on one database and one cache folder, each step in a process of its own."""

    def __init__(self, databases, cache: Path, tmp_path: Path):
        self.databases = databases
        self.cache = cache
        self.tmp_path = tmp_path

    def manage(self, name, *args, script=None):
        env = {
            **os.environ,
            "DATABASE_URL": self.databases.url(name),
            "CACHE_URL": f"file://{self.cache}",
            "DJANGO_DEBUG": "1",
            "DJANGO_ENV_FILE": "",
            "DJANGO_SETTINGS_MODULE": "newsreader.settings",
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "TRANSLATION_PROVIDER": "none",
            "NER_MODEL_ENABLED": "0",
        }
        command = [sys.executable, "manage.py", *args] + (["--no-imports", "-c", script] if script else [])
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr + result.stdout
        return result.stdout

    def set_up(self, name):
        """A database as `migrate` leaves it (a copy of one migrated once for the module)."""
        self.databases.copy(TEMPLATE, name)

    def step(self, name, sentence: str | None = None, *, reads=2, before="", path=f"/articles/{SLUG}/"):
        """Import the seed, its first paragraph ending with `sentence` (None: as it is; False: no
        import), after running `before`; then read the page `reads` times as an anonymous reader.
        Returns [(X-Page-Cache, page), …]."""
        script = before + "\n"
        if sentence is not False:
            text = SEED.read_text(encoding="utf-8")
            if sentence:
                paragraph = parse_page(text).paragraphs[0]
                text = text.replace(paragraph, f"{paragraph} {sentence}", 1)
            seed = self.tmp_path / "import" / SEED.name
            seed.parent.mkdir(exist_ok=True)
            seed.write_text(text, encoding="utf-8")
            script += "from django.core.management import call_command\n"
            script += f"call_command('import_articles', {str(seed)!r}, '--publish', verbosity=0)\n"
        script += (
            "from django.test import Client\n"
            f"for _ in range({reads}):\n"
            f"    page = Client().get({path!r})\n"
            "    assert page.status_code == 200, page.status_code\n"
            "    print('\\x1e' + page.get('X-Page-Cache', '-') + '\\x1f' + page.content.decode())\n"
        )
        output = self.manage(name, "shell", script=script)
        return [tuple(read.split("\x1f", 1)) for read in output.split("\x1e")[1:]]


TEMPLATE = "migrated"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def migrated(request, tmp_path_factory):
    """A database migrated once per module and kind; each test starts from copies of it."""
    folder = tmp_path_factory.mktemp("databases")
    if request.param == "sqlite":
        databases = SQLiteDatabases(folder)
    else:
        databases = PostgresDatabases(request.getfixturevalue("postgres_url"))
    databases.drop(TEMPLATE)
    databases.create(TEMPLATE)
    Site(databases, folder / "cache", folder).manage(TEMPLATE, "migrate", "--noinput", "--verbosity", "0")
    yield databases
    databases.drop(TEMPLATE)


@pytest.fixture
def site(migrated, tmp_path):
    yield Site(migrated, tmp_path / "cache", tmp_path)
    for name in ("news", "backup", "staging"):
        migrated.drop(name)


def test_a_recreated_database_never_shows_the_old_databases_page(site):
    site.set_up("news")
    (_, page), (state, _) = site.step("news", FIRST)
    assert FIRST in page
    assert state == "hit"  # the cache holds the page

    site.databases.drop("news")  # rm db.sqlite3 / DROP DATABASE; the cache folder stays
    site.set_up("news")
    (state, page), _ = site.step("news", SECOND)
    assert SECOND in page and FIRST not in page
    assert state == "miss"


def test_a_restored_backup_shows_the_change_made_after_the_restore(site):
    site.set_up("news")
    site.step("news", None, reads=0)
    site.databases.copy("news", "backup")  # the backup

    (_, page), (state, _) = site.step("news", FIRST)
    assert FIRST in page and state == "hit"

    site.databases.copy("backup", "news")  # restored
    (_, page), (_, again) = site.step("news", SECOND)
    assert SECOND in page and FIRST not in page
    assert SECOND in again and FIRST not in again


def test_two_databases_on_one_cache_each_see_their_own_pages_and_entity_names(site):
    """A staging copy pointed at production's cache. The segment store keeps highlighted
    paragraphs by content: an entity renamed in one database shows under its new name
    there, and the other keeps its own."""
    site.set_up("news")
    prepare = (
        "from django.core.management import call_command\n"
        "call_command('load_gazetteer', verbosity=0)\n"
        "call_command('import_articles', 'seeds/', '--publish', verbosity=0)\n"
        "call_command('recognize_entities', '--all', verbosity=0)\n"
    )
    site.step("news", False, reads=0, before=prepare)
    site.databases.copy("news", "staging")

    def rename(name_en):
        return (
            "from articles.models import Entity\n"
            f"Entity.objects.filter(key='city:Europe/Istanbul').update(name_en={name_en!r})\n"
        )

    # The same number of writes on each side: a counter would reach the same value in both.
    (_, news), (_, news_again) = site.step("news", FIRST, before=rename("Istanbul"))
    (_, staging), (_, staging_again) = site.step("staging", SECOND, before=rename("Constantinople"))
    for page in (news, news_again):
        assert FIRST in page and SECOND not in page
        assert "Istanbul" in page and "Constantinople" not in page
    for page in (staging, staging_again):
        assert SECOND in page and FIRST not in page
        assert "Constantinople" in page
    ((_, news_last),) = site.step("news", False, reads=1)
    assert FIRST in news_last and "Constantinople" not in news_last
