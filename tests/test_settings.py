"""The deployment contract: production settings refuse to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    # Neither the developer's settings nor the test suite's database (`make test-postgres`) leak in.
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    environment["DJANGO_ENV_FILE"] = ""  # no developer's .env: each test says what it reads
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_real_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-real-secret-" + "k3y" * 20,
        DJANGO_ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="news.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="a-real-secret-" + "k3y" * 20)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_commands_read_local_settings_from_env_file_alone(tmp_path):
    """`manage.py create_editor` as the README shows it, with nothing exported: `.env` is enough."""
    env_file = tmp_path / ".env"
    env_file.write_text(
        "DJANGO_SECRET_KEY=only-in-the-env-file-" + "k" * 40 + "\n"
        "DJANGO_DEBUG=1\n"
        f"DATABASE_URL=sqlite:///{tmp_path / 'local.sqlite3'}\n",
        encoding="utf-8",
    )
    migrated = manage("migrate", "--noinput", DJANGO_ENV_FILE=str(env_file))
    assert migrated.returncode == 0, migrated.stderr
    created = manage("create_editor", "ed2", DJANGO_ENV_FILE=str(env_file))
    assert created.returncode == 0, created.stderr
    assert "ed2" in created.stdout
    assert (tmp_path / "local.sqlite3").stat().st_size > 0


def test_a_missing_setting_is_one_clear_line_not_a_traceback(tmp_path):
    result = manage("create_editor", "ed2", DJANGO_ENV_FILE=str(tmp_path / "absent.env"))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Configuration error: DJANGO_SECRET_KEY is not set. Put it in .env (`make run` writes one) "
        "or the environment; DJANGO_DEBUG=1 for local development."
    ]


def test_a_setting_that_is_not_a_number_names_itself():
    result = manage("check", DJANGO_DEBUG="1", ARTICLES_PER_PAGE="twenty", DJANGO_ENV_FILE="")
    assert result.returncode != 0
    assert result.stderr.strip() == "Configuration error: ARTICLES_PER_PAGE='twenty' is not a number."


def test_every_number_setting_that_is_not_a_number_is_one_line():
    """Not only the first: each variable read as a number names itself, no traceback."""
    for name in ("FETCH_TIMEOUT", "TRANSLATION_TIMEOUT", "TASKS_MAX_ATTEMPTS", "PAGE_CACHE_SECONDS"):
        result = manage("check", DJANGO_DEBUG="1", **{name: "abc"})
        assert result.returncode != 0, name
        assert result.stderr.strip() == f"Configuration error: {name}='abc' is not a number.", result.stderr


def test_a_flag_that_is_neither_yes_nor_no_and_a_number_below_its_least_are_refused():
    result = manage("check", DJANGO_DEBUG="1", CRF_MODEL_ENABLED="maybe")
    assert result.stderr.strip() == (
        "Configuration error: CRF_MODEL_ENABLED='maybe' is not a yes or no (1/0, true/false, yes/no, on/off)."
    )
    result = manage("check", DJANGO_DEBUG="1", ARTICLES_PER_PAGE="0")
    assert result.stderr.strip() == "Configuration error: ARTICLES_PER_PAGE='0' is below its least value, 1."


def _variables_read(path: Path) -> set[str]:
    """The environment variables a settings file reads: the first argument of each env_* helper call."""
    import ast

    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        is_helper = isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("env_")
        if is_helper and node.args and isinstance(node.args[0], ast.Constant):
            names.add(node.args[0].value)
    return names


def test_every_setting_read_is_documented_and_every_documented_one_is_read():
    import re

    read = _variables_read(ROOT / "newsreader" / "settings.py") | _variables_read(
        ROOT / "newsreader" / "gunicorn.conf.py"
    )
    # DJANGO_ENV_FILE is read before the helpers (it names the file they read); DATABASE_URL by dj-database-url.
    read |= {"DJANGO_ENV_FILE", "DATABASE_URL"}
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"(?m)^#? ?([A-Z][A-Z0-9_]+)=", example))
    assert read - documented == set(), "read but not in .env.example"
    assert documented - read == set(), "in .env.example but never read"


def test_settings_read_the_environment_only_through_the_helpers():
    source = (ROOT / "newsreader" / "settings.py").read_text(encoding="utf-8")
    assert "int(os.environ" not in source and "float(os.environ" not in source
    assert source.count("os.environ.get(") == 1  # DJANGO_ENV_FILE, where the helpers read from
    assert "issue" not in source.lower()
    assert "BENCH" not in source
