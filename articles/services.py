"""Changes to articles made by admins and editors (imports live in `importing`)."""

from collections.abc import Iterable

from django.db import transaction

from .arabic import normalize_for_search
from .entities.services import recognition_queue
from .models import Article
from .translation.services import segments_sync, translation_queue


def articles_set_status(*, articles: Iterable[Article], status: str) -> int:
    """Publish or unpublish; returns how many articles changed status."""
    ids = [article.pk for article in articles]
    return Article.objects.filter(pk__in=ids).exclude(status=status).update(status=status)


@transaction.atomic
def article_edited(*, article: Article) -> None:
    """Bring what derives from the text up to date after an admin edit.

    Recomputes the normalised search text, queues the translation of
    whatever changed (the sync also flags editors' translations whose source
    changed) and queues entity recognition.
    """
    texts = [article.title, *article.paragraphs.order_by("position").values_list("text", flat=True)]
    article.search_text = normalize_for_search(" ".join(texts))
    article.save(update_fields=["search_text"])
    segments_sync(article=article)
    translation_queue(article_ids=[article.pk])
    recognition_queue(article_ids=[article.pk])
