"""Changes to articles made by admins and editors, and the one rule for "an
article's text changed" that every path (import, admin, API) follows."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import history
from .annotations.services import mentions_reanchor, paragraph_removing, paragraph_text_changed
from .entities.services import recognition_queue
from .models import Annotation, Article, Entity, Mention, Paragraph, RelatedStory
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


def article_change_begin(article: Article | None) -> ArticleTexts:
    """What every change of an article's text starts with: the version before it recorded in the
    history (so that the change can be undone), and the snapshot `article_text_changed` compares
    with afterwards. None or an unsaved article: a new one, nothing to record."""
    if article is not None and article.pk is not None:
        history.article_version_before_change(article=article)
    return article_texts(article)


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
def article_text_changed(
    *, article: Article, before: ArticleTexts, by_editor: bool, user=None, record_history: bool = True
) -> TextChange:
    """Bring everything that derives from the article's text up to date.

    For every segment whose text differs from `before` (title, lead caption,
    each paragraph, each related headline and caption), annotations and
    editors' entity decisions follow their words (else are orphaned, never
    deleted) and machine suggestions are dropped; then the search text is
    refreshed, translation segments are synced (editors' translations whose
    source changed are flagged) and translation and recognition are queued.
    An editor's change (`by_editor`) is stamped `edited_at`, so a later import
    does not silently overwrite it. The text as it now is joins the article's
    history (`articles.history`: the admin's History, undo), under `user`
    when given; `record_history=False` leaves that to the caller (a restore). A save
    that changed no content (a status change) derives nothing again.

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
    if record_history:
        history.article_version_record(
            article=article, comment=history.Change.EDITED if by_editor else history.Change.IMPORTED, user=user
        )
    return change


class HistoryError(ValueError):
    """A version that cannot be restored; the message says why."""


# --- Bringing back an earlier text (undo) ----------------------------------------------


@dataclass
class RestoreSummary:
    """What bringing a version back did, for the editor."""

    found_again: list = field(default_factory=list)  # annotations that were orphaned and are anchored again
    decisions_back: int = 0  # editors' entity decisions whose words had vanished, back on them
    orphaned: list = field(default_factory=list)  # annotations the restored text left without their words


POSITION_OFFSET = 1_000_000  # moves rows out of each other's way while positions are rewritten


def _rows_restore(*, article: Article, model, rows: dict, fields: tuple, removing=None) -> None:
    current = {row.pk: row for row in model.objects.filter(article=article)}
    for pk, row in current.items():
        if pk not in rows:
            if removing is not None:
                removing(row)
            row.delete()
    model.objects.filter(article=article).update(position=F("position") + POSITION_OFFSET)
    for pk, values in rows.items():
        defaults = {name: values[name] for name in fields if name != "article"}
        model.objects.update_or_create(pk=pk, article=article, defaults=defaults)


def _segment_text(mention: dict, article: Article, paragraphs: dict, stories: dict) -> str | None:
    """The text of the segment a stored mention stood in, now (`paragraphs`: id → text,
    `stories`: id → (title, caption), the article's), or None if it is gone."""
    kind = mention["kind"]
    if kind == SegmentKind.PARAGRAPH:
        return paragraphs.get(mention["paragraph_id"])
    if kind in (SegmentKind.RELATED, SegmentKind.RELATED_CAPTION):
        story = stories.get(mention["related_story_id"])
        if story is None:
            return None
        return story[0] if kind == SegmentKind.RELATED else story[1]
    return article.title if kind == SegmentKind.TITLE else article.lead_caption


def _decisions_restore(*, article: Article, state: history.TextState) -> int:
    """Editors' decisions of the restored version whose mention is gone (their words had
    vanished), made again where their words are now; the entity annotations that had lost
    them are linked again, and the stand-in orphan made when they vanished is removed."""
    alive = set(Mention.objects.filter(pk__in=list(state.mentions)).values_list("pk", flat=True))
    gone = [values for pk, values in state.mentions.items() if pk not in alive]
    if not gone:
        return 0
    # What each decision is checked against, read once for all of them.
    paragraphs = dict(Paragraph.objects.filter(article=article).values_list("pk", "text"))
    stories = {
        pk: (title, caption)
        for pk, title, caption in RelatedStory.objects.filter(article=article).values_list("pk", "title", "caption")
    }
    taken = set(
        Mention.objects.filter(article=article).values_list("kind", "paragraph_id", "related_story_id", "start", "end")
    )
    # An entity or an editor deleted since is not brought back with it.
    entities = Entity.objects.in_bulk({values["entity_id"] for values in gone} - {None})
    editors = get_user_model().objects.in_bulk({values["decided_by_id"] for values in gone} - {None})
    restored = 0
    for values in gone:
        text = _segment_text(values, article, paragraphs, stories)
        start, end = values["start"], values["end"]
        if text is None or text[start:end] != values["text"]:
            continue
        span = {
            "kind": values["kind"],
            "paragraph_id": values["paragraph_id"],
            "related_story_id": values["related_story_id"],
            "start": start,
            "end": end,
        }
        if tuple(span.values()) in taken:
            continue
        taken.add(tuple(span.values()))
        mention = Mention.objects.create(
            article=article,
            text=values["text"],
            label=values["label"],
            source=values["source"],
            entity=entities.get(values["entity_id"]),
            status=values["status"],
            decided_by=editors.get(values["decided_by_id"]),
            decided_at=values["decided_at"],
            **span,
        )
        restored += 1
        if values["kind"] != SegmentKind.PARAGRAPH:
            continue
        waiting = Annotation.objects.filter(
            article=article,
            kind=Annotation.Kind.ENTITY,
            mention__isnull=True,
            paragraph_id=values["paragraph_id"],
            start=start,
            end=end,
        ).exclude(anchor=Annotation.Anchor.ORPHANED)
        # The stand-in kept for the vanished decision (annotations.services._orphan_decision).
        waiting.filter(
            visibility=Annotation.Visibility.EDITORS,
            created__gt=state.revision.date_created,
            body__endswith="kept when its text disappeared.",
        ).delete()
        waiting.update(mention=mention)
    return restored


@transaction.atomic
def article_version_restore(*, article: Article, revision_id: int, user) -> RestoreSummary:
    """Bring the article's text back to revision `revision_id`, as an editor's edit.

    Paragraphs and related stories take back their text and order (those added since are
    removed, their annotations orphaned; those removed since come back); annotations and
    editors' decisions follow their words by the rule every edit follows.
    """
    if not history.article_has_revision(article=article, revision_id=revision_id):
        raise HistoryError(f"revision {revision_id} is not a version of this article")
    state = history.revision_states([revision_id])[revision_id]
    article = Article.objects.select_for_update().get(pk=article.pk)
    orphans_before = set(
        Annotation.objects.filter(article=article, anchor=Annotation.Anchor.ORPHANED).values_list("pk", flat=True)
    )
    before = article_change_begin(article)  # so that the restore can be undone in turn
    for name in history.ARTICLE_FIELDS:
        setattr(article, name, state.article[name])
    article.save(update_fields=[*history.ARTICLE_FIELDS, "modified"])
    _rows_restore(
        article=article,
        model=Paragraph,
        rows=state.paragraphs,
        fields=history.PARAGRAPH_FIELDS,
        removing=lambda paragraph: paragraph_removing(paragraph=paragraph),
    )
    _rows_restore(article=article, model=RelatedStory, rows=state.related, fields=history.RELATED_FIELDS)
    # Recorded below, once the decisions are back too.
    change = article_text_changed(article=article, before=before, by_editor=True, record_history=False)
    summary = RestoreSummary(
        orphaned=list(change.orphaned), decisions_back=_decisions_restore(article=article, state=state)
    )
    history.article_version_record(article=article, comment=f"{history.Change.RESTORED} {revision_id}", user=user)
    summary.found_again = list(
        Annotation.objects.filter(pk__in=orphans_before).exclude(anchor=Annotation.Anchor.ORPHANED)
    )
    return summary
