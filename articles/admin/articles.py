"""Admin for articles: paragraphs and related stories inline, publishing, the annotation workspace."""

from django.contrib import admin, messages
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..annotations.services import (
    annotation_create,
    paragraph_removing,
    paragraph_text_changed,
)
from ..arabic import normalize_for_search
from ..forms import AnnotateForm, ArticleAdminForm, ParagraphAdminForm, RelatedStoryAdminForm
from ..models import Article, Paragraph, RelatedStory
from ..selectors import annotation_workspace
from ..translation.services import article_translation_requeue
from .progress import (
    RecognitionProgress,
    TranslationProgress,
    articles_with_progress,
    recognition_progress_text,
    translation_progress_text,
)


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
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "section", "published", "status", "translation_state", "recognition_state"]
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

    # The article's pages are workspaces: they take the window's whole width
    # (Django's sidebar of models would leave the text and the list too little).
    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"is_nav_sidebar_enabled": False, **(extra_context or {})})

    def render_change_form(self, request, context, *args, **kwargs):
        context["is_nav_sidebar_enabled"] = False
        return super().render_change_form(request, context, *args, **kwargs)

    def get_urls(self):
        return [
            path(
                "<int:article_id>/annotate/",
                self.admin_site.admin_view(self.annotate_view),
                name="articles_article_annotate",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, object_id)
        if article is not None and request.user.has_perm("articles.view_annotation"):
            extra_context["workspace"] = annotation_workspace(article=article)
            extra_context["annotate_form"] = AnnotateForm(article=article)
            extra_context["can_annotate"] = request.user.has_perm("articles.add_annotation")
        return super().change_view(request, object_id, form_url, extra_context)

    def annotate_view(self, request, article_id):
        """Save an annotation made by selecting words on the article's page (POST only)."""
        article = get_object_or_404(Article, pk=article_id)
        back = reverse("admin:articles_article_change", args=[article.pk]) + "#annotate"
        wants_json = "application/json" in request.headers.get("Accept", "")
        if request.method != "POST" or not request.user.has_perm("articles.add_annotation"):
            if wants_json:
                return JsonResponse({"ok": False, "errors": [str(_("You may not add annotations."))]}, status=403)
            self.message_user(request, _("You may not add annotations."), messages.ERROR)
            return redirect(back)
        form = AnnotateForm(request.POST, article=article)
        if not form.is_valid():
            errors = [str(error) for errors in form.errors.values() for error in errors]
            if wants_json:
                return JsonResponse({"ok": False, "errors": errors}, status=400)
            self.message_user(request, _("Nothing was saved: %s") % " ".join(errors), messages.ERROR)
            return redirect(back)
        annotation = annotation_create(article=article, user=request.user, **form.annotation_fields())
        self.log_addition(request, annotation, [{"added": {}}])
        message = _("Saved the %(kind)s on «%(quote)s».") % {
            "kind": annotation.get_kind_display().lower(),
            "quote": annotation.exact or article.title,
        }
        if wants_json:
            return JsonResponse({"ok": True, "id": annotation.pk, "message": message})
        self.message_user(request, message, messages.SUCCESS)
        return redirect(back)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Paragraph:
            return super().save_formset(request, form, formset, change)
        # Edited paragraphs take their annotations along; deleted ones orphan them.
        edited = [
            (f.instance, f.initial["text"])
            for f in formset.forms
            if f.instance.pk and "text" in f.changed_data and f not in formset.deleted_forms
        ]
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                paragraph_removing(paragraph=deleted.instance)
        super().save_formset(request, form, formset, change)
        for paragraph, old_text in edited:
            paragraph_text_changed(paragraph=paragraph, old_text=old_text)

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
        """Match every word of the query against the normalised title and text."""
        words = normalize_for_search(search_term).split()
        if not words:
            return queryset, False
        text_match = Q()
        for word in words:
            text_match &= Q(search_text__contains=word)
        by_id = Q(source_id__icontains=search_term.strip()) | Q(slug__icontains=search_term.strip())
        return queryset.filter(text_match | by_id), False

    def save_model(self, request, obj, form, change):
        # What the article said before this save, to tell a real edit of its
        # content from a save that changed nothing but its status.
        # Kept on the object, not on this admin, which all requests share.
        obj.content_before_save = services.article_content(Article.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        content_changed = form.instance.content_before_save != services.article_content(form.instance)
        services.article_edited(article=form.instance, content_changed=content_changed)

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
