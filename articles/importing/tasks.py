"""Background feed fetching, run by the task worker (`manage.py db_worker`)."""

from django_tasks import task

from ..models import Feed


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
        "skipped": report.skipped,
    }
