"""Addresses a curator asked the admin to import ("Add from URL"), and what came of each.

Fetching a page can take up to FETCH_TIMEOUT seconds, ten pages ten times
that: more than a web request may last. So the admin only records each
address here as queued and the task worker fetches it, writing its outcome
on the same row; the admin's progress page reads these rows. One submission
is one `batch`; its addresses keep the order they were pasted in.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .articles import Article


class UrlImport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("import result", "queued")
        FETCHING = "fetching", pgettext_lazy("import result", "fetching")
        CREATED = "created", pgettext_lazy("import result", "created")
        UPDATED = "updated", pgettext_lazy("import result", "updated")
        UNCHANGED = "unchanged", pgettext_lazy("import result", "unchanged")
        FAILED = "failed", pgettext_lazy("import result", "failed")

    PENDING = (Status.QUEUED, Status.FETCHING)

    batch = models.UUIDField(_("submission"), default=uuid.uuid4, db_index=True, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    url = models.URLField(_("address"), max_length=2048)
    draft = models.BooleanField(_("new article as a draft"), default=True)
    overwrite_edits = models.BooleanField(_("may replace an admin edit"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="url_imports",
        verbose_name=_("requested by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("reason"), blank=True)
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="url_imports",
        verbose_name=_("article"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "batch", "position"]
        verbose_name = _("import from the web")
        verbose_name_plural = _("imports from the web")
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="url_import_position_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "fetching", "created", "updated", "unchanged", "failed"]),
                name="url_import_status_valid",
            ),
        ]

    def __str__(self):
        return self.url

    @property
    def pending(self) -> bool:
        return self.status in self.PENDING
