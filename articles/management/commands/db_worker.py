"""django-tasks-db's worker, which also says it is alive every TASKS_HEARTBEAT_INTERVAL
seconds and recovers tasks a stopped worker left running: at start and every
TASKS_RECOVERY_INTERVAL seconds (see articles.tasks_recovery). Everything else is the
library's command."""

from django.conf import settings
from django_tasks_db.management.commands import db_worker

from articles.tasks_recovery import heartbeat_loop_start, recovery_loop_start, stale_tasks_recover, worker_heartbeat


class Command(db_worker.Command):
    help = (
        "Run a database background worker. It says it is alive every TASKS_HEARTBEAT_INTERVAL seconds; at "
        "start and every TASKS_RECOVERY_INTERVAL seconds, tasks left running by a worker silent for over "
        "TASKS_WORKER_LOST_AFTER seconds are queued again."
    )

    def handle(self, *args, **options):
        # Alive before it takes any task, then every interval from a thread beside the work.
        worker_heartbeat(worker_id=options["worker_id"])
        beating = heartbeat_loop_start(worker_id=options["worker_id"], interval=settings.TASKS_HEARTBEAT_INTERVAL)
        summary = stale_tasks_recover()
        if summary.requeued or summary.failed:
            self.stderr.write(
                f"Recovered tasks a stopped worker left running: {len(summary.requeued)} re-queued, "
                f"{len(summary.failed)} failed after too many attempts"
            )
        recovering = recovery_loop_start(interval=settings.TASKS_RECOVERY_INTERVAL)
        try:
            return super().handle(*args, **options)
        finally:
            recovering.stop()
            beating.stop()
