"""Admin for articles: paragraphs and related stories inline, publishing, the annotation workspace."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
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
from ..forms import AnnotateForm
from ..models import Article, Paragraph, RelatedStory, Translation
from ..search import articles_search, search_terms
from ..selectors import annotation_workspace
from ..translation.services import article_translation_requeue


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    extra = 0
    fields = ["position", "text"]
    ordering = ["position"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 90, "dir": "auto", "lang": "ar"})}
    }


class RelatedStoryInline(admin.TabularInline):
    model = RelatedStory
    extra = 0
    fields = ["position", "title", "caption", "section"]
    ordering = ["position"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "dateline", "published", "status", "paragraph_count", "translation_state"]
    list_filter = ["status", "section", ("published", admin.DateFieldListFilter)]
    search_fields = ["title", "source_id", "slug"]
    search_help_text = _("Searches titles and text; diacritics and alef/ya/ta marbuta spellings are ignored.")
    date_hierarchy = "published"
    prepopulated_fields = {"slug": ["source_id"]}
    readonly_fields = ["created", "modified"]
    fieldsets = [
        (None, {"fields": ["title", "status", "slug"]}),
        (_("Metadata"), {"fields": ["category", "section", "dateline", "author", "published", "lead_caption", "tags"]}),
        (_("Source"), {"fields": ["source_id", "source", "created", "modified"], "classes": ["collapse"]}),
    ]
    inlines = [ParagraphInline, RelatedStoryInline]
    actions = ["publish", "unpublish", "requeue_translation"]
    change_form_template = "admin/articles/article/change_form.html"

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
        status = Translation.Status
        return (
            super()
            .get_queryset(request)
            .annotate(
                paragraph_total=Count("paragraphs", distinct=True),
                translations_done=Count("translations", filter=Q(translations__status=status.DONE), distinct=True),
                translations_failed=Count("translations", filter=Q(translations__status=status.FAILED), distinct=True),
                translations_pending=Count(
                    "translations", filter=Q(translations__status=status.PENDING), distinct=True
                ),
                translations_reviewed=Count(
                    "translations", filter=Q(translations__reviewed_at__isnull=False), distinct=True
                ),
            )
        )

    @admin.display(description=_("translation: done / failed / pending / reviewed"))
    def translation_state(self, obj):
        url = reverse("admin:articles_translation_changelist") + f"?article__id__exact={obj.pk}"
        return format_html(
            '<a href="{}">{} / <span class="{}">{}</span> / {} / {}</a>',
            url,
            obj.translations_done,
            "errornote" if obj.translations_failed else "",
            obj.translations_failed,
            obj.translations_pending,
            obj.translations_reviewed,
        )

    @admin.display(description=_("paragraphs"), ordering="paragraph_total")
    def paragraph_count(self, obj):
        return obj.paragraph_total

    def get_search_results(self, request, queryset, search_term):
        """Articles matching every word of the query (the site's search, drafts included), or by id or slug."""
        terms = search_terms(search_term)
        if not terms.text:
            return queryset, False
        by_id = Q(source_id__icontains=terms.text) | Q(slug__icontains=terms.text)
        if not terms:
            return queryset.filter(by_id), False
        matching = articles_search(articles=Article.objects.all(), terms=terms).values("pk")
        return queryset.filter(Q(pk__in=matching) | by_id), False

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
