"""The stored article: its metadata, its ordered paragraphs and the related
stories its page links to.

Paragraph text is kept exactly as imported. Every offset anywhere in the
project (entity mentions, annotations) counts Unicode code points over
`Paragraph.text`, in logical order.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def visible_to(self, user):
        """Published articles for everyone; drafts too for editors and admins."""
        if user is not None and user.is_active and user.has_perm("articles.view_article"):
            return self
        return self.published()

    def newest_first(self):
        return self.order_by(models.F("published").desc(nulls_last=True), "-id")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    source_id = models.CharField(
        _("source id"),
        max_length=200,
        unique=True,
        help_text=_("Stable id of the imported source; re-importing the same id updates this article."),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=500)
    category = models.CharField(_("category"), max_length=100, blank=True)
    section = models.CharField(_("section"), max_length=100, blank=True)
    dateline = models.CharField(_("dateline"), max_length=100, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    published = models.DateField(_("publication date"), null=True, blank=True)
    lead_caption = models.TextField(_("lead image caption"), blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=1000, blank=True, help_text=_("File name or URL."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    search_text = models.TextField(
        blank=True,
        editable=False,
        help_text="Normalised title and text (no diacritics, unified alef forms) for search.",
    )
    title_key = models.CharField(
        max_length=500,
        blank=True,
        editable=False,
        db_index=True,
        help_text="The title folded as search folds it: a related story names an article by its headline.",
    )
    imported_at = models.DateTimeField(_("last imported"), null=True, blank=True, editable=False)
    edited_at = models.DateTimeField(
        _("last edited in the admin"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("A re-import of a changed file refuses to overwrite edits made after the last import."),
    )
    # Nullable: SQLite adds the column in place (a NOT NULL one rebuilds the table, which its triggers forbid).
    read_as_encyclopedia = models.BooleanField(
        _("names read as an encyclopedia names them"),
        null=True,
        editable=False,
        help_text=_(
            "Set by recognition with the shipped model: whether it read the article as an encyclopedia "
            "article, whose conventions differ from news (a people or a dynasty may be a person). "
            "Empty until then."
        ),
    )
    # An editor's choice wins over that judgement at the next recognition (None: the machine judges).
    encyclopedia_by_editor = models.BooleanField(
        _("read as an encyclopedia, as an editor chose"),
        null=True,
        editable=False,
        help_text=_(
            "An editor's choice of how names are read here: as an encyclopedia names them (yes) or as news "
            "does (no). Empty: as recognition judges the text."
        ),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [models.F("published").desc(nulls_last=True), "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            # The home page and the API list: published, newest first (the id breaks ties).
            models.Index(fields=["status", "-published", "-id"], name="article_listing"),
            # The admin's section filter.
            models.Index(fields=["section"], name="article_section"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["draft", "published"]), name="article_status_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def has_unimported_edits(self) -> bool:
        """Edited in the admin since it was last imported."""
        return self.edited_at is not None and (self.imported_at is None or self.edited_at > self.imported_at)


class Paragraph(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="paragraph_position_unique"),
            models.CheckConstraint(condition=Q(position__gte=1), name="paragraph_position_from_one"),
            models.CheckConstraint(condition=~Q(text=""), name="paragraph_text_not_empty"),
        ]

    def __str__(self):
        # Its number, as editors count paragraphs ("Paragraph: 3" in the admin).
        return str(self.position)

    @property
    def anchor(self):
        """Fragment id of this paragraph's row on the article page."""
        return f"p{self.position}"


class RelatedStory(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_stories")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("headline"), max_length=500)
    caption = models.TextField(_("image caption"), blank=True)
    section = models.CharField(_("section"), max_length=100, blank=True)

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("related story")
        verbose_name_plural = _("related stories")
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="related_position_unique"),
            models.CheckConstraint(condition=~Q(title=""), name="related_title_not_empty"),
        ]

    def __str__(self):
        return self.title


class ArticleSlug(models.Model):
    """A slug an article had before: its old URLs redirect to the article as it is named now."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(_("old slug"), max_length=200, unique=True)
    created = models.DateTimeField(_("replaced"), auto_now_add=True)

    class Meta:
        verbose_name = _("old slug")
        verbose_name_plural = _("old slugs")

    def __str__(self):
        return self.slug
