"""django-tasks-db's worker, which also says it is alive every TASKS_HEARTBEAT_INTERVAL
seconds and, at start and every TASKS_RECOVERY_INTERVAL seconds, recovers tasks a stopped
worker left running (see articles.tasks_recovery) and queues the failed translations that
are due (see articles.translation.tasks). Everything else is the library's command."""

from django.conf import settings
from django_tasks_db.management.commands import db_worker

from articles.tasks_recovery import Repeating, heartbeat_loop_start, stale_tasks_recover, worker_heartbeat
from articles.translation.tasks import translation_retries_queue


def upkeep():
    """What the worker does besides tasks, at start and every TASKS_RECOVERY_INTERVAL seconds."""
    summary = stale_tasks_recover()
    translation_retries_queue()
    return summary


class Command(db_worker.Command):
    help = (
        "Run a database background worker. It says it is alive every TASKS_HEARTBEAT_INTERVAL seconds; at "
        "start and every TASKS_RECOVERY_INTERVAL seconds, tasks left running by a worker silent for over "
        "TASKS_WORKER_LOST_AFTER seconds are queued again, and so are failed translations that are due."
    )

    def handle(self, *args, **options):
        # Alive before it takes any task, then every interval from a thread beside the work.
        worker_heartbeat(worker_id=options["worker_id"])
        beating = heartbeat_loop_start(worker_id=options["worker_id"], interval=settings.TASKS_HEARTBEAT_INTERVAL)
        summary = upkeep()
        if summary.requeued or summary.failed:
            self.stderr.write(
                f"Recovered tasks a stopped worker left running: {len(summary.requeued)} re-queued, "
                f"{len(summary.failed)} failed after too many attempts"
            )
        recovering = Repeating(name="worker-upkeep", interval=settings.TASKS_RECOVERY_INTERVAL, work=upkeep)
        try:
            return super().handle(*args, **options)
        finally:
            recovering.stop()
            beating.stop()
