"""A worker killed in the middle of a task (kill -9): the next worker finishes it.

    .venv/bin/python bench/worker_kill.py

A throwaway SQLite file and a LibreTranslate-compatible server on 127.0.0.1
that hangs, so the first worker is stuck inside the translation task when it
is killed; the task stays RUNNING (django-tasks-db never looks at it again).
The server then answers, a second worker starts (the first one's heartbeat is
silent for over TASKS_WORKER_LOST_AFTER=3 seconds), and
re-queues and finishes the task. Prints the task states at each step; exit 1
if anything is left unfinished.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from standins.libre_server import LibreStandIn  # noqa: E402


def main():
    folder = Path(tempfile.mkdtemp(prefix="newsreader-kill-"))
    database = folder / "kill.sqlite3"

    def states() -> dict:
        with sqlite3.connect(database) as connection:
            rows = connection.execute(
                "SELECT task_path, status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY 1, 2"
            )
            return {f"{path.rsplit('.', 1)[-1]} {status}": count for path, status, count in rows}

    def wait_until(condition, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.3)

    with LibreStandIn("hang") as server:
        env = dict(
            os.environ,
            DJANGO_DEBUG="1",
            DJANGO_SECRET_KEY="worker-kill-only-" + "k" * 40,
            DATABASE_URL=f"sqlite:///{database}",
            TASKS_BACKEND="django_tasks_db.DatabaseBackend",
            TRANSLATION_PROVIDER="libre",
            TRANSLATION_LIBRE_URL=server.url,
            TRANSLATION_API_KEY="bench",
            TRANSLATION_TIMEOUT="120",
            TASKS_STALE_AFTER="3",
            TASKS_HEARTBEAT_INTERVAL="1",
            TASKS_WORKER_LOST_AFTER="3",
            TASKS_RECOVERY_INTERVAL="1",
            NER_MODEL_ENABLED="0",
        )
        manage = [sys.executable, "manage.py"]
        for step in (["migrate", "-v0"], ["import_articles", "-v0", "--publish", str(ROOT / "seeds")]):
            subprocess.run([*manage, *step], cwd=ROOT, env=env, check=True)
        worker_command = [*manage, "db_worker", "--no-reload", "--no-startup-delay", "-v0"]

        first = subprocess.Popen(worker_command, cwd=ROOT, env=env)
        wait_until(lambda: states().get("translate_article RUNNING"), 60)
        print("first worker, inside the translation:", states())
        first.send_signal(signal.SIGKILL)
        first.wait()
        time.sleep(4)
        print("4 s after kill -9:                    ", states())

        server.mode = "ok"
        second = subprocess.Popen(worker_command, cwd=ROOT, env=env)
        wait_until(lambda: not any(key.endswith(("RUNNING", "READY")) for key in states()), 60)
        print("second worker:                        ", states())
        second.terminate()
        second.wait(timeout=30)
    with sqlite3.connect(database) as connection:
        translated = connection.execute("SELECT COUNT(*) FROM articles_translation WHERE status = 'done'").fetchone()
    print(f"segments translated: {translated[0]}")
    sys.exit(0 if set(states()) == {"translate_article SUCCESSFUL", "recognize_article SUCCESSFUL"} else 1)


if __name__ == "__main__":
    main()
