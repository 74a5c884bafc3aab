"""Admin for the gazetteer and for entity mentions: editors confirm, reject, retype, link, add."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ..entities.services import (
    MentionError,
    entities_deleting,
    entity_names_changed,
    mention_add,
    mention_confirm,
    mention_link,
    mention_reject,
    mention_retype,
    span_check,
)
from ..forms import EntityAdminForm
from ..models import Entity, Mention
from .entity_search import EntitySearchMixin
from .search import BoundedSearchMixin


@admin.register(Entity)
class EntityAdmin(EntitySearchMixin, BoundedSearchMixin, admin.ModelAdmin):
    form = EntityAdminForm
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
        if change and {"name_en", "aliases_en"} & set(form.changed_data):
            entity_names_changed(entity=obj)

    def delete_model(self, request, obj):
        entities_deleting(entity_ids=[obj.pk])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        entities_deleting(entity_ids=list(queryset.values_list("pk", flat=True)))
        super().delete_queryset(request, queryset)


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
class MentionAdmin(BoundedSearchMixin, admin.ModelAdmin):
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
