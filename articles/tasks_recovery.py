"""Work a stopped worker left behind.

django-tasks-db marks a task RUNNING when a worker claims it and never looks
at it again: a worker killed in the middle of a task (out of memory, a
deploy, kill -9) strands it, and the article's translation or recognition
says "queued" for ever.

Our worker (`manage.py db_worker`) says it is alive every
`TASKS_HEARTBEAT_INTERVAL` seconds from a thread beside the work
(`WorkerHeartbeat`), however long its task runs. A RUNNING task is abandoned
when its worker has been silent for `TASKS_WORKER_LOST_AFTER` seconds, or,
for a worker that never beat (the library's own command), when it has run
for `TASKS_STALE_AFTER` seconds. An abandoned task is put back in the queue,
or marked failed once `TASKS_MAX_ATTEMPTS` workers have started it (a task
that kills every worker must not loop). Each change is a conditional update,
so two workers recovering at the same moment re-queue a task once. A task
whose worker still beats is never taken from it, so it never runs twice.

The worker recovers at start and every `TASKS_RECOVERY_INTERVAL` seconds,
and `manage.py recover_tasks` does it once.
"""

import datetime
import logging
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

WORKER_LOST = "articles.tasks_recovery.WorkerLost"


class WorkerLost(Exception):
    """Recorded as the failure of a task whose workers all stopped while running it."""


@dataclass
class RecoverySummary:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def stale_tasks(*, now: datetime.datetime | None = None) -> list[DBTaskResult]:
    """The RUNNING tasks whose worker has stopped: silent for TASKS_WORKER_LOST_AFTER seconds,
    or, never having beaten, running for TASKS_STALE_AFTER seconds."""
    now = now or timezone.now()
    silent_since = now - datetime.timedelta(seconds=settings.TASKS_WORKER_LOST_AFTER)
    started_before = now - datetime.timedelta(seconds=settings.TASKS_STALE_AFTER)
    running = list(DBTaskResult.objects.running().only("id", "started_at", "worker_ids", "task_path"))
    workers = {task.worker_ids[-1] for task in running if task.worker_ids}
    seen = dict(WorkerHeartbeat.objects.filter(worker_id__in=workers).values_list("worker_id", "seen_at"))
    stale = []
    for task in running:
        last_seen = seen.get(task.worker_ids[-1]) if task.worker_ids else None
        if (last_seen < silent_since) if last_seen else (task.started_at < started_before):
            stale.append(task)
    return stale


def worker_heartbeat(*, worker_id: str, now: datetime.datetime | None = None) -> None:
    """Say that this worker is alive (and forget workers silent for a day)."""
    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": now})
    WorkerHeartbeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=1)).delete()


def stale_tasks_recover(*, now: datetime.datetime | None = None) -> RecoverySummary:
    """Re-queue the stale running tasks; fail those already started TASKS_MAX_ATTEMPTS times.

    Idempotent: a task is changed only while it is still the stale run that
    was read, so running this twice, or in two workers at once, changes it once.
    """
    now = now or timezone.now()
    summary = RecoverySummary()
    for task in stale_tasks(now=now):
        same_run = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at)
        attempts = len(task.worker_ids)
        if attempts >= settings.TASKS_MAX_ATTEMPTS:
            changed = same_run.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=WORKER_LOST,
                traceback=(
                    f"{WORKER_LOST}: the worker stopped while running this task, {attempts} times "
                    f"(workers {', '.join(task.worker_ids)}); it is not retried again."
                ),
            )
            if changed:
                summary.failed.append(str(task.pk))
                logger.error("task %s (%s) failed: its worker stopped %d times", task.pk, task.task_path, attempts)
        elif same_run.update(status=TaskResultStatus.READY, started_at=None):
            summary.requeued.append(str(task.pk))
            logger.warning(
                "task %s (%s) re-queued: running since %s, its worker %s has stopped",
                task.pk,
                task.task_path,
                task.started_at,
                task.worker_ids[-1] if task.worker_ids else "?",
            )
    return summary


class Repeating:
    """`work()` every `interval` seconds in a daemon thread (the first time after one interval:
    the caller does it at once, in its own thread), until `stop()`, which waits for the thread."""

    def __init__(self, *, name: str, interval: float, work):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(name, interval, work), name=name, daemon=True)
        self._thread.start()

    def _loop(self, name, interval, work):
        while not self._stop.wait(interval):
            try:
                work()
            except DatabaseError:
                logger.exception("%s failed; trying again in %s s", name, interval)
            finally:
                connections.close_all()  # this thread's connections only

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)


def heartbeat_loop_start(*, worker_id: str, interval: float) -> Repeating:
    """Say the worker is alive every `interval` seconds, until stopped."""
    return Repeating(name="worker-heartbeat", interval=interval, work=lambda: worker_heartbeat(worker_id=worker_id))
