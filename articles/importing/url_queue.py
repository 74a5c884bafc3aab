"""Imports from the web that a curator asked for in the admin ("Add from URL"), run by the task worker.

A page may take FETCH_TIMEOUT seconds to fetch, and a submission holds up to
FETCH_ADMIN_MAX_URLS of them: longer than a web request may last (gunicorn
kills a worker after 30 s). So the admin records each address as queued
(`url_imports_record`, queued by `tasks.url_imports_queue`) and shows their progress, and the task worker fetches
and imports each one (`url_import_run`, through the `import_queued_url`
task), writing what came of it on the address's row.
"""

import logging
import uuid

from django.contrib.admin.models import ADDITION, LogEntry
from django.utils import timezone

from ..models import Article, UrlImport
from .services import ImportResult
from .web import url_import

logger = logging.getLogger(__name__)


def url_imports_record(*, urls: list[str], draft: bool, overwrite_edits: bool, user) -> list[UrlImport]:
    """One queued row per address, in the order given, all in one new submission (`batch`)."""
    batch = uuid.uuid4()
    return UrlImport.objects.bulk_create(
        UrlImport(
            batch=batch,
            position=position,
            url=url,
            draft=draft,
            overwrite_edits=overwrite_edits,
            requested_by=user,
        )
        for position, url in enumerate(urls, start=1)
    )


def url_import_run(*, url_import_id: int) -> UrlImport | None:
    """Fetch and import one queued address and record its outcome on its row; never raises for a bad page.

    Returns None when the row is gone or already done (the task ran twice).
    A new article is entered in the admin history under the curator who asked.
    """
    claimed = UrlImport.objects.filter(pk=url_import_id, status__in=UrlImport.PENDING).update(
        status=UrlImport.Status.FETCHING, started_at=timezone.now()
    )
    if not claimed:
        return None
    row = UrlImport.objects.get(pk=url_import_id)
    status = Article.Status.DRAFT if row.draft else Article.Status.PUBLISHED
    try:
        result = url_import(url=row.url, status=status, overwrite_edits=row.overwrite_edits)
    except Exception as error:  # noqa: BLE001 - the row must say "failed", not "fetching" for ever
        logger.exception("import of %s failed unexpectedly", row.url)
        result = ImportResult(path=None, action="failed", error=f"unexpected error: {type(error).__name__}: {error}")
    row.status = result.action
    row.error = result.error
    row.article = None if result.failed else result.article
    row.finished_at = timezone.now()
    row.save(update_fields=["status", "error", "article", "finished_at"])
    if result.action == "created" and row.requested_by_id is not None:
        LogEntry.objects.log_actions(
            user_id=row.requested_by_id,
            queryset=[result.article],
            action_flag=ADDITION,
            change_message=[{"added": {}}],
            single_object=True,
        )
    return row
