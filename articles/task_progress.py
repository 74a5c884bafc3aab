"""What background work an article waits for: its recognition and translation tasks queued or
running in the task worker, so that its admin pages can say so and tell when they are done.

Tasks are the task worker's rows (django-tasks-db's DBTaskResult); an article's tasks take its
id as their first argument. With another task backend (the tests' immediate one) nothing ever
waits, and nothing is said.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .entities.tasks import recognize_article
from .translation.tasks import translate_article

# The tasks that work on one article, by what an editor calls the work.
ARTICLE_TASKS = {
    recognize_article.module_path: "recognition",
    translate_article.module_path: "translation",
}


@dataclass(frozen=True)
class PendingWork:
    work: str  # "recognition" or "translation"
    running: bool  # started by a worker; else waiting in the queue

    @property
    def text(self) -> str:
        if self.work == "recognition":
            return _("Entity recognition running…") if self.running else _("Entity recognition queued…")
        return _("Translation running…") if self.running else _("Translation queued…")


def article_pending_work(*, article_id: int) -> list[PendingWork]:
    """The article's recognition and translation, each once, when queued or running (one query)."""
    rows = DBTaskResult.objects.filter(
        task_path__in=list(ARTICLE_TASKS),
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        args_kwargs__args__0=article_id,
    ).values_list("task_path", "status")
    pending = {}
    for path, status in rows:
        work = ARTICLE_TASKS[path]
        pending[work] = pending.get(work, False) or status == TaskResultStatus.RUNNING
    return [PendingWork(work=work, running=running) for work, running in sorted(pending.items())]
