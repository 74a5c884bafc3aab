"""Task workers' signs of life (see `articles.tasks_recovery`)."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """When a task worker (`manage.py db_worker`) last said it was alive; written every
    TASKS_HEARTBEAT_INTERVAL seconds by a thread beside the work, so a long task keeps it fresh."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = "worker heartbeat"

    def __str__(self):
        return f"{self.worker_id} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
