"""News feeds (RSS, Atom) that curators follow, and the entries already seen in each.

An entry is remembered by its GUID (or its link when it has none), so that an
entry is downloaded once: after that the article is updated only by an
explicit import of its URL. A failed entry is remembered with its reason and
tried again at the next fetch of its feed, until it has failed
`FEED_ENTRY_MAX_ATTEMPTS` times: then it is given up, and no longer costs a
download at every fetch.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .articles import Article


class Feed(models.Model):
    class Status(models.TextChoices):
        NEVER = "never", pgettext_lazy("feed status", "Never fetched")
        OK = "ok", pgettext_lazy("feed status", "OK")
        NOT_MODIFIED = "not_modified", pgettext_lazy("feed status", "Not modified")
        PARTIAL = "partial", pgettext_lazy("feed status", "Some entries failed")
        FAILED = "failed", pgettext_lazy("feed status", "Failed")

    url = models.URLField(_("feed URL"), max_length=1000, unique=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    publish = models.BooleanField(
        _("publish automatically"),
        default=False,
        help_text=_("New articles from this feed are published at once; otherwise they are kept as drafts."),
    )
    active = models.BooleanField(_("active"), default=True, help_text=_("Fetched by fetch_feeds."))
    etag = models.CharField(_("ETag"), max_length=300, blank=True, editable=False)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True, editable=False)
    last_status = models.CharField(
        _("last status"), max_length=20, choices=Status.choices, default=Status.NEVER, editable=False
    )
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_left_out = models.PositiveIntegerField(
        _("entries left out"),
        default=0,
        editable=False,
        help_text=_("Entries beyond FEED_MAX_ENTRIES (the newest first) that the last fetch did not consider."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["title", "url"]
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_status__in=["never", "ok", "not_modified", "partial", "failed"]),
                name="feed_status_valid",
            ),
        ]

    def __str__(self):
        return self.title or self.url


class FeedEntry(models.Model):
    class Status(models.TextChoices):
        IMPORTED = "imported", pgettext_lazy("feed entry", "Imported")
        FAILED = "failed", pgettext_lazy("feed entry", "Failed")
        GIVEN_UP = "given_up", pgettext_lazy("feed entry", "Given up")

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    guid = models.CharField(_("GUID"), max_length=1000)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="feed_entries")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    error = models.TextField(_("error"), blank=True)
    failures = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_attempt = models.DateTimeField(_("last attempt"), auto_now=True)

    class Meta:
        ordering = ["-first_seen", "-id"]
        verbose_name = _("feed entry")
        verbose_name_plural = _("feed entries")
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="feed_entry_guid_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["imported", "failed", "given_up"]), name="feed_entry_status_valid"
            ),
        ]

    def __str__(self):
        return self.title or self.url or self.guid
