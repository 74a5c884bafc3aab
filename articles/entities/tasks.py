"""Background entity recognition, run by the task worker (`manage.py db_worker`)."""

from django_tasks import task

from ..models import Article
from .recognition import article_recognize, recognizers_available


@task()
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
