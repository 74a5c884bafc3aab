"""Load test: the site under gunicorn with a task worker, while articles are
imported and re-imported, for a bounded time and number of requests, on
127.0.0.1 only.

    .venv/bin/python bench/load.py [--seconds 30] [--clients 4] [--max-requests 20000]

Readers fetch the list, searches, article pages, their JSON and annotations,
an entity page, and pages that must answer 404, while an importer creates new
articles and changes existing ones in batches and the worker translates and
recognises what was imported. At the end, the worker is given time to drain
its queue and the database is checked against what the importer wrote.

Prints requests per second and latencies by kind (the list page is the
baseline measured in the same run), and two counts that must be zero: 5xx
answers and lost writes (an import reported done whose article is missing or
not as written, a failed import, a task not finished). Exit 1 if either is not.
"""

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import ROOT, free_port  # noqa: E402

PYTHON = sys.executable
SEED = ROOT / "seeds" / "000_f43ac9fcd8114102.txt"
WORDS = ("قال المتحدث إن الوفد وصل إلى إسطنبول صباح اليوم لبحث وقف إطلاق النار في غزة مع المسؤولين الأتراك").split()  # noqa: SIM905


def environment(folder: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.load_settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="load-test-only-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{folder / 'load.sqlite3'}",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        TRANSLATION_PROVIDER="none",
        NER_MODEL_ENABLED="0",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def article_text(title: str, paragraphs: list[str]) -> str:
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def paragraphs_for(rng: random.Random, count: int) -> list[str]:
    return [" ".join(rng.choices(WORDS, k=rng.randint(8, 30))) + "." for _ in range(count)]


def import_loop(folder: Path, seed: int) -> None:
    """Run in its own process (Django set up once): import batches of new
    articles and changed files of earlier ones, one file per transaction as
    `import_articles` does, until `folder/stop` exists; then write what each
    import reported done to `folder/expected.json`, failures beside it."""
    import django

    django.setup()
    from articles.importing import paths_import

    rng = random.Random(seed)
    expected, failures, batch = {}, [], 0
    (folder / "ready").touch()
    while batch == 0 or not (folder / "stop").exists():
        batch += 1
        target = folder / f"batch-{batch:04d}"
        target.mkdir()
        written = {}
        for n in range(3):
            written[f"load-{batch:04d}-{n}"] = (f"خبر رقم {batch}-{n}", paragraphs_for(rng, rng.randint(3, 12)))
        for source_id in rng.sample(sorted(expected), min(2, len(expected))):
            title, paragraphs = expected[source_id]  # a changed file: an update
            written[source_id] = (title, [*paragraphs[:-1], " ".join(rng.choices(WORDS, k=12)) + "."])
        for source_id, (title, paragraphs) in written.items():
            (target / f"{source_id}.txt").write_text(article_text(title, paragraphs), encoding="utf-8")
        for result in paths_import(paths=[target], fmt="plain", status="published"):
            if result.failed:
                failures.append(f"{result.path.name}: {result.error}")
            else:
                expected[result.article.source_id] = written[result.article.source_id]
    (folder / "expected.json").write_text(
        json.dumps({"batches": batch, "articles": expected, "failures": failures}, ensure_ascii=False),
        encoding="utf-8",
    )


@dataclass
class Traffic:
    statuses: Counter = field(default_factory=Counter)
    latencies: dict = field(default_factory=lambda: defaultdict(list))
    errors: list = field(default_factory=list)
    sent: int = 0


def reader(base: str, stop: threading.Event, traffic: Traffic, lock: threading.Lock, budget: int, seed: int) -> None:
    rng = random.Random(seed)
    session = requests.Session()
    slugs = ["000_f43ac9fcd8114102"]
    while not stop.is_set():
        with lock:
            if traffic.sent >= budget:
                return
            traffic.sent += 1
        kind = rng.choice(["list", "search", "article", "api-article", "annotations", "api-list", "missing"])
        slug = rng.choice(slugs)
        path = {
            "list": "/",
            "search": "/?q=" + rng.choice(WORDS),
            "article": f"/articles/{slug}/",
            "api-article": f"/api/articles/{slug}/",
            "annotations": f"/api/articles/{slug}/annotations/",
            "api-list": "/api/articles/",
            "missing": "/articles/no-such-article/",
        }[kind]
        started = time.perf_counter()
        try:
            response = session.get(base + path, timeout=30)
        except requests.RequestException as error:
            with lock:
                traffic.errors.append(f"{kind}: {error}")
            continue
        seconds = time.perf_counter() - started
        with lock:
            traffic.statuses[response.status_code] += 1
            traffic.latencies[kind].append(seconds)
            if response.status_code >= 500:
                traffic.errors.append(f"{kind} {path}: {response.status_code}")
        if kind == "api-list" and response.status_code == 200:
            slugs = [item["slug"] for item in response.json()["results"]] or slugs


def wait_for_file(path: Path, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{path.name} did not appear within {seconds} s")
        time.sleep(0.1)


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"the server at {url} did not answer within {seconds} s")


def database_state(database: Path, expected: dict) -> dict:
    """Read the database file directly (no Django start-up): which written
    articles are missing or differ, and the tasks by status."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as connection:
        stored = defaultdict(lambda: ["", []])
        rows = connection.execute(
            "SELECT a.source_id, a.title, p.text FROM articles_article a "
            "JOIN articles_paragraph p ON p.article_id = a.id ORDER BY a.id, p.position"
        )
        for source_id, title, text in rows:
            stored[source_id][0] = title
            stored[source_id][1].append(text)
        tasks = dict(
            connection.execute("SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY status")
        )
    lost = [source_id for source_id, written in expected.items() if stored.get(source_id) != list(written)]
    return {"lost": lost, "tasks": tasks, "articles": len(stored)}


SETUP = (
    "from django.core.management import call_command as run; "
    "run('migrate', verbosity=0); run('import_articles', {seed!r}, '--publish', verbosity=0)"
)


def run(*, seconds: float, clients: int, max_requests: int, drain_seconds: float = 120, quiet: bool = False) -> dict:
    """Run the load test; returns its figures (see the module's docstring)."""
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr))
    folder = Path(tempfile.mkdtemp(prefix="newsreader-load-"))
    env = environment(folder)
    result = manage(env, "shell", "-c", SETUP.format(seed=str(SEED)))
    if result.returncode != 0:
        raise RuntimeError(f"set-up failed: {result.stderr}")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    logs = [open(folder / name, "w") for name in ("gunicorn.log", "worker.log", "importer.log")]  # noqa: SIM115
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "newsreader.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=logs[0],
    )  # fmt: skip
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=logs[1],
    )  # fmt: skip
    importer = None
    try:
        wait_for(base + "/", 30)
        say(f"gunicorn (2 workers) on {base}, a db_worker, {clients} readers, an importer; {seconds:g} s")
        stop, lock = threading.Event(), threading.Lock()
        traffic = Traffic()
        importer = subprocess.Popen([PYTHON, __file__, "--import-loop", str(folder)], cwd=ROOT, env=env, stderr=logs[2])
        wait_for_file(folder / "ready", importer, 120)
        threads = [
            threading.Thread(target=reader, args=(base, stop, traffic, lock, max_requests, 100 + n))
            for n in range(clients)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        stop.wait(seconds)
        stop.set()
        (folder / "stop").touch()
        for thread in threads:
            thread.join(timeout=180)
        importer.wait(timeout=180)
        elapsed = time.perf_counter() - started
        if importer.returncode != 0:
            raise RuntimeError(f"the importer failed: {(folder / 'importer.log').read_text()[-2000:]}")
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))

        # Give the worker time to finish what the imports queued.
        deadline = time.monotonic() + drain_seconds
        while True:
            state = database_state(folder / "load.sqlite3", expected["articles"])
            pending = state["tasks"].get("READY", 0) + state["tasks"].get("RUNNING", 0)
            if not pending or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    finally:
        processes = [p for p in (importer, worker, server) if p is not None]
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()

    all_latencies = [value for values in traffic.latencies.values() for value in values]
    server_errors = sum(count for status, count in traffic.statuses.items() if status >= 500)
    unfinished = sum(count for status, count in state["tasks"].items() if status != "SUCCESSFUL")
    return {
        "seconds": elapsed,
        "requests": sum(traffic.statuses.values()),
        "requests_per_second": sum(traffic.statuses.values()) / elapsed,
        "statuses": dict(traffic.statuses),
        "server_errors": server_errors,
        "connection_errors": [e for e in traffic.errors if ": 5" not in e],
        "errors": traffic.errors[:10],
        "latency_ms": {
            kind: (1000 * statistics.median(values), 1000 * sorted(values)[int(0.95 * (len(values) - 1))])
            for kind, values in sorted(traffic.latencies.items())
        },
        "p95_ms": 1000 * sorted(all_latencies)[int(0.95 * (len(all_latencies) - 1))] if all_latencies else None,
        "import_batches": expected["batches"],
        "import_failures": expected["failures"],
        "articles_written": len(expected["articles"]),
        "lost_writes": state["lost"],
        "tasks": state["tasks"],
        "unfinished_tasks": unfinished,
        "folder": str(folder),
    }


def main():
    if sys.argv[1:2] == ["--import-loop"]:
        return import_loop(Path(sys.argv[2]), seed=1)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=20000)
    args = parser.parse_args()
    figures = run(seconds=args.seconds, clients=args.clients, max_requests=args.max_requests)
    print(f"{figures['requests']} requests in {figures['seconds']:.1f} s: {figures['requests_per_second']:.1f} req/s")
    print(f"statuses: {dict(sorted(figures['statuses'].items()))}")
    baseline = figures["latency_ms"].get("list", (0, 0))
    for kind, (median, p95) in figures["latency_ms"].items():
        ratio = f"{median / baseline[0]:.2f}x list" if baseline[0] else ""
        print(f"  {kind:12} median {median:7.1f} ms  p95 {p95:7.1f} ms  {ratio}")
    print(
        f"imports: {figures['import_batches']} batches, {figures['articles_written']} articles written, "
        f"{len(figures['import_failures'])} failed batches"
    )
    print(f"tasks: {figures['tasks']}")
    lost = len(figures["lost_writes"]) + len(figures["import_failures"]) + figures["unfinished_tasks"]
    print(f"5xx answers: {figures['server_errors']}; lost writes: {lost}")
    for error in figures["errors"] + figures["import_failures"]:
        print(f"  {error}")
    sys.exit(1 if figures["server_errors"] or lost or figures["connection_errors"] else 0)


if __name__ == "__main__":
    main()
