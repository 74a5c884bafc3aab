"""Stored translations, one row per translated segment of an article.

A segment is the title, the lead caption, a body paragraph or a related
story's headline. Each row remembers the hash of the source text it must
translate (`source_hash`) and the hash of the source its current text was made
from (`text_source_hash`): when they differ the text is outdated, and the
machine may replace it, unless an editor reviewed it, in which case the
editor's text is kept aside (`previous_text`) and the segment flagged for review.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Translation(models.Model):
    class Kind(models.TextChoices):
        TITLE = "title", _("Title")
        LEAD_CAPTION = "lead_caption", _("Lead caption")
        PARAGRAPH = "paragraph", _("Paragraph")
        RELATED = "related", _("Related headline")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="translations")
    kind = models.CharField(_("segment"), max_length=20, choices=Kind.choices)
    paragraph = models.ForeignKey(
        "articles.Paragraph", on_delete=models.CASCADE, null=True, blank=True, related_name="translations"
    )
    related_story = models.ForeignKey(
        "articles.RelatedStory", on_delete=models.CASCADE, null=True, blank=True, related_name="translations"
    )
    target_lang = models.CharField(_("target language"), max_length=10)
    source_text = models.TextField(_("source text"), help_text=_("The Arabic text to translate, as it is now."))
    source_hash = models.CharField(max_length=64)
    text = models.TextField(_("translation"), blank=True)
    text_source_hash = models.CharField(
        max_length=64, blank=True, help_text="Hash of the source text the current translation was made from."
    )
    provider = models.CharField(_("provider"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(_("reason of the failure"), blank=True)
    failures = models.PositiveSmallIntegerField(
        default=0, help_text="Failures in a row since the last translation or change of source."
    )
    retry_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the worker sends this failed segment again by itself; empty: not by itself (the provider "
        "refused it: it waits for other settings or --retry-failed).",
    )
    failed_with = models.CharField(
        max_length=16,
        blank=True,
        help_text="The provider settings (a digest) the failure happened with: a failure under other settings "
        "is tried again, and its reason is not shown.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_translations",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        help_text=_("The source changed after an editor reviewed this translation."),
    )
    previous_text = models.TextField(
        _("previous reviewed translation"),
        blank=True,
        help_text=_("The editor's translation of the earlier source text, kept for reference."),
    )
    translated_at = models.DateTimeField(_("translated at"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["article", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "target_lang"],
                condition=Q(paragraph__isnull=False),
                name="translation_one_per_paragraph",
            ),
            models.UniqueConstraint(
                fields=["related_story", "target_lang"],
                condition=Q(related_story__isnull=False),
                name="translation_one_per_related_story",
            ),
            models.UniqueConstraint(
                fields=["article", "kind", "target_lang"],
                condition=Q(kind__in=["title", "lead_caption"]),
                name="translation_one_title_and_caption",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="paragraph", paragraph__isnull=False, related_story__isnull=True)
                    | Q(kind="related", paragraph__isnull=True, related_story__isnull=False)
                    | Q(kind__in=["title", "lead_caption"], paragraph__isnull=True, related_story__isnull=True)
                ),
                name="translation_kind_matches_target",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "done", "failed"]), name="translation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True) | ~Q(text=""),
                name="translation_reviewed_has_text",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.article_id} → {self.target_lang}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def is_current(self) -> bool:
        """True when the text translates the source as it is now."""
        return bool(self.text) and self.text_source_hash == self.source_hash
