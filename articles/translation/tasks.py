"""Background translation, run by the task worker (`manage.py db_worker`)."""

from django_tasks import task

from ..models import Article
from .client import TranslationClient
from .providers import config_from_settings
from .services import article_translate


@task()
def translate_article(article_id: int, retry_failed: bool = False) -> dict:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return {"skipped": "the article no longer exists"}
    config = config_from_settings()
    client = TranslationClient(config) if config else None
    summary = article_translate(article=article, client=client, retry_failed=retry_failed)
    return {
        "done": summary.done,
        "failed": summary.failed,
        "skipped": summary.skipped,
        "requests": client.requests_sent if client else 0,
        "errors": summary.errors,
    }
