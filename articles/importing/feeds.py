"""Following RSS and Atom feeds: each new entry's page is imported like a URL.

A feed is fetched with a conditional GET (its last ETag and Last-Modified),
parsed by feedparser from the bytes our own client fetched (limits and the
address guard apply), and each entry not seen before is fetched and imported
through `url_import`. An entry already imported (same GUID in this feed, or
its link already the source of an article) is not downloaded again. A broken
entry is recorded with its reason and the others go on; the feed's validators
are kept only when every entry went through, so that the next run sees the
failed entries again instead of a 304.

Bounds, so that one feed cannot hold the worker or fill the database: a
fetch considers the newest `FEED_MAX_ENTRIES` entries only (by date when
every entry has one, else in the feed's order, which feeds keep newest
first) and says how many it left out, so it downloads and writes at most that
many; an entry that failed `FEED_ENTRY_MAX_ATTEMPTS` times is given up (kept,
with its last reason, and no longer downloaded), so a permanently broken
entry does not cost a download at every run nor keep the feed's validators
away for ever.
"""

from dataclasses import dataclass, field
from urllib.parse import urljoin

import feedparser
from django.conf import settings
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
    failed: list[FeedEntry] = field(default_factory=list)  # to be tried again at the next fetch
    given_up: list[FeedEntry] = field(default_factory=list)  # failed for the last allowed time now
    skipped: int = 0
    left_out: int = 0  # entries beyond FEED_MAX_ENTRIES, not considered

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


def _entries_newest_first(entries: list) -> list:
    """The entries newest first: by date when every entry has one, else as the feed lists them."""
    dates = [entry.get("published_parsed") or entry.get("updated_parsed") for entry in entries]
    if not all(dates):
        return list(entries)
    order = sorted(range(len(entries)), key=lambda index: tuple(dates[index])[:6], reverse=True)
    return [entries[index] for index in order]


def _imported_elsewhere(*, feed: Feed, guid: str, link: str) -> FeedEntry | None:
    """The link is already an article's source: remember the entry as imported, without a download."""
    article = Article.objects.filter(Q(source=link) | Q(source_id=link)).first() if link else None
    if article is None:
        return None
    record, _ = FeedEntry.objects.update_or_create(
        feed=feed,
        guid=guid,
        defaults={"url": link, "article": article, "status": FeedEntry.Status.IMPORTED, "error": ""},
    )
    return record


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
    entries = _entries_newest_first(parsed.entries)
    considered = entries[: settings.FEED_MAX_ENTRIES]
    report.left_out = len(entries) - len(considered)
    guids = [_guid(entry)[:1000] for entry in considered]
    known = {row.guid: row for row in FeedEntry.objects.filter(feed=feed, guid__in=[guid for guid in guids if guid])}
    for entry, guid in zip(considered, guids, strict=True):
        raw_link = (entry.get("link") or "").strip()
        link = canonical_url(None, urljoin(page.url, raw_link)) if raw_link else ""
        title = " ".join((entry.get("title") or "").split())[:500]
        seen = known.get(guid)
        if not guid or (seen and seen.status in (FeedEntry.Status.IMPORTED, FeedEntry.Status.GIVEN_UP)):
            report.skipped += 1
            continue
        elsewhere = _imported_elsewhere(feed=feed, guid=guid, link=link)
        if elsewhere is not None:
            known[guid] = elsewhere
            report.skipped += 1
            continue
        if link:
            result = url_import(url=link, status=status)
            error = result.error
        else:
            result, error = None, "the entry has no link to an article page"
        failures = (seen.failures if seen else 0) + bool(error)
        if not error:
            entry_status = FeedEntry.Status.IMPORTED
        elif failures >= settings.FEED_ENTRY_MAX_ATTEMPTS:
            entry_status = FeedEntry.Status.GIVEN_UP
        else:
            entry_status = FeedEntry.Status.FAILED
        with transaction.atomic():
            record, _ = FeedEntry.objects.update_or_create(
                feed=feed,
                guid=guid,
                defaults={
                    "url": link[:1000],
                    "title": title,
                    "article": result.article if result and not result.failed else None,
                    "status": entry_status,
                    "error": error,
                    "failures": failures,
                },
            )
        known[guid] = record
        if entry_status == FeedEntry.Status.IMPORTED:
            report.imported.append(record)
        elif entry_status == FeedEntry.Status.GIVEN_UP:
            report.given_up.append(record)
        else:
            report.failed.append(record)

    fields = {"title": (parsed.feed.get("title") or feed.title or "").strip()[:300], "last_left_out": report.left_out}
    broken = report.failed + report.given_up
    if broken:
        report.status = Feed.Status.PARTIAL
        report.error = f"{len(broken)} of {len(considered)} entries failed; the first: {broken[0].error}"
        if report.given_up:
            report.error += (
                f" ({len(report.given_up)} given up after {settings.FEED_ENTRY_MAX_ATTEMPTS} failed attempts)"
            )
    if not report.failed:
        # Only now is it safe to skip this version of the feed next time: no entry is waiting for another try.
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
