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

from . import services
from .annotations.services import (
    annotation_create,
    annotation_delete,
    annotation_update,
    paragraph_removing,
    paragraph_text_changed,
)
from .arabic import normalize_for_search
from .entities.services import (
    MentionError,
    mention_add,
    mention_confirm,
    mention_link,
    mention_reject,
    mention_retype,
    span_check,
)
from .forms import AnnotateForm, AnnotationAdminForm, AnnotationChangeForm
from .models import Annotation, Article, Entity, Mention, Paragraph, RelatedStory, Translation
from .selectors import annotation_workspace
from .translation.services import article_translation_requeue, segment_review


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
        """Match every word of the query against the normalised title and text."""
        words = normalize_for_search(search_term).split()
        if not words:
            return queryset, False
        text_match = Q()
        for word in words:
            text_match &= Q(search_text__contains=word)
        by_id = Q(source_id__icontains=search_term.strip()) | Q(slug__icontains=search_term.strip())
        return queryset.filter(text_match | by_id), False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.article_edited(article=form.instance)

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


class TranslationForm(forms.ModelForm):
    class Meta:
        model = Translation
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6, "cols": 80, "lang": "en", "dir": "auto"})}


@admin.register(Translation)
class TranslationAdmin(admin.ModelAdmin):
    form = TranslationForm
    list_display = [
        "article",
        "kind",
        "source_excerpt",
        "text_excerpt",
        "status",
        "provider",
        "reviewed",
        "needs_review",
    ]
    list_filter = ["status", "needs_review", ("reviewed_at", admin.EmptyFieldListFilter), "provider", "kind"]
    list_select_related = ["article", "paragraph"]
    search_fields = ["article__title", "source_text", "text"]
    readonly_fields = [
        "article",
        "kind",
        "source_display",
        "previous_text",
        "provider",
        "status",
        "error",
        "reviewed_by",
        "reviewed_at",
        "translated_at",
    ]
    fields = [
        "article",
        "kind",
        "source_display",
        "text",
        "previous_text",
        "status",
        "error",
        "provider",
        "reviewed_by",
        "reviewed_at",
        "translated_at",
    ]
    actions = ["mark_reviewed"]

    def has_add_permission(self, request):
        return False  # segments come from the articles themselves

    @admin.display(description=_("source"))
    def source_excerpt(self, obj):
        return format_html('<span lang="ar" dir="rtl">{}</span>', obj.source_text[:80])

    @admin.display(description=_("translation"))
    def text_excerpt(self, obj):
        return obj.text[:80]

    @admin.display(description=_("reviewed"), boolean=True)
    def reviewed(self, obj):
        return obj.is_reviewed

    @admin.display(description=_("source text"))
    def source_display(self, obj):
        return format_html('<p lang="ar" dir="rtl" class="arabic-source">{}</p>', obj.source_text)

    def save_model(self, request, obj, form, change):
        # Saving the form is an editor's review: it wins over the machine from now on.
        segment_review(segment=obj, text=form.cleaned_data["text"], user=request.user)

    @admin.action(description=_("Accept the translation as reviewed"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        count = 0
        for segment in queryset.exclude(text=""):
            segment_review(segment=segment, text=segment.text, user=request.user)
            count += 1
        self.message_user(request, _("%d segment(s) marked reviewed.") % count, messages.SUCCESS)


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "name_en", "type", "source", "mention_count", "wikidata_id"]
    list_filter = ["type", "source"]
    search_fields = ["name_ar", "name_en", "key", "wikidata_id"]
    readonly_fields = ["key", "source", "created", "modified"]
    fields = ["name_ar", "name_en", "aliases", "aliases_en", "type", "description", "wikidata_id", "key", "source"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(mention_total=Count("mentions", filter=~Q(mentions__status=Mention.Status.REJECTED)))
        )

    @admin.display(description=_("mentions"), ordering="mention_total")
    def mention_count(self, obj):
        return obj.mention_total

    def save_model(self, request, obj, form, change):
        # An editor's version of a seeded entity is never overwritten by reseeding.
        obj.edited_by_editor = True
        super().save_model(request, obj, form, change)


class MentionChangeForm(forms.ModelForm):
    class Meta:
        model = Mention
        fields = ["label", "entity"]


class MentionAddForm(forms.ModelForm):
    """The plain fallback for adding a mention; the article page's selection tool computes offsets."""

    class Meta:
        model = Mention
        fields = ["paragraph", "start", "end", "label", "entity"]

    def clean(self):
        cleaned = super().clean()
        paragraph, start, end = cleaned.get("paragraph"), cleaned.get("start"), cleaned.get("end")
        if paragraph is not None and start is not None and end is not None:
            try:
                span_check(paragraph=paragraph, start=start, end=end)
            except MentionError as error:
                raise forms.ValidationError(str(error)) from None
        return cleaned


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["text", "label", "status", "source", "entity", "article", "kind", "where"]
    list_filter = ["status", "source", "label", "kind"]
    list_select_related = ["entity", "article", "paragraph"]
    search_fields = ["text", "entity__name_ar", "entity__name_en", "article__title"]
    autocomplete_fields = ["entity"]
    raw_id_fields = ["paragraph"]
    actions = ["confirm", "reject"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = MentionChangeForm if obj else MentionAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "article",
            "kind",
            "where",
            "text",
            "start",
            "end",
            "source",
            "score",
            "status",
            "decided_by",
            "decided_at",
        ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["paragraph", "start", "end", "label", "entity"]
        return [*self.get_readonly_fields(request, obj), "label", "entity"]

    @admin.display(description=_("position"))
    def where(self, obj):
        return f"¶{obj.paragraph.position} {obj.start}–{obj.end}" if obj.paragraph_id else f"{obj.start}–{obj.end}"

    def save_model(self, request, obj, form, change):
        if not change:
            saved = mention_add(
                paragraph=obj.paragraph,
                start=obj.start,
                end=obj.end,
                label=obj.label,
                entity=obj.entity,
                user=request.user,
            )
            obj.pk = saved.pk
            return
        # Any edit is an editor's decision: a new type retypes, a new entity links.
        if "entity" in form.changed_data:
            mention_link(mention=obj, entity=obj.entity, user=request.user)
        if "label" in form.changed_data or not form.changed_data:
            mention_retype(mention=obj, label=obj.label, user=request.user)

    @admin.action(description=_("Confirm selected mentions"), permissions=["change"])
    def confirm(self, request, queryset):
        for mention in queryset:
            mention_confirm(mention=mention, user=request.user)
        self.message_user(request, _("%d mention(s) confirmed.") % queryset.count(), messages.SUCCESS)

    @admin.action(description=_("Reject selected mentions"), permissions=["change"])
    def reject(self, request, queryset):
        for mention in queryset:
            mention_reject(mention=mention, user=request.user)
        self.message_user(request, _("%d mention(s) rejected.") % queryset.count(), messages.SUCCESS)


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "quote_excerpt",
        "article",
        "paragraph_position",
        "visibility",
        "status",
        "anchor",
        "author",
        "modified",
    ]
    list_filter = ["kind", "visibility", "status", "anchor"]
    list_select_related = ["article", "paragraph", "author"]
    search_fields = ["exact", "body", "proposed_text", "article__title"]
    autocomplete_fields = ["article"]
    raw_id_fields = ["paragraph"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = AnnotationChangeForm if obj else AnnotationAdminForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                "article",
                "paragraph",
                "quote",
                "occurrence",
                "start",
                "end",
                "kind",
                "label",
                "body",
                "proposed_text",
                "correction_target",
                "visibility",
            ]
        return [*self.get_readonly_fields(request, obj), *AnnotationChangeForm.Meta.fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "article",
            "paragraph",
            "kind",
            "quote_display",
            "start",
            "end",
            "anchor",
            "author",
            "created",
            "modified",
        ]

    @admin.display(description=_("quoted text"))
    def quote_excerpt(self, obj):
        return format_html('<span lang="ar" dir="rtl">{}</span>', obj.exact[:60]) if obj.exact else "—"

    @admin.display(description=_("quoted text, with context"))
    def quote_display(self, obj):
        return format_html(
            '<p lang="ar" dir="rtl" class="arabic-source">…{}<mark>{}</mark>{}…</p>', obj.prefix, obj.exact, obj.suffix
        )

    @admin.display(description=_("¶"), ordering="paragraph__position")
    def paragraph_position(self, obj):
        return obj.paragraph.position if obj.paragraph_id else "—"

    def save_model(self, request, obj, form, change):
        if change:
            annotation_update(
                annotation=obj,
                user=request.user,
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )
            return
        saved = annotation_create(article=form.cleaned_data["article"], user=request.user, **form.annotation_fields())
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        annotation_delete(annotation=obj)

    def delete_queryset(self, request, queryset):
        for annotation in queryset:
            annotation_delete(annotation=annotation)
