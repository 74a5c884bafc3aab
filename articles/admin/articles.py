"""Admin for articles: paragraphs and related stories inline, publishing, the annotation workspace."""

from functools import partial

from django.contrib import admin, messages
from django.db.models import Q
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..annotations.services import paragraph_removing
from ..forms import ArticleAdminForm, ParagraphAdminForm, RelatedStoryAdminForm
from ..models import Article, Paragraph, RelatedStory
from ..search import article_ids_matching, search_terms
from ..task_progress import article_pending_work
from ..translation.services import article_translation_requeue
from . import importing
from .annotate import annotate_urls
from .history import history_urls, orphans_warning, versions_context
from .progress import (
    RecognitionProgress,
    TranslationProgress,
    articles_with_progress,
    recognition_progress_text,
    translation_progress_text,
)
from .search import BoundedSearchMixin


class ParagraphInline(admin.StackedInline):
    """One block per paragraph, headed by its number, its Arabic full width and right to left."""

    model = Paragraph
    form = ParagraphAdminForm
    extra = 0
    fields = ["position", "text"]
    ordering = ["position"]
    classes = ["paragraphs-inline"]


class RelatedStoryInline(admin.StackedInline):
    model = RelatedStory
    form = RelatedStoryAdminForm
    extra = 0
    fields = [("position", "section"), "title", "caption"]
    ordering = ["position"]
    classes = ["collapse"]


class TranslationProgressFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return TranslationProgress.choices

    def queryset(self, request, queryset):
        if self.value() in TranslationProgress.values:
            return queryset.filter(translation_progress=self.value())
        return queryset


class RecognitionProgressFilter(admin.SimpleListFilter):
    title = _("named entities")
    parameter_name = "entities"

    def lookups(self, request, model_admin):
        return RecognitionProgress.choices

    def queryset(self, request, queryset):
        if self.value() in RecognitionProgress.values:
            return queryset.filter(recognition_progress=self.value())
        return queryset


@admin.register(Article)
class ArticleAdmin(BoundedSearchMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "arabic_title",
        "section",
        "published",
        "status",
        "translation_state",
        "recognition_state",
        "annotate_link",
    ]
    list_filter = [
        "status",
        TranslationProgressFilter,
        RecognitionProgressFilter,
        "section",
        ("published", admin.DateFieldListFilter),
    ]
    search_fields = ["title", "source_id", "slug"]
    search_help_text = _("Searches titles and text; diacritics and alef/ya/ta marbuta spellings are ignored.")
    date_hierarchy = "published"
    readonly_fields = ["created", "modified"]
    fieldsets = [
        (None, {"fields": ["title", "status", "slug"]}),
        (_("Metadata"), {"fields": ["category", "section", "dateline", "author", "published", "lead_caption", "tags"]}),
        (_("Source"), {"fields": ["source_id", "source", "created", "modified"], "classes": ["collapse"]}),
    ]
    inlines = [ParagraphInline, RelatedStoryInline]
    actions = ["publish", "unpublish", "requeue_translation"]
    change_form_template = "admin/articles/article/change_form.html"
    object_history_template = "admin/articles/article/object_history.html"

    class Media:
        js = ["js/work_progress.js"]

    # The article's pages are workspaces: they take the window's whole width
    # (Django's sidebar of models would leave the text and the list too little).
    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"is_nav_sidebar_enabled": False, **(extra_context or {})})

    def render_change_form(self, request, context, *args, **kwargs):
        context["is_nav_sidebar_enabled"] = False
        article = context.get("original")
        if article is not None and article.pk:
            # Recognition or translation still to come says so here, and the page notices when it is done.
            context["pending_work"] = article_pending_work(article_id=article.pk)
            context["progress_url"] = reverse("admin:articles_article_progress", args=[article.pk])
        return super().render_change_form(request, context, *args, **kwargs)

    def get_urls(self):
        return [
            *annotate_urls(self),
            *history_urls(self),
            path(
                "import-url/",
                self.admin_site.admin_view(partial(importing.url_import_view, self)),
                name="articles_article_import_url",
            ),
            path(
                "import-url/<uuid:batch>/",
                self.admin_site.admin_view(partial(importing.url_import_progress_view, self)),
                name="articles_article_import_url_progress",
            ),
            path(
                "upload/",
                self.admin_site.admin_view(partial(importing.upload_view, self)),
                name="articles_article_upload",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, object_id)
        if article is not None and self.has_view_or_change_permission(request, article):
            extra_context = {**versions_context(article=article, user=request.user), **(extra_context or {})}
        return super().history_view(request, object_id, extra_context)

    @admin.display(description=_("title"), ordering="title")
    def arabic_title(self, obj):
        # Arabic whatever the admin's language: right to left, aligned to the right.
        return format_html('<span class="arabic-title" lang="ar" dir="rtl">{}</span>', obj.title)

    @admin.display(description=_("annotations"))
    def annotate_link(self, obj):
        return format_html(
            '<a class="annotate-link" href="{}">{}</a>',
            reverse("admin:articles_article_annotate", args=[obj.pk]),
            _("Annotate"),
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Paragraph:
            return super().save_formset(request, form, formset, change)
        # Deleted paragraphs orphan their annotations (edited ones are
        # re-anchored with the rest of the article in save_related).
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                paragraph_removing(paragraph=deleted.instance)
        super().save_formset(request, form, formset, change)

    def get_queryset(self, request):
        return articles_with_progress(queryset=super().get_queryset(request))

    @admin.display(description=_("translation"), ordering="translation_progress")
    def translation_state(self, obj):
        url = reverse("admin:articles_translation_changelist") + f"?article__id__exact={obj.pk}"
        return format_html(
            '<a class="progress progress-{}" href="{}">{}</a>',
            obj.translation_progress,
            url,
            translation_progress_text(article=obj),
        )

    @admin.display(description=_("named entities"), ordering="recognition_progress")
    def recognition_state(self, obj):
        url = reverse("admin:articles_mention_changelist") + f"?article__id__exact={obj.pk}"
        return format_html(
            '<a class="progress progress-{}" href="{}">{}</a>',
            obj.recognition_progress,
            url,
            recognition_progress_text(article=obj),
        )

    def get_search_results(self, request, queryset, search_term):
        """Articles matching every word of the query (the site's search, drafts included), or by id or slug."""
        terms = search_terms(search_term)
        if not terms.text:
            return queryset, False
        by_id = Q(source_id__icontains=terms.text) | Q(slug__icontains=terms.text)
        if not terms:
            return queryset.filter(by_id), False
        return queryset.filter(Q(pk__in=article_ids_matching(terms)) | by_id), False

    def save_model(self, request, obj, form, change):
        # What the article's texts were before this save, for the one rule
        # every path follows when text changes. Kept on the object, not on
        # this admin, which all requests share.
        obj.texts_before_save = services.article_change_begin(obj if change else None)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        text_change = services.article_text_changed(
            article=article, before=article.texts_before_save, by_editor=True, user=request.user
        )
        if text_change.orphaned:
            orphans_warning(self, request, article=article, orphaned=text_change.orphaned)

    @admin.action(description=_("Publish selected articles"), permissions=["change"])
    def publish(self, request, queryset):
        count = services.articles_set_status(articles=queryset, status=Article.Status.PUBLISHED)
        self.message_user(
            request, ngettext("%d article published.", "%d articles published.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("Unpublish selected articles"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = services.articles_set_status(articles=queryset, status=Article.Status.DRAFT)
        self.message_user(
            request, ngettext("%d article unpublished.", "%d articles unpublished.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("Re-queue translation of selected articles"), permissions=["change"])
    def requeue_translation(self, request, queryset):
        total = sum(article_translation_requeue(article=article) for article in queryset)
        self.message_user(
            request,
            _("Translation queued for %(articles)d article(s); %(segments)d failed segment(s) will be retried.")
            % {"articles": queryset.count(), "segments": total},
            messages.SUCCESS,
        )
