from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .arabic import normalize_for_search
from .models import Article, Paragraph, RelatedStory


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
    list_display = ["title", "section", "dateline", "published", "status", "paragraph_count"]
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
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(paragraph_total=Count("paragraphs"))

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
        services.article_search_text_refresh(article=form.instance)

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
