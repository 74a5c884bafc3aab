"""Migrations mean forever what they meant when written.

Each migration carries the code it runs (modules named `_*.py` beside it, which
Django's loader skips), so changing the app's search, slugs, caching or entity
counts never changes what an old migration does to a fresh database. Checked
here by reading every migration's imports, and by walking a fresh SQLite
database and a fresh PostgreSQL database from nothing to the latest migration
with an article in it before the data migrations run (tests/migration_walk.py,
in its own process), and SQLite back to zero.
"""

import ast
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "articles" / "migrations"
SLUG = "rais-al-astakhbarat-al-tarkaya-yaltaqi-wafd-hamas"
# 0011 names a field validator, as Django writes it: serialised, not code the migration runs.
VALIDATOR_IMPORT = ("0011_ner.py", "articles.models.entities")


def _imports(path: Path) -> list[tuple[str, int]]:
    """(module, level) of every import in the file, wherever it is (functions included)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def test_no_migration_imports_the_apps_live_code():
    offending = []
    for path in sorted(MIGRATIONS.glob("*.py")):
        for module, level in _imports(path):
            if level == 0 and module.split(".")[0] in ("articles", "arabic", "newsreader"):
                if (path.name, module) != VALIDATOR_IMPORT:
                    offending.append(f"{path.name}: import {module}")
            elif level == 1 and not module.startswith("_"):
                offending.append(f"{path.name}: from .{module} import (only the frozen _*.py modules)")
            elif level > 1:
                offending.append(f"{path.name}: from {'.' * level}{module} import")
    assert offending == []


def test_the_frozen_code_stays_out_of_the_migration_graph():
    from django.db.migrations.loader import MigrationLoader

    names = {name for app, name in MigrationLoader(None).disk_migrations if app == "articles"}
    frozen = sorted(path.stem for path in MIGRATIONS.glob("_0*.py"))
    assert frozen and not names & set(frozen)


def _walk(database_url: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DJANGO_ENV_FILE": "",
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.migration_walk"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def postgres_database(postgres_url):
    """A new, empty database on the session's PostgreSQL server."""
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    server = postgres_url.replace("postgres://", "postgresql://")
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _assert_the_article_came_through(walked: dict) -> None:
    # 0010: the file-named article got a readable slug; its old one redirects.
    for step in ("at_0013", "at_end"):
        assert walked[step]["slug"] == SLUG
        assert walked[step]["old_slugs"] == ["000_f43ac9fcd8114102"]
    assert walked["at_end"]["old_address"] == [301, f"/articles/{SLUG}/"]
    assert walked["at_end"]["page"] == 200

    # 0012: the search document, as that migration's folding and proclitics made it.
    text = walked["at_0013"]["search_text"]
    assert text == (
        "رئيس الاستخبارات استخبارات التركيه تركيه يلتقي وفد حماس في اسطنبول "
        "التقي تقي رئيس الاستخبارات استخبارات التركيه تركيه ابراهيم قالن وفد حركه حماس في مدينه اسطنبول "
        "وناقش ناقش الوفدان وفدان الخطوات خطوات "
        "turkish intelligence chief meets hamas delegation in istanbul"
    )
    assert walked["at_end"]["search_text"] == text
    assert walked["at_end"]["found_by"] == {"الاستخبارات": True, "باسطنبول": True, "حماس": True, "intelligence": True}

    # 0012/0013: the page version was a counter, bumped by one per change...
    at_0013 = walked["at_0013"]
    assert "value + 1" in at_0013["page_version_sql"] and "random" not in at_0013["page_version_sql"]
    assert 1 <= at_0013["page_version"] < 100
    before, after = at_0013["version_after_an_edit"]
    assert after == before + 1
    # ... which 0015 made random.
    at_end = walked["at_end"]
    assert "random" in at_end["page_version_sql"] and "value + 1" not in at_end["page_version_sql"]
    before, after = at_end["version_after_an_edit"]
    assert after != before and abs(after - before) != 1

    # 0013: the entity's first count (one published article, a confirmed mention).
    assert at_0013["article_count"] == at_end["article_count"] == 1


def test_a_fresh_sqlite_database_migrates_to_the_end_and_back_to_zero(tmp_path):
    walked = _walk(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    _assert_the_article_came_through(walked)
    assert walked["left_at_zero"] == []
    assert walked["forward_again"]


def test_a_fresh_postgresql_database_migrates_to_the_end(postgres_database):
    walked = _walk(postgres_database)
    _assert_the_article_came_through(walked)
    assert walked["left_at_zero"] == []
    assert walked["forward_again"]
