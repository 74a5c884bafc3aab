"""Admin for annotations: the plain form (a fallback to the selection tool), edits, deletion."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..annotations.services import (
    annotation_create,
    annotation_delete,
    annotation_update,
)
from ..forms import AnnotationAdminForm, AnnotationChangeForm
from ..models import Annotation
from .search import BoundedSearchMixin


@admin.register(Annotation)
class AnnotationAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = [
        "kind",
        "quote_excerpt",
        "article",
        "paragraph_position",
        "visibility",
        "status",
        "anchor",
        "creator",
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
            "creator",
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

    @admin.display(description=_("creator"), ordering="author__username")
    def creator(self, obj):
        """The editor who wrote it, or the name an imported annotation gave for its creator."""
        return obj.author or obj.creator_name or "—"

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
