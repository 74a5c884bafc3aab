"""Work a stopped worker left behind.

django-tasks-db marks a task RUNNING when a worker claims it and never looks
at it again: a worker killed in the middle of a task (out of memory, a
deploy, kill -9) strands it, and the article's translation or recognition
says "queued" for ever. Here a task RUNNING for longer than
`TASKS_STALE_AFTER` seconds is put back in the queue, or marked failed once
`TASKS_MAX_ATTEMPTS` workers have started it (a task that kills every worker
must not loop). Each change is a conditional update, so two workers
recovering at the same moment re-queue a task once.

The worker runs this at start and every `TASKS_RECOVERY_INTERVAL` seconds
(`manage.py db_worker`, see the command), and `manage.py recover_tasks` runs
it once.
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

logger = logging.getLogger(__name__)

WORKER_LOST = "articles.tasks_recovery.WorkerLost"


class WorkerLost(Exception):
    """Recorded as the failure of a task whose workers all stopped while running it."""


@dataclass
class RecoverySummary:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def stale_tasks(*, now: datetime.datetime | None = None):
    """Tasks RUNNING for longer than TASKS_STALE_AFTER: their worker has most likely stopped."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.TASKS_STALE_AFTER)
    return DBTaskResult.objects.running().filter(started_at__lt=cutoff)


def stale_tasks_recover(*, now: datetime.datetime | None = None) -> RecoverySummary:
    """Re-queue the stale running tasks; fail those already started TASKS_MAX_ATTEMPTS times.

    Idempotent: a task is changed only while it is still the stale run that
    was read, so running this twice, or in two workers at once, changes it once.
    """
    now = now or timezone.now()
    summary = RecoverySummary()
    for task in stale_tasks(now=now).only("id", "started_at", "worker_ids", "task_path"):
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


def recovery_loop_start(*, interval: float) -> threading.Event:
    """Recover stale tasks now and then every `interval` seconds in a daemon
    thread, until the returned event is set."""
    stop = threading.Event()

    def loop():
        while True:
            try:
                stale_tasks_recover()
            except DatabaseError:
                logger.exception("recovering stale tasks failed; trying again in %s s", interval)
            finally:
                connections.close_all()  # this thread's connections only
            if stop.wait(interval):
                return

    threading.Thread(target=loop, name="stale-task-recovery", daemon=True).start()
    return stop
