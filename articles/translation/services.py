"""Keeping each article's stored translations in step with its text.

`segments_sync` makes one Translation row per segment and notices changed
sources; `article_translate` sends what needs translating; `segment_review`
records an editor's translation. The rules:

- a segment whose source is unchanged is never sent again (unless forced);
- a failure never removes or replaces a stored translation;
- an editor's translation is never replaced by the machine's, not even when
  forced, unless its source text changed: then it is kept in
  `previous_text` and the segment is flagged for review;
- failed work heals: a failure that may pass (the provider unreachable or
  overloaded) is sent again by the worker after a delay that doubles at each
  failure in a row (`TRANSLATION_RETRY_AFTER`, at most `TRANSLATION_RETRY_MAX`);
  a failure under other translation settings (another provider, address or
  key: `providers.settings_key`) is sent again at the next run, and the worker
  looks for them as it starts; a refusal (a bad key) waits for other settings
  or `--retry-failed`.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from arabic.translation.client import TranslationClient
from arabic.translation.providers import NO_PROVIDER

from ..models import Article, Translation
from ..models.translations import source_hash
from ..search import article_search_refresh
from ..segments import SegmentKind, article_segments, segment_key
from .config import settings_key


@dataclass
class TranslationSummary:
    done: int = 0
    failed: int = 0
    skipped: int = 0
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    # Skipped segments that failed earlier and are not sent again in this run.
    failed_before: int = 0
    # The earliest time the worker sends a failed segment again by itself.
    retry_at: datetime.datetime | None = None

    def add(self, other: "TranslationSummary") -> None:
        self.done += other.done
        self.failed += other.failed
        self.skipped += other.skipped
        self.failed_before += other.failed_before
        self.errors.extend(error for error in other.errors if error not in self.errors)
        self._retry_at(other.retry_at)

    def _retry_at(self, when: datetime.datetime | None) -> None:
        if when is not None and (self.retry_at is None or when < self.retry_at):
            self.retry_at = when


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
            row.failures, row.retry_at, row.failed_with = 0, None, ""
            row.save()
        rows.append(row)
    # Segments whose source is gone (a lead caption removed) go too.
    Translation.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    return rows


def retry_delay(failures: int) -> datetime.timedelta:
    """How long the worker waits before sending a segment again after `failures` failures in a row."""
    seconds = settings.TRANSLATION_RETRY_AFTER * 2 ** min(max(failures - 1, 0), 30)
    return datetime.timedelta(seconds=min(seconds, settings.TRANSLATION_RETRY_MAX))


def _failed_due(*, now: datetime.datetime, key: str) -> Q:
    """Failed segments worth sending again now: their retry time has come, or they failed under other settings."""
    return Q(status=Translation.Status.FAILED, reviewed_at__isnull=True) & (Q(retry_at__lte=now) | ~Q(failed_with=key))


def article_translate(
    *,
    article: Article,
    client: TranslationClient | None,
    retry_failed: bool = False,
    force: bool = False,
    retry_due: bool = False,
) -> TranslationSummary:
    """Translate the article's segments that need it; return what happened.

    Pending segments are sent, and failed ones whose failure happened under
    other translation settings; with `retry_due` also those whose retry time
    has come; with `retry_failed` every failed one; with `force` every segment
    not reviewed by an editor. With no client (machine translation off)
    nothing is sent and every segment counts as skipped.
    """
    rows = segments_sync(article=article)
    key = settings_key()
    now = timezone.now()

    def wanted(row: Translation) -> bool:
        if row.is_reviewed:
            return False
        if force or row.status == Translation.Status.PENDING:
            return True
        if row.status != Translation.Status.FAILED:
            return False
        due = retry_due and row.retry_at is not None and row.retry_at <= now
        return retry_failed or due or row.failed_with != key

    todo = [row for row in rows if wanted(row)]
    sent = {row.pk for row in todo}
    summary = TranslationSummary(skipped=len(rows) - len(todo))
    for row in rows:
        if row.pk not in sent and row.status == Translation.Status.FAILED:
            summary.failed_before += 1
            summary._retry_at(row.retry_at)
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
                failures=0,
                retry_at=None,
                failed_with="",
                translated_at=now,
                modified=now,
            )
            summary.done += updated
            summary.skipped += 1 - updated
        else:
            failures = row.failures + 1 if row.status == Translation.Status.FAILED else 1
            retry_at = now + retry_delay(failures) if outcome.passing else None
            updated = unchanged.update(
                status=Translation.Status.FAILED,
                error=outcome.error,
                failures=failures,
                retry_at=retry_at,
                failed_with=key,
                modified=now,
            )
            summary.failed += updated
            summary.skipped += 1 - updated
            if updated:
                summary._retry_at(retry_at)
            if outcome.error not in summary.errors:
                summary.errors.append(outcome.error)
    if summary.done:
        # The English translation is searchable.
        article_search_refresh(article=article)
    return summary


def articles_with_failures_due(*, now: datetime.datetime | None = None) -> QuerySet[Article]:
    """Articles with a failed segment the worker should send again now (none while translation is off)."""
    if settings.TRANSLATION_PROVIDER == NO_PROVIDER:
        return Article.objects.none()
    due = Translation.objects.filter(_failed_due(now=now or timezone.now(), key=settings_key()))
    return Article.objects.filter(pk__in=due.values("article_id")).order_by("pk")


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
    segment.failures, segment.retry_at, segment.failed_with = 0, None, ""
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
    count = rows.update(status=Translation.Status.PENDING, retry_at=None, modified=timezone.now())
    translation_queue(article_ids=[article.pk])
    return count
