"""Editors' annotations: notes, glosses, corrections and entity labels.

A span annotation keeps both W3C selectors: its position (start, end in code
points over the paragraph's original text, logical order) and its quote
(exact text with up to 32 characters of prefix and suffix), so that it
survives edits of the text. An article-level note has neither. Annotations
are never deleted by a change of text: at worst they are orphaned, kept with
their old quote, and listed for editors.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .entities import EntityType


class AnnotationQuerySet(models.QuerySet):
    def public(self):
        return self.filter(visibility=Annotation.Visibility.PUBLIC)

    def visible_to(self, user):
        if user is not None and user.is_active and user.has_perm("articles.view_annotation"):
            return self
        return self.public()

    def readable(self):
        """What a reader may be shown: not orphans, not declined corrections."""
        return self.exclude(anchor=Annotation.Anchor.ORPHANED).exclude(
            kind=Annotation.Kind.CORRECTION, status=Annotation.Status.RESOLVED, accepted=False
        )


class Annotation(models.Model):
    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        GLOSS = "gloss", _("Gloss")
        CORRECTION = "correction", _("Correction")
        ENTITY = "entity", _("Entity")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        EDITORS = "editors", _("Editors only")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    class CorrectionTarget(models.TextChoices):
        SOURCE = "source", _("The Arabic text")
        TRANSLATION = "translation", _("The translation")

    class Anchor(models.TextChoices):
        EXACT = "exact", _("Anchored")
        QUOTE = "quote", _("Moved with its text")
        FUZZY = "fuzzy", _("Re-anchored on similar text")
        ORPHANED = "orphaned", _("Orphaned: its text is gone")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="annotations")
    paragraph = models.ForeignKey(
        "articles.Paragraph",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="annotations",
        help_text=_("Empty for a note on the whole article."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.NOTE)
    body = models.TextField(_("text"), blank=True, help_text=_("The note, the gloss, or the reason for a correction."))
    proposed_text = models.TextField(_("proposed text"), blank=True, help_text=_("For corrections."))
    correction_target = models.CharField(
        _("correction of"), max_length=12, choices=CorrectionTarget.choices, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, blank=True)
    accepted = models.BooleanField(
        _("accepted"), default=False, help_text=_("A resolved correction an editor accepted.")
    )
    label = models.CharField(_("entity type"), max_length=4, choices=EntityType.choices, blank=True)
    mention = models.ForeignKey(
        "articles.Mention", on_delete=models.SET_NULL, null=True, blank=True, related_name="annotations"
    )
    # W3C TextPositionSelector and TextQuoteSelector.
    start = models.PositiveIntegerField(_("start"), null=True, blank=True)
    end = models.PositiveIntegerField(_("end"), null=True, blank=True)
    exact = models.TextField(_("quoted text"), blank=True)
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    anchor = models.CharField(_("anchoring"), max_length=10, choices=Anchor.choices, default=Anchor.EXACT)
    anchor_score = models.FloatField(null=True, blank=True)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="annotations"
    )
    # An imported annotation whose creator has no account here keeps their name.
    creator_name = models.CharField(_("creator's name"), max_length=200, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["article", "paragraph__position", "start", "created"]
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True) | Q(start__isnull=False, end__gt=F("start")),
                name="annotation_span_not_empty",
            ),
            models.CheckConstraint(
                condition=~Q(kind="correction") | Q(status__in=["open", "resolved"]),
                name="annotation_correction_has_status",
            ),
            models.CheckConstraint(
                condition=~Q(kind="entity") | Q(label__in=EntityType.values),
                name="annotation_entity_has_type",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "editors"]), name="annotation_visibility_valid"
            ),
        ]
        indexes = [models.Index(fields=["article", "anchor"])]

    def __str__(self):
        # The quote in its own direction (first strong letter, isolated), so that both
        # guillemets point outwards in an English or an Arabic sentence alike.
        where = f" \u2068«{self.exact[:40]}»\u2069" if self.exact else ""
        return f"{self.get_kind_display()}{where}"

    @property
    def is_span(self) -> bool:
        return bool(self.exact)

    @property
    def is_orphaned(self) -> bool:
        return self.anchor == Annotation.Anchor.ORPHANED

    @property
    def motivation(self) -> str:
        return {"note": "commenting", "gloss": "describing", "correction": "editing", "entity": "tagging"}[self.kind]
