"""A short, bounded load test (issue 9): gunicorn on 127.0.0.1 and a task
worker, readers and an importer at once. The long version is bench/load.py."""

from bench.load import run


def test_under_load_with_imports_and_the_worker_no_5xx_and_no_lost_write():
    figures = run(seconds=4, clients=2, max_requests=300, drain_seconds=90, quiet=True)
    assert figures["requests"] > 10 and figures["import_batches"] >= 1, figures
    assert figures["server_errors"] == 0, figures["errors"]
    assert figures["connection_errors"] == [], figures["connection_errors"]
    assert figures["import_failures"] == [], figures["import_failures"]
    assert figures["lost_writes"] == [], figures["lost_writes"]
    assert figures["unfinished_tasks"] == 0, figures["tasks"]
    assert figures["statuses"].get(404, 0) >= 1  # the missing article really was asked for, and refused
