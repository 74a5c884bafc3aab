"""Changes to articles made by admins and editors (imports live in `importing`)."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .entities.services import recognition_queue
from .models import Article
from .search import article_search_refresh
from .translation.services import segments_sync, translation_queue


def articles_set_status(*, articles: Iterable[Article], status: str) -> int:
    """Publish or unpublish; returns how many articles changed status."""
    ids = [article.pk for article in articles]
    return Article.objects.filter(pk__in=ids).exclude(status=status).update(status=status)


def article_content(article: Article) -> tuple:
    """Everything an import writes and an editor may change: metadata, paragraphs, related stories."""
    metadata = tuple(
        getattr(article, name)
        for name in ("title", "category", "section", "dateline", "author", "published", "lead_caption")
    )
    paragraphs = tuple(article.paragraphs.order_by("position").values_list("text", flat=True))
    related = tuple(article.related_stories.order_by("position").values_list("title", "caption", "section"))
    return (*metadata, tuple(article.tags), paragraphs, related)


@transaction.atomic
def article_edited(*, article: Article, content_changed: bool = True) -> None:
    """Bring what derives from the text up to date after an admin edit.

    Re-indexes the article for search, queues the translation of
    whatever changed (the sync also flags editors' translations whose source
    changed) and queues entity recognition. A change of content is recorded
    (`edited_at`), so that a later import does not silently overwrite it. A
    save that changed no content (a status change) derives nothing again.
    """
    if not content_changed:
        return
    article.edited_at = timezone.now()
    article.save(update_fields=["edited_at"])
    segments_sync(article=article)
    article_search_refresh(article=article)
    translation_queue(article_ids=[article.pk])
    recognition_queue(article_ids=[article.pk])
