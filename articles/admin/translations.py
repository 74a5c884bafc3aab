"""Admin for translations: an editor's correction is a review that wins over the machine."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Translation
from ..translation.services import segment_review
from .search import BoundedSearchMixin


class TranslationForm(forms.ModelForm):
    class Meta:
        model = Translation
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6, "cols": 80, "lang": "en", "dir": "auto"})}


@admin.register(Translation)
class TranslationAdmin(BoundedSearchMixin, admin.ModelAdmin):
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
