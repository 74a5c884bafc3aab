"""Background entity recognition, run by the task worker (`manage.py db_worker`)."""

from django_tasks import task

from ..models import Article
from .recognition import article_recognize, recognizers_available


@task()
def recognize_article(article_id: int) -> dict:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return {"skipped": "the article no longer exists"}
    names, model = recognizers_available()
    summary = article_recognize(article=article, model=model)
    return {"recognizers": names, "suggested": summary.suggested, "by_source": summary.by_source}
