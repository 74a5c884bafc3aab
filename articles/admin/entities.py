"""Admin for the gazetteer and for entity mentions: editors confirm, reject, retype, link, add."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..entities.recognition import shipped_model_description
from ..entities.services import (
    EntityError,
    MentionError,
    entities_deleting,
    entities_merge,
    entity_edited,
    entity_names_changed,
    mention_add,
    mention_confirm,
    mention_link,
    mention_reject,
    mention_retype,
    mentions_split,
    span_check,
)
from ..forms import EntityAdminForm
from ..models import Entity, Mention
from .entity_search import EntitySearchMixin
from .search import BoundedSearchMixin


class ModelStatusMixin:
    """Changelists that say which NER model recognition uses, when it was trained and on how
    many editors' decisions (editors' corrections teach it at the next `train_ner`)."""

    change_list_template = "admin/articles/ner_change_list.html"

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "ner_model": ner_model_status()})


def ner_model_status() -> str:
    """One line on the model in use, for editors."""
    description = shipped_model_description()
    if not description:
        return str(_("Shipped NER model: not in use."))
    which = _("the committed model") if description["committed"] else _("retrained by train_ner")
    trained = description.get("trained_at", "")[:16].replace("T", " ") or _("an unknown date")
    return str(
        _("Shipped NER model in use: %(which)s, trained %(when)s UTC on %(decisions)s editor decision(s).")
        % {"which": which, "when": trained, "decisions": description.get("editor_decisions", 0)}
    )


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Entity.objects.none(), widget=forms.RadioSelect, label=_("Keep"))

    def __init__(self, *args, entities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = entities


@admin.register(Entity)
class EntityAdmin(ModelStatusMixin, EntitySearchMixin, BoundedSearchMixin, admin.ModelAdmin):
    form = EntityAdminForm
    list_display = ["name_ar", "english_name", "type", "source", "mention_count", "wikidata_id"]
    list_filter = ["type", "source", "name_en_source"]
    search_fields = ["name_ar", "name_en", "key", "wikidata_id"]
    readonly_fields = ["key", "source", "name_en_source", "created", "modified"]
    fields = [
        "name_ar",
        "name_en",
        "name_en_source",
        "aliases",
        "aliases_en",
        "type",
        "description",
        "wikidata_id",
        "key",
        "source",
    ]
    actions = ["merge"]

    @admin.display(description=_("English name"), ordering="name_en")
    def english_name(self, obj):
        if obj.romanised:
            return format_html('{} <span class="help">({})</span>', obj.name_en, _("romanised, not checked"))
        return obj.name_en

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
        # An editor's version is never overwritten by reseeding nor undone by recognition.
        entity_edited(
            entity=obj,
            old_name_ar=form.initial.get("name_ar") if change else None,
            name_en_changed="name_en" in form.changed_data,
        )
        super().save_model(request, obj, form, change)
        if change and {"name_en", "aliases_en"} & set(form.changed_data):
            entity_names_changed(entity=obj)

    def delete_model(self, request, obj):
        entities_deleting(entity_ids=[obj.pk])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        entities_deleting(entity_ids=list(queryset.values_list("pk", flat=True)))
        super().delete_queryset(request, queryset)

    @admin.action(description=_("Merge selected entities into one"), permissions=["change"])
    def merge(self, request, queryset):
        """Choose which entity to keep; the others' mentions and names move to it."""
        entities = queryset.order_by("-article_count", "pk")
        form = MergeForm(request.POST if "apply" in request.POST else None, entities=entities)
        if "apply" in request.POST and form.is_valid():
            target = form.cleaned_data["target"]
            try:
                entities_merge(target=target, others=list(entities), user=request.user)
            except EntityError as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            self.log_change(request, target, f"Merged {', '.join(str(e) for e in entities if e.pk != target.pk)}")
            self.message_user(request, _("Merged into %(entity)s.") % {"entity": target}, messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/articles/entity/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge entities"),
                "opts": self.model._meta,
                "form": form,
                "entities": entities,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


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
class MentionAdmin(ModelStatusMixin, BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["text", "label", "status", "source", "entity", "article", "kind", "where"]
    list_filter = ["status", "source", "label", "kind"]
    list_select_related = ["entity", "article", "paragraph"]
    search_fields = ["text", "entity__name_ar", "entity__name_en", "article__title"]
    autocomplete_fields = ["entity"]
    raw_id_fields = ["paragraph"]
    actions = ["confirm", "reject", "split"]

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

    @admin.action(description=_("Move selected mentions to a new entity (split)"), permissions=["change"])
    def split(self, request, queryset):
        try:
            entity = mentions_split(mentions=list(queryset.order_by("article", "start")), user=request.user)
        except EntityError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.log_addition(request, entity, f"Split from {queryset.count()} mention(s)")
        self.message_user(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("Moved to a new entity:"),
                reverse("admin:articles_entity_change", args=[entity.pk]),
                str(entity),
            ),
            messages.SUCCESS,
        )
