"""Keeping each article's stored translations in step with its text.

`segments_sync` makes one Translation row per segment and notices changed
sources; `article_translate` sends what needs translating; `segment_review`
records an editor's translation. The rules:

- a segment whose source is unchanged is never sent again (unless forced);
- a failure never removes or replaces a stored translation;
- an editor's translation is never replaced by the machine's, not even when
  forced, unless its source text changed: then it is kept in
  `previous_text` and the segment is flagged for review.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import Article, Translation
from ..models.translations import source_hash
from ..search import article_search_refresh
from ..segments import SegmentKind, article_segments, segment_key
from .client import TranslationClient


@dataclass
class TranslationSummary:
    done: int = 0
    failed: int = 0
    skipped: int = 0
    requests: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "TranslationSummary") -> None:
        self.done += other.done
        self.failed += other.failed
        self.skipped += other.skipped
        self.errors.extend(error for error in other.errors if error not in self.errors)


TRANSLATED = (SegmentKind.TITLE, SegmentKind.LEAD_CAPTION, SegmentKind.PARAGRAPH, SegmentKind.RELATED)


@transaction.atomic
def segments_sync(*, article: Article, target: str | None = None) -> list[Translation]:
    """One row per segment, in page order, each knowing whether its source changed."""
    target = target or settings.TRANSLATION_TARGET
    existing = {
        segment_key(row.kind, row.paragraph_id, row.related_story_id): row
        for row in Translation.objects.select_for_update(of=("self",))
        .filter(article=article, target_lang=target)
        .order_by("pk")
    }
    rows = []
    for segment in article_segments(article, TRANSLATED):
        text = segment.text
        digest = source_hash(text)
        row = existing.pop(segment.key, None)
        if row is None:
            row = Translation.objects.create(
                article=article,
                kind=segment.kind,
                paragraph=segment.paragraph,
                related_story=segment.related_story,
                target_lang=target,
                source_text=text,
                source_hash=digest,
            )
        elif row.source_hash != digest:
            if row.is_reviewed:
                row.previous_text = row.text
                row.needs_review = True
                row.reviewed_at = None
                row.reviewed_by = None
            row.source_text = text
            row.source_hash = digest
            row.status = Translation.Status.PENDING
            row.error = ""
            row.save()
        rows.append(row)
    # Segments whose source is gone (a lead caption removed) go too.
    Translation.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    return rows


def article_translate(
    *, article: Article, client: TranslationClient | None, retry_failed: bool = False, force: bool = False
) -> TranslationSummary:
    """Translate the article's segments that need it; return what happened.

    Pending segments are sent; failed ones too with `retry_failed`; every
    segment not reviewed by an editor with `force`. With no client (machine
    translation off) nothing is sent and every segment counts as skipped.
    """
    rows = segments_sync(article=article)
    if force:
        todo = [row for row in rows if not row.is_reviewed]
    else:
        wanted = {Translation.Status.PENDING} | ({Translation.Status.FAILED} if retry_failed else set())
        todo = [row for row in rows if row.status in wanted and not row.is_reviewed]
    summary = TranslationSummary(skipped=len(rows) - len(todo))
    if client is None:
        summary.skipped += len(todo)
        return summary
    if not todo:
        return summary

    outcomes = client.translate([row.source_text for row in todo])
    now = timezone.now()
    for row, outcome in zip(todo, outcomes, strict=True):
        # Only if nobody reviewed it, and its source did not change, while we waited.
        unchanged = Translation.objects.filter(pk=row.pk, reviewed_at__isnull=True, source_hash=row.source_hash)
        if outcome.ok:
            updated = unchanged.update(
                text=outcome.text,
                text_source_hash=row.source_hash,
                provider=client.config.provider.name,
                status=Translation.Status.DONE,
                error="",
                translated_at=now,
                modified=now,
            )
            summary.done += updated
            summary.skipped += 1 - updated
        else:
            updated = unchanged.update(status=Translation.Status.FAILED, error=outcome.error, modified=now)
            summary.failed += updated
            summary.skipped += 1 - updated
            if outcome.error not in summary.errors:
                summary.errors.append(outcome.error)
    if summary.done:
        # The English translation is searchable.
        article_search_refresh(article=article)
    return summary


@transaction.atomic
def segment_review(*, segment: Translation, text: str, user) -> Translation:
    """Record an editor's translation: it wins over the machine's from now on."""
    text = text.strip()
    if not text:
        raise ValueError("a reviewed translation cannot be empty")
    segment.text = text
    segment.text_source_hash = segment.source_hash
    segment.status = Translation.Status.DONE
    segment.error = ""
    segment.reviewed_by = user
    segment.reviewed_at = timezone.now()
    segment.needs_review = False
    segment.previous_text = ""
    segment.save()
    article_search_refresh(article=segment.article)
    return segment


def translation_queue(*, article_ids: list[int], retry_failed: bool = False) -> None:
    """Queue the articles' translation as background tasks, once the current transaction commits."""
    from .tasks import translate_article

    for article_id in article_ids:
        transaction.on_commit(lambda article_id=article_id: translate_article.enqueue(article_id, retry_failed))


@transaction.atomic
def article_translation_requeue(*, article: Article, failed_only: bool = True) -> int:
    """Mark the article's failed segments (or all unreviewed ones) pending and queue them."""
    rows = Translation.objects.filter(article=article, reviewed_at__isnull=True)
    if failed_only:
        rows = rows.filter(status=Translation.Status.FAILED)
    count = rows.update(status=Translation.Status.PENDING, modified=timezone.now())
    translation_queue(article_ids=[article.pk])
    return count
