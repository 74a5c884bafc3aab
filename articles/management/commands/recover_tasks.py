from django.core.management.base import BaseCommand

from articles.tasks_recovery import stale_tasks_recover


class Command(BaseCommand):
    help = (
        "Queue again the tasks a stopped worker left running for over TASKS_STALE_AFTER seconds; "
        "mark failed those started TASKS_MAX_ATTEMPTS times. Safe to run at any time (the worker does it too)."
    )

    def handle(self, **options):
        summary = stale_tasks_recover()
        self.stdout.write(f"{len(summary.requeued)} task(s) re-queued, {len(summary.failed)} marked failed")
