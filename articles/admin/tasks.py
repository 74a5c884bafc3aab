"""Background work in the admin: the library's task list, plus which article a
task is for and what needs a person's attention (stuck, waiting with no
worker, failed)."""

import datetime

from django.conf import settings
from django.contrib import admin
from django.db.models import BigIntegerField, BooleanField, Case, OuterRef, Q, Subquery, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tasks_db import admin as tasks_admin
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ..models import Article
from ..task_progress import ARTICLE_TASKS as article_task_paths
from ..tasks_recovery import stale_tasks

ARTICLE_TASKS = list(article_task_paths)


def _cutoff() -> datetime.datetime:
    """Waiting since before this: is a worker running at all?"""
    return timezone.now() - datetime.timedelta(seconds=settings.TASKS_STALE_AFTER)


def _stuck_ids() -> list:
    """Running tasks whose worker stopped (articles.tasks_recovery), to be queued again at its next look."""
    return [task.pk for task in stale_tasks()]


class AttentionFilter(admin.SimpleListFilter):
    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [
            ("stuck", _("Stuck: running, its worker stopped")),
            ("waiting", _("Waiting long: is a worker running?")),
            ("failed", _("Failed")),
            ("any", _("Any of these")),
        ]

    def queryset(self, request, queryset):
        cutoff = _cutoff()
        conditions = {
            "stuck": Q(stuck=True),  # annotated by TaskResultAdmin.get_queryset
            "waiting": Q(status=TaskResultStatus.READY, enqueued_at__lt=cutoff),
            "failed": Q(status=TaskResultStatus.FAILED),
        }
        if self.value() == "any":
            return queryset.filter(conditions["stuck"] | conditions["waiting"] | conditions["failed"])
        if self.value() in conditions:
            return queryset.filter(conditions[self.value()])
        return queryset


def _moment(moment: datetime.datetime):
    # Isolated left to right, or an Arabic page shows 2026-11-27 as 27-11-2026.
    return format_html('<bdi dir="ltr">{}</bdi>', timezone.localtime(moment).strftime("%Y-%m-%d %H:%M"))


def _state(css_class: str, message: str, **values):
    """A state in bold; `message` is our own translated text with {placeholders}."""
    return format_html('<strong class="{}">{}</strong>', css_class, format_html(message, **values))


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(tasks_admin.DBTaskResultAdmin):
    list_display = ("task_name", "article_link", "state", "enqueued_at", "started_at", "finished_at", "worker_count")
    list_filter = (AttentionFilter, "status", "queue_name")

    def get_queryset(self, request):
        # The article tasks take the article's id as their first argument (the importing
        # tasks take a feed's or a queued address's).
        article_id = Case(
            When(task_path__in=ARTICLE_TASKS, then=Cast(KT("args_kwargs__args__0"), BigIntegerField())),
            default=None,
            output_field=BigIntegerField(),
        )
        title = Article.objects.filter(pk=OuterRef("article_id")).values("title")[:1]
        stuck = Case(When(pk__in=_stuck_ids(), then=Value(True)), default=Value(False), output_field=BooleanField())
        return super().get_queryset(request).annotate(article_id=article_id, article_title=Subquery(title), stuck=stuck)

    @admin.display(description=_("article"))
    def article_link(self, task):
        if not task.article_title:
            return self.get_empty_value_display()
        url = reverse("admin:articles_article_change", args=[task.article_id])
        return format_html('<a href="{}" dir="auto">{}</a>', url, task.article_title)

    @admin.display(description=_("state"))
    def state(self, task):
        if task.stuck:
            return _state("task-stuck", _("Stuck since {time}"), time=_moment(task.started_at))
        if task.status == TaskResultStatus.READY and task.enqueued_at < _cutoff():
            return _state("task-waiting", _("Waiting since {time}"), time=_moment(task.enqueued_at))
        if task.status == TaskResultStatus.FAILED:
            reason = task.exception_class_path.rsplit(".", 1)[-1] or "?"
            return _state("task-failed", _("Failed: {reason}"), reason=format_html("<bdi>{}</bdi>", reason))
        return task.get_status_display()

    @admin.display(description=_("attempts"))
    def worker_count(self, task):
        return len(task.worker_ids)
