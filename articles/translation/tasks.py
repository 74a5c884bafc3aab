"""Background translation, run by the task worker (`manage.py db_worker`).

A run that leaves segments failed raises `TranslationFailed` after storing
what it did, so the task list records it as failed, with its reason, instead
of successful. Failed segments heal by themselves: the worker queues
`retry_translations` as it starts and every `TASKS_RECOVERY_INTERVAL` seconds
while some are due (`translation_retries_queue`), one at a time. Translation
runs after entity recognition (a lower priority), so an unreachable provider
never holds recognition back.
"""

from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from arabic.translation.client import TranslationClient

from ..models import Article
from .config import config_from_settings
from .services import TranslationSummary, article_translate, articles_with_failures_due

# Recognition is local and quick; translation waits on a provider; retries come last.
TRANSLATION_PRIORITY = 0
RETRY_PRIORITY = -10


class TranslationFailed(Exception):
    """Recorded as the failure of a translation task: how many segments failed, why, and when they are tried again."""


def _outcome(summary: TranslationSummary, client: TranslationClient | None) -> dict:
    outcome = {
        "done": summary.done,
        "failed": summary.failed,
        "skipped": summary.skipped,
        "requests": client.requests_sent if client else 0,
        "errors": summary.errors,
    }
    if summary.failed:
        retry = (
            f"; sent again by the worker after {timezone.localtime(summary.retry_at):%Y-%m-%d %H:%M:%S %Z}"
            if summary.retry_at
            else "; not sent again until the translation settings change (or --retry-failed)"
        )
        raise TranslationFailed(f"{summary.failed} segment(s) failed: {'; '.join(summary.errors)}{retry}")
    return outcome


@task(priority=TRANSLATION_PRIORITY)
def translate_article(article_id: int, retry_failed: bool = False) -> dict:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return {"skipped": "the article no longer exists"}
    config = config_from_settings()
    client = TranslationClient(config) if config else None
    return _outcome(article_translate(article=article, client=client, retry_failed=retry_failed), client)


@task(priority=RETRY_PRIORITY)
def retry_translations() -> dict:
    """Send again the failed segments that are due, article by article. Once the provider proves
    unreachable nothing more is sent in this run: the others only get their next retry time."""
    config = config_from_settings()
    if config is None:
        return {"skipped": "machine translation is off"}
    client = TranslationClient(config)
    total = TranslationSummary()
    articles = list(articles_with_failures_due())
    for article in articles:
        total.add(article_translate(article=article, client=client, retry_due=True))
    return {"articles": len(articles), **_outcome(total, client)}


def translation_retries_queue() -> bool:
    """Queue `retry_translations` when failed segments are due and none is queued or running yet.

    Called by the worker as it starts (so new translation settings retry what failed under the old
    ones at once) and every TASKS_RECOVERY_INTERVAL seconds."""
    if not articles_with_failures_due().exists():
        return False
    waiting = DBTaskResult.objects.filter(
        task_path=retry_translations.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    )
    if waiting.exists():
        return False
    retry_translations.enqueue()
    return True
