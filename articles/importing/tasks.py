"""Background fetching from the web, run by the task worker (`manage.py db_worker`):
feeds, and the addresses curators asked for in the admin."""

import uuid

from django.db import transaction
from django_tasks import task

from ..models import Feed
from .url_queue import url_import_run, url_imports_record


@task()
def fetch_feed(feed_id: int) -> dict:
    from .feeds import feed_fetch

    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None:
        return {"skipped": "the feed no longer exists"}
    report = feed_fetch(feed=feed)
    return {
        "status": report.status,
        "error": report.error,
        "imported": len(report.imported),
        "failed": len(report.failed),
        "given_up": len(report.given_up),
        "skipped": report.skipped,
        "left_out": report.left_out,
    }


@task()
def import_queued_url(url_import_id: int) -> dict:
    row = url_import_run(url_import_id=url_import_id)
    if row is None:
        return {"skipped": "the address is gone or already imported"}
    return {"url": row.url, "status": row.status, "error": row.error, "article": row.article_id}


def url_imports_queue(*, urls: list[str], draft: bool, overwrite_edits: bool, user) -> uuid.UUID:
    """Record the addresses and queue each one's fetch for the task worker once the transaction
    commits; returns the submission's id, whose progress `url_import_progress` reads."""
    with transaction.atomic():
        rows = url_imports_record(urls=urls, draft=draft, overwrite_edits=overwrite_edits, user=user)
        for row in rows:
            transaction.on_commit(lambda pk=row.pk: import_queued_url.enqueue(pk))
    return rows[0].batch
