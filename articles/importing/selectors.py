"""Reads for the importing pages of the admin."""

import uuid
from dataclasses import dataclass

from ..models import UrlImport


@dataclass
class UrlImportProgress:
    """What the progress page of one "Add from URL" submission shows: its addresses in the
    order they were pasted, each with its state, and how many are in each state."""

    batch: uuid.UUID
    rows: list[UrlImport]

    @property
    def pending(self) -> int:
        return sum(row.pending for row in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        return {status: sum(row.status == status for row in self.rows) for status in UrlImport.Status.values}


def url_import_progress(*, batch: uuid.UUID) -> UrlImportProgress | None:
    """The submission's addresses with their articles, in one query; None when there is no such submission."""
    rows = list(UrlImport.objects.filter(batch=batch).select_related("article").order_by("position"))
    return UrlImportProgress(batch=batch, rows=rows) if rows else None
