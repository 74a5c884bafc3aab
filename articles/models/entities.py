"""Named entities: the curated gazetteer and the mentions found in paragraphs.

A mention lives in one segment of an article (title, lead caption, paragraph,
related headline or caption); its span counts Unicode code points over that
segment's text, in logical order, end exclusive. Machines (the gazetteer matcher, the camel-tools
model, the shipped CRF model) only ever write `suggested` mentions; editors confirm, reject, retype,
link or add, and recognition never undoes an editor's decision.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..segments import SegmentKind, segment_key
from ..untrusted_json import text_problem


class EntityType(models.TextChoices):
    PERS = "PERS", _("Person")
    LOC = "LOC", _("Place")
    ORG = "ORG", _("Organisation")
    MISC = "MISC", _("Other")


def names_in(value) -> list[str]:
    """The usable names of an aliases field: non-empty strings a page can show (no NUL, no lone
    surrogate), whatever else a bad row holds."""
    if not isinstance(value, list):
        return []
    return [name for name in value if isinstance(name, str) and name.strip() and text_problem(name) is None]


def validate_names(value) -> None:
    """Aliases are a JSON list of non-empty strings (`["سوريا", "سورية"]`)."""
    if not isinstance(value, list):
        raise ValidationError(
            _('Enter a list of names, e.g. ["name one", "name two"]; got %(kind)s.'),
            code="not_a_list",
            params={"kind": "null" if value is None else type(value).__name__},
        )
    for position, name in enumerate(value, 1):
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(
                _("Name %(position)d is not a name: %(value)s. Every alias must be a non-empty text."),
                code="not_a_name",
                params={"position": position, "value": repr(name)},
            )


WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")


def wikidata_id_clean(value: str) -> str:
    """A Wikidata item id as editors paste it (`Q406`, `q406`, or the item's address), or
    ValidationError: the id is an editor's, never looked up or made up here."""
    value = (value or "").strip()
    if not value:
        return ""
    found = re.fullmatch(r"(?:https?://(?:www\.|m\.)?wikidata\.org/(?:wiki|entity)/)?([Qq][0-9]+)/?", value)
    item = found.group(1).upper() if found else ""
    if not WIKIDATA_ID.fullmatch(item):
        raise ValidationError(
            _("A Wikidata id is Q followed by digits (Q406), or the item's address; got %(value)s."),
            code="wikidata_id",
            params={"value": value},
        )
    return item


class Entity(models.Model):
    class Source(models.TextChoices):
        CLDR = "cldr", _("CLDR (Babel)")
        ISO = "iso", _("iso-codes (pycountry)")
        CURATED = "curated", _("Project's curated list")
        EDITOR = "editor", _("Editor")
        RECOGNISED = "recognised", _("Recognised in articles")

    class NameSource(models.TextChoices):
        """Where the English name comes from: a reader is told when nobody checked it."""

        SEED = "seed", _("the gazetteer's source")
        NAMES = "names", _("names list (arwikicats)")
        EDITOR = "editor", _("editor")
        ROMANISED = "romanised", _("romanised, not checked")

    key = models.CharField(
        _("stable key"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Key of the seeded entry (e.g. country:TR); empty for entities editors create."),
    )
    name_ar = models.CharField(_("Arabic name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        validators=[validate_names],
        help_text=_("Other Arabic spellings."),
    )
    aliases_en = models.JSONField(
        _("English aliases"),
        default=list,
        blank=True,
        validators=[validate_names],
        help_text=_("Other English names a translation may use (Turkey for Türkiye)."),
    )
    type = models.CharField(_("type"), max_length=4, choices=EntityType.choices)
    description = models.TextField(_("description"), blank=True)
    wikidata_id = models.CharField(_("Wikidata id"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.EDITOR)
    name_en_source = models.CharField(
        _("English name from"), max_length=10, choices=NameSource.choices, default=NameSource.SEED
    )
    edited_by_editor = models.BooleanField(
        default=False,
        editable=False,
        help_text="Set when an editor saves, merges or splits it: reseeding and recognition leave it alone, "
        "and a recognised entity an editor kept joins the gazetteer.",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    article_count = models.PositiveIntegerField(
        _("articles"),
        default=0,
        editable=False,
        help_text="Published articles with a shown mention anyone may see; kept by database triggers "
        "(articles.entity_counts).",
    )

    class Meta:
        ordering = ["name_ar"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities (gazetteer)")
        constraints = [
            models.CheckConstraint(condition=Q(type__in=EntityType.values), name="entity_type_valid"),
            models.CheckConstraint(condition=~Q(name_ar=""), name="entity_name_not_empty"),
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=r"^Q[0-9]+$"), name="entity_wikidata_id_valid"
            ),
            models.CheckConstraint(
                condition=Q(name_en_source__in=["seed", "names", "editor", "romanised"]),
                name="entity_name_en_source_valid",
            ),
        ]

    def __str__(self):
        return f"{self.name_ar} ({self.name_en})" if self.name_en else self.name_ar

    def get_absolute_url(self):
        return reverse("articles:entity", kwargs={"pk": self.pk})

    @property
    def romanised(self) -> bool:
        """Whether the English name is a romanisation nobody has checked."""
        return self.name_en_source == self.NameSource.ROMANISED

    @property
    def arabic_aliases(self) -> list[str]:
        """The usable Arabic aliases (bad stored rows are skipped)."""
        return names_in(self.aliases)

    @property
    def english_names(self) -> list[str]:
        """The English name and the usable English aliases (bad stored rows are skipped)."""
        return [name for name in [self.name_en, *names_in(self.aliases_en)] if name]


def sees_editors_only(user) -> bool:
    """Whether `user` (or None) may read editors-only annotations and the mentions behind them."""
    return user is not None and user.is_active and user.has_perm("articles.view_annotation")


class MentionQuerySet(models.QuerySet):
    def shown(self):
        """Mentions a reader sees: everything not rejected by an editor."""
        return self.exclude(status=Mention.Status.REJECTED)

    def public(self):
        """Mentions anyone may see: not those that only an editors-only entity
        annotation stands behind (their visibility follows the annotation)."""
        from .annotations import Annotation

        linked = Annotation.objects.filter(mention=OuterRef("pk"), kind=Annotation.Kind.ENTITY)
        return self.filter(
            ~Exists(linked.filter(visibility=Annotation.Visibility.EDITORS))
            | Exists(linked.filter(visibility=Annotation.Visibility.PUBLIC))
        )

    def visible_to(self, user):
        """Every mention for those who may read editors-only annotations; public ones for others."""
        if sees_editors_only(user):
            return self
        return self.public()


class Mention(models.Model):
    class Source(models.TextChoices):
        MODEL = "model", _("camel-tools model")
        GAZETTEER = "gazetteer", _("gazetteer")
        SHIPPED = "crf", _("shipped model (CRF)")
        EDITOR = "editor", _("editor")

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="mentions")
    kind = models.CharField(_("in"), max_length=20, choices=SegmentKind.choices, default=SegmentKind.PARAGRAPH)
    paragraph = models.ForeignKey(
        "articles.Paragraph", on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    related_story = models.ForeignKey(
        "articles.RelatedStory", on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    start = models.PositiveIntegerField(_("start"), help_text=_("Code point offset in the segment's text."))
    end = models.PositiveIntegerField(_("end"), help_text=_("Code point offset, exclusive."))
    text = models.CharField(_("surface text"), max_length=500)
    label = models.CharField(_("type"), max_length=4, choices=EntityType.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    score = models.FloatField(
        _("confidence"),
        null=True,
        blank=True,
        help_text=_(
            "How sure the recogniser was, 0–1 (the shipped model's marginal probability; 1 for the gazetteer)."
        ),
    )
    entity = models.ForeignKey(
        Entity, on_delete=models.SET_NULL, null=True, blank=True, related_name="mentions", verbose_name=_("entity")
    )
    status = models.CharField(_("decision"), max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "kind", "paragraph", "related_story", "start", "end"]
        verbose_name = _("entity mention")
        verbose_name_plural = _("entity mentions")
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "start", "end"],
                condition=Q(paragraph__isnull=False),
                name="mention_one_per_paragraph_span",
            ),
            models.UniqueConstraint(
                fields=["related_story", "kind", "start", "end"],
                condition=Q(related_story__isnull=False),
                name="mention_one_per_related_span",
            ),
            models.UniqueConstraint(
                fields=["article", "kind", "start", "end"],
                condition=Q(kind__in=["title", "lead_caption"]),
                name="mention_one_per_article_span",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="paragraph", paragraph__isnull=False, related_story__isnull=True)
                    | Q(kind__in=["related", "related_caption"], paragraph__isnull=True, related_story__isnull=False)
                    | Q(kind__in=["title", "lead_caption"], paragraph__isnull=True, related_story__isnull=True)
                ),
                name="mention_kind_matches_target",
            ),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="mention_span_not_empty"),
            models.CheckConstraint(condition=Q(label__in=EntityType.values), name="mention_label_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["suggested", "confirmed", "rejected"]), name="mention_status_valid"
            ),
        ]
        indexes = [
            # An entity's page and the article counts in tooltips read (entity, status, article) only.
            models.Index(fields=["entity", "status", "article"], name="mention_entity_articles"),
        ]

    def __str__(self):
        return f"{self.text} [{self.label}] {self.start}–{self.end}"

    @property
    def segment_text(self) -> str:
        """The text the span counts over (reads the paragraph, article or related story)."""
        if self.kind == SegmentKind.PARAGRAPH:
            return self.paragraph.text
        if self.kind == SegmentKind.RELATED:
            return self.related_story.title
        if self.kind == SegmentKind.RELATED_CAPTION:
            return self.related_story.caption
        if self.kind == SegmentKind.TITLE:
            return self.article.title
        return self.article.lead_caption

    @property
    def segment_key(self) -> tuple:
        return segment_key(self.kind, self.paragraph_id, self.related_story_id)

    @property
    def is_editor_decision(self) -> bool:
        return self.status != self.Status.SUGGESTED or self.source == self.Source.EDITOR
