"""Changes to articles made by admins and editors, and the one rule for "an
article's text changed" that every path (import, admin, API) follows."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .annotations.services import mentions_reanchor, paragraph_text_changed
from .entities.services import recognition_queue
from .models import Article
from .search import article_search_refresh
from .segments import SegmentKind
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


def article_etag(article: Article) -> str:
    """A version tag of the article's content: changes whenever an import or an editor changes it.

    Reads paragraphs and related stories with `.all()` (both ordered by
    position), so that an article read for its page costs no extra query.
    """
    metadata = [getattr(article, name) for name in ("title", "category", "section", "dateline", "author")]
    metadata += [str(article.published), article.lead_caption, list(article.tags), article.status]
    content = (
        metadata,
        [p.text for p in article.paragraphs.all()],
        [(s.title, s.caption, s.section) for s in article.related_stories.all()],
    )
    return '"' + hashlib.sha256(repr(content).encode()).hexdigest()[:32] + '"'


@dataclass(frozen=True)
class ArticleTexts:
    """The text of every segment of an article at one moment, keyed by row.

    Taken before a change (`article_texts`), it tells `article_text_changed`
    what each segment said, so that anchors can follow their words.
    """

    title: str = ""
    lead_caption: str = ""
    paragraphs: dict = field(default_factory=dict)  # paragraph pk → text
    related: dict = field(default_factory=dict)  # related story pk → (title, caption)
    content: tuple = ()


def article_texts(article: Article | None) -> ArticleTexts:
    """A snapshot of the article's texts as stored in the database (empty for a new article)."""
    if article is None or article.pk is None:
        return ArticleTexts()
    stored = Article.objects.get(pk=article.pk)
    return ArticleTexts(
        title=stored.title,
        lead_caption=stored.lead_caption,
        paragraphs=dict(stored.paragraphs.values_list("pk", "text")),
        related={
            pk: (title, caption) for pk, title, caption in stored.related_stories.values_list("pk", "title", "caption")
        },
        content=article_content(stored),
    )


@dataclass
class TextChange:
    """What `article_text_changed` found changed; empty when nothing was."""

    segments: list = field(default_factory=list)  # (SegmentKind, row pk or None)
    orphaned: list = field(default_factory=list)
    content_changed: bool = False


@transaction.atomic
def article_text_changed(*, article: Article, before: ArticleTexts, by_editor: bool) -> TextChange:
    """Bring everything that derives from the article's text up to date.

    For every segment whose text differs from `before` (title, lead caption,
    each paragraph, each related headline and caption), annotations and
    editors' entity decisions follow their words (else are orphaned, never
    deleted) and machine suggestions are dropped; then the search text is
    refreshed, translation segments are synced (editors' translations whose
    source changed are flagged) and translation and recognition are queued.
    An editor's change (`by_editor`) is stamped `edited_at`, so a later import
    does not silently overwrite it. A save that changed no content (a status
    change) derives nothing again.

    Paragraphs removed must be handed to `paragraph_removing` before they are
    deleted: their annotations cannot be found afterwards.
    """
    change = TextChange(content_changed=article_content(article) != before.content)
    if not change.content_changed:
        return change
    if before.title and article.title != before.title:
        change.segments.append((SegmentKind.TITLE, None))
        change.orphaned += mentions_reanchor(
            mentions=article.mentions.filter(kind=SegmentKind.TITLE), old_text=before.title, text=article.title
        )
    if before.lead_caption and article.lead_caption != before.lead_caption:
        change.segments.append((SegmentKind.LEAD_CAPTION, None))
        change.orphaned += mentions_reanchor(
            mentions=article.mentions.filter(kind=SegmentKind.LEAD_CAPTION),
            old_text=before.lead_caption,
            text=article.lead_caption,
        )
    for paragraph in article.paragraphs.filter(pk__in=before.paragraphs).order_by("position"):
        old_text = before.paragraphs[paragraph.pk]
        if paragraph.text != old_text:
            change.segments.append((SegmentKind.PARAGRAPH, paragraph.pk))
            change.orphaned += paragraph_text_changed(paragraph=paragraph, old_text=old_text).orphaned
    for story in article.related_stories.filter(pk__in=before.related).order_by("position"):
        old_title, old_caption = before.related[story.pk]
        for kind, old_text, new_text in (
            (SegmentKind.RELATED, old_title, story.title),
            (SegmentKind.RELATED_CAPTION, old_caption, story.caption),
        ):
            if new_text != old_text:
                change.segments.append((kind, story.pk))
                change.orphaned += mentions_reanchor(
                    mentions=story.mentions.filter(kind=kind), old_text=old_text, text=new_text
                )
    if by_editor:
        article.edited_at = timezone.now()
        article.save(update_fields=["edited_at"])
    segments_sync(article=article)
    article_search_refresh(article=article)
    translation_queue(article_ids=[article.pk])
    recognition_queue(article_ids=[article.pk])
    return change
