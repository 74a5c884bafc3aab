"""Background entity recognition, run by the task worker (`manage.py db_worker`).

Recognition is local and takes a moment, so it runs before the translation
queued with it (a higher priority): an article's entities never wait on a
translation provider, reachable or not."""

from django_tasks import task

from ..models import Article
from .recognition import article_recognize, recognizers_available

RECOGNITION_PRIORITY = 10


@task(priority=RECOGNITION_PRIORITY)
def recognize_article(article_id: int) -> dict:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return {"skipped": "the article no longer exists"}
    recognizers = recognizers_available()
    summary = article_recognize(article=article, model=recognizers.model, shipped=recognizers.shipped)
    return {
        "recognizers": recognizers.names,
        "notes": recognizers.notes,
        "suggested": summary.suggested,
        "by_source": summary.by_source,
    }
