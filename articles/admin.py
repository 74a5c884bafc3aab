from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
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
from .models import Article, Entity, Mention, Paragraph, RelatedStory, Translation
from .translation.services import article_translation_requeue, segment_review


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    extra = 0
    fields = ["position", "text"]
    ordering = ["position"]


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
    fields = ["name_ar", "name_en", "aliases", "type", "description", "wikidata_id", "key", "source"]

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
