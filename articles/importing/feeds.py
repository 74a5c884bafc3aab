"""Following RSS and Atom feeds: each new entry's page is imported like a URL.

A feed is fetched with a conditional GET (its last ETag and Last-Modified),
parsed by feedparser from the bytes our own client fetched (limits and the
address guard apply), and each entry not seen before is fetched and imported
through `url_import`. An entry already imported (same GUID in this feed, or
its link already the source of an article) is not downloaded again. A broken
entry is recorded with its reason and the others go on; the feed's validators
are kept only when every entry went through, so that the next run sees the
failed entries again instead of a 304.
"""

from dataclasses import dataclass, field
from urllib.parse import urljoin

import feedparser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Article, Feed, FeedEntry
from .fetch import FEED_TYPES, url_fetch
from .records import ImportFailure
from .web import canonical_url, url_import

FEED_ACCEPT = (*FEED_TYPES, "text/plain")


@dataclass
class FeedReport:
    feed: Feed
    status: str
    error: str = ""
    imported: list[FeedEntry] = field(default_factory=list)
    failed: list[FeedEntry] = field(default_factory=list)
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return self.status in (Feed.Status.OK, Feed.Status.NOT_MODIFIED)


def feed_add(*, url: str, publish: bool = False) -> tuple[Feed, bool]:
    """Follow the feed at `url` (or update its publish setting); returns (feed, created)."""
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ImportFailure(f"not an http or https address: {url!r}") from None
    feed, created = Feed.objects.get_or_create(url=url, defaults={"publish": publish})
    if not created and (feed.publish != publish or not feed.active):
        feed.publish, feed.active = publish, True
        feed.save(update_fields=["publish", "active"])
    return feed, created


def _guid(entry) -> str:
    return (entry.get("id") or entry.get("guid") or entry.get("link") or "").strip()


def _already_imported(*, feed: Feed, guid: str, link: str) -> bool:
    """Seen in this feed and imported, or the link is already an article's source."""
    if FeedEntry.objects.filter(feed=feed, guid=guid, status=FeedEntry.Status.IMPORTED).exists():
        return True
    article = Article.objects.filter(Q(source=link) | Q(source_id=link)).first() if link else None
    if article is None:
        return False
    FeedEntry.objects.update_or_create(
        feed=feed,
        guid=guid,
        defaults={"url": link, "article": article, "status": FeedEntry.Status.IMPORTED, "error": ""},
    )
    return True


def _feed_save(feed: Feed, report: FeedReport, **fields) -> FeedReport:
    feed.last_fetched_at = timezone.now()
    feed.last_status = report.status
    feed.last_error = report.error
    for name, value in fields.items():
        setattr(feed, name, value)
    feed.save()
    return report


def feed_fetch(*, feed: Feed) -> FeedReport:
    """Fetch one feed and import its new entries; never raises for a bad feed or entry.

    The report says what happened; the feed row keeps the last status and
    error, and each entry its own.
    """
    try:
        page = url_fetch(url=feed.url, accept=FEED_ACCEPT, etag=feed.etag, last_modified=feed.last_modified)
    except ImportFailure as error:
        return _feed_save(feed, FeedReport(feed=feed, status=Feed.Status.FAILED, error=str(error)))
    if page.not_modified:
        return _feed_save(feed, FeedReport(feed=feed, status=Feed.Status.NOT_MODIFIED))

    parsed = feedparser.parse(page.body, response_headers={"content-type": page.content_type})
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom document found"
        error = f"{feed.url} is not a readable feed: {reason}"
        return _feed_save(feed, FeedReport(feed=feed, status=Feed.Status.FAILED, error=error))

    report = FeedReport(feed=feed, status=Feed.Status.OK)
    status = Article.Status.PUBLISHED if feed.publish else Article.Status.DRAFT
    for entry in parsed.entries:
        raw_link = (entry.get("link") or "").strip()
        link = canonical_url(None, urljoin(page.url, raw_link)) if raw_link else ""
        guid = _guid(entry)[:1000]
        title = " ".join((entry.get("title") or "").split())[:500]
        if not guid:
            report.skipped += 1
            continue
        if _already_imported(feed=feed, guid=guid, link=link):
            report.skipped += 1
            continue
        if link:
            result = url_import(url=link, status=status)
            error = result.error
        else:
            result, error = None, "the entry has no link to an article page"
        with transaction.atomic():
            record, _ = FeedEntry.objects.update_or_create(
                feed=feed,
                guid=guid,
                defaults={
                    "url": link[:1000],
                    "title": title,
                    "article": result.article if result and not result.failed else None,
                    "status": FeedEntry.Status.FAILED if error else FeedEntry.Status.IMPORTED,
                    "error": error,
                },
            )
        (report.failed if error else report.imported).append(record)

    fields = {"title": (parsed.feed.get("title") or feed.title or "").strip()[:300]}
    if report.failed:
        report.status = Feed.Status.PARTIAL
        report.error = (
            f"{len(report.failed)} of {len(parsed.entries)} entries failed; the first: {report.failed[0].error}"
        )
    else:
        # Only now is it safe to skip this version of the feed next time.
        fields.update(etag=page.etag[:300], last_modified=page.last_modified[:100])
    return _feed_save(feed, report, **fields)


def feeds_fetch(*, feeds=None, on_report=None) -> list[FeedReport]:
    """Fetch every active feed (or the given ones), each on its own: one failing stops nothing."""
    feeds = list(Feed.objects.filter(active=True) if feeds is None else feeds)
    reports = []
    for feed in feeds:
        report = feed_fetch(feed=feed)
        reports.append(report)
        if on_report:
            on_report(report)
    return reports


def feed_fetch_queue(*, feed_ids: list[int]) -> None:
    """Fetch the feeds in the background task worker, once the current transaction commits."""
    from .tasks import fetch_feed

    for feed_id in feed_ids:
        transaction.on_commit(lambda feed_id=feed_id: fetch_feed.enqueue(feed_id))
