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
