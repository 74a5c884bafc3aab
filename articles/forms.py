"""Forms editors fill in the admin. Validation is the services' own, so a form
and a service can never disagree about what a valid annotation is."""

import json
import re

from django import forms
from django.forms.fields import InvalidJSONInput
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .annotations.services import AnnotationError, annotation_validate
from .importing.slugs import article_slug_new, article_slug_retired
from .models import Annotation, Article, ArticleSlug, Entity, EntityType, Paragraph, RelatedStory
from .models.entities import validate_names, wikidata_id_clean
from .untrusted_json import UntrustedJSONError, json_parse


class AnnotationFieldsMixin:
    """What the annotation services take, read from a form, and checked by them."""

    def annotation_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "paragraph": data.get("paragraph"),
            "start": data.get("start"),
            "end": data.get("end"),
            "quote": data.get("quote") or None,
            "occurrence": data.get("occurrence") or 1,
            "body": data.get("body") or "",
            "proposed_text": data.get("proposed_text") or "",
            "correction_target": data.get("correction_target") or "",
            "label": data.get("label") or "",
            "entity": data.get("entity"),
            "visibility": data["visibility"],
        }

    def check_annotation(self) -> None:
        fields = self.annotation_fields()
        try:
            annotation_validate(**{name: fields[name] for name in VALIDATED})
        except AnnotationError as error:
            raise forms.ValidationError(str(error)) from None


VALIDATED = ("kind", "paragraph", "start", "end", "quote", "occurrence", "body", "proposed_text", "label")


class AnnotateForm(AnnotationFieldsMixin, forms.Form):
    """An annotation made by selecting words on the article's admin page.

    The selection script fills `start`, `end` (code points over the
    paragraph's original text) and `quote`; without it, an editor picks the
    paragraph and types the words (and which occurrence), never an offset.
    """

    paragraph = forms.ModelChoiceField(queryset=Paragraph.objects.none(), required=False, label=_("Paragraph"))
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    quote = forms.CharField(required=False, label=_("Selected words"), widget=forms.TextInput(attrs={"dir": "auto"}))
    occurrence = forms.IntegerField(required=False, min_value=1, initial=1, label=_("Occurrence"))
    kind = forms.ChoiceField(choices=Annotation.Kind.choices, label=_("Kind"))
    label = forms.ChoiceField(choices=[("", "—"), *EntityType.choices], required=False, label=_("Entity type"))
    entity = forms.ModelChoiceField(queryset=Entity.objects.all(), required=False, label=_("Gazetteer entity"))
    body = forms.CharField(required=False, label=_("Text"), widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}))
    proposed_text = forms.CharField(
        required=False, label=_("Proposed text"), widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"})
    )
    correction_target = forms.ChoiceField(
        choices=Annotation.CorrectionTarget.choices, required=False, label=_("Correction of")
    )
    visibility = forms.ChoiceField(choices=Annotation.Visibility.choices, label=_("Visible to"))

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.fields["paragraph"].queryset = article.paragraphs.order_by("position")
        self.fields["paragraph"].label_from_instance = lambda p: f"¶{p.position}: {p.text[:60]}…"

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.check_annotation()
        return data


class AnnotationAdminForm(AnnotationFieldsMixin, forms.ModelForm):
    """The plain form (the fallback): paragraph and words, or offsets."""

    quote = forms.CharField(
        required=False,
        label=_("Words to annotate"),
        help_text=_("Instead of offsets: the exact words, as they appear in the paragraph."),
        widget=forms.TextInput(attrs={"dir": "auto", "size": 60}),
    )
    occurrence = forms.IntegerField(required=False, min_value=1, initial=1, label=_("Occurrence of these words"))

    class Meta:
        model = Annotation
        fields = [
            "article",
            "paragraph",
            "kind",
            "start",
            "end",
            "body",
            "proposed_text",
            "correction_target",
            "label",
            "visibility",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            "proposed_text": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        }

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        paragraph, article = data.get("paragraph"), data.get("article")
        if paragraph is not None and article is not None and paragraph.article_id != article.pk:
            raise forms.ValidationError(_("The paragraph belongs to another article."))
        self.check_annotation()
        return data


class AnnotationChangeForm(forms.ModelForm):
    """Changing an annotation's content; its anchor follows the text by itself."""

    class Meta:
        model = Annotation
        fields = ["body", "proposed_text", "correction_target", "status", "accepted", "label", "visibility"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            "proposed_text": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        }


# --- The article's admin page ------------------------------------------------


def arabic_textarea(rows: int) -> forms.Textarea:
    """A full-width box for Arabic, right to left whatever the admin's language, tall enough for a paragraph."""
    return forms.Textarea(attrs={"rows": rows, "dir": "rtl", "lang": "ar", "class": "arabic-field"})


def arabic_input() -> forms.TextInput:
    return forms.TextInput(attrs={"dir": "rtl", "lang": "ar", "class": "arabic-field"})


TAG_SEPARATORS = re.compile(r"[,،\n]")


class TagsWidget(forms.TextInput):
    """Tags as one line of words separated by commas (Latin or Arabic), each shown as a chip below
    (admin_tags.js redraws the chips as the editor types)."""

    template_name = "articles/widgets/tags.html"

    class Media:
        js = ["js/admin_tags.js"]

    def __init__(self, attrs=None):
        super().__init__({"dir": "auto", "class": "tags-field", "data-tags": "", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return "، ".join(str(tag) for tag in value) if any(_is_arabic(t) for t in value) else ", ".join(value)
        return value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["tags"] = value if isinstance(value, list | tuple) else tags_split(value or "")
        return context


def _is_arabic(text) -> bool:
    return any("\u0600" <= char <= "\u06ff" for char in str(text))


def tags_split(text: str) -> list[str]:
    """The tags in a line, in order, each once, blanks dropped."""
    tags = []
    for tag in TAG_SEPARATORS.split(text):
        tag = " ".join(tag.split())
        if tag and tag not in tags:
            tags.append(tag)
    return tags


class TagsField(forms.Field):
    widget = TagsWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Separate tags with commas (, or ،)."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return [str(tag) for tag in value]
        return tags_split(value or "")

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        return (initial or []) != self.to_python(data)


class ArticleAdminForm(forms.ModelForm):
    tags = TagsField(required=False, label=capfirst(Article._meta.get_field("tags").verbose_name))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:  # absent for those who may only view the article
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "The article's address. Left empty, it is made from the title. When it changes, the old address "
                "redirects here."
            )

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or ""
        if not slug:
            return article_slug_new(
                title=self.cleaned_data.get("title") or "", source_id=self.data.get("source_id", "")
            )
        if ArticleSlug.objects.filter(slug=slug).exclude(article_id=self.instance.pk).exists():
            raise forms.ValidationError(_("Another article had this address; its old links lead there."))
        return slug

    def save(self, commit=True):
        article = super().save(commit)
        if self.instance.pk and "slug" in self.changed_data:
            article_slug_retired(article=article, old_slug=self.initial.get("slug"))
        return article

    class Meta:
        model = Article
        fields = [
            "title",
            "status",
            "slug",
            "category",
            "section",
            "dateline",
            "author",
            "published",
            "lead_caption",
            "tags",
            "source_id",
            "source",
        ]
        widgets = {
            "title": arabic_input(),
            "category": arabic_input(),
            "section": arabic_input(),
            "dateline": arabic_input(),
            "author": arabic_input(),
            "lead_caption": arabic_textarea(3),
            "source": forms.TextInput(attrs={"dir": "ltr", "class": "vLargeTextField"}),
        }


class ParagraphAdminForm(forms.ModelForm):
    class Meta:
        model = Paragraph
        fields = ["position", "text"]
        widgets = {"text": arabic_textarea(6), "position": forms.NumberInput(attrs={"class": "position-field"})}


class RelatedStoryAdminForm(forms.ModelForm):
    class Meta:
        model = RelatedStory
        fields = ["position", "title", "caption", "section"]
        widgets = {
            "title": arabic_input(),
            "caption": arabic_textarea(2),
            "section": arabic_input(),
            "position": forms.NumberInput(attrs={"class": "position-field"}),
        }


# --- The gazetteer -------------------------------------------------------------

# Thousands of names; far more than any entity has.
NAMES_MAX_BYTES = 100_000
SURROGATE = re.compile("[\ud800-\udfff]")


class NamesField(forms.JSONField):
    """A JSON list of names (an entity's aliases), read by the bounded parser.

    Django's JSONField reads with json.loads: `null` reached the database (a
    500), deep nesting and long numbers raised errors it does not catch, and
    "\\ud800" was stored and broke every page showing the entity. An empty box
    is an empty list. A stored value that is not text (a lone surrogate from
    before) is shown escaped, so that its page opens and an editor can repair it.
    """

    def to_python(self, value):
        if self.disabled:
            return value
        if value is None or (isinstance(value, str) and not value.strip()):
            return []
        names = value
        if isinstance(value, str):  # what the editor typed (else a value given in code)
            try:
                names = json_parse(value, max_bytes=NAMES_MAX_BYTES)
            except UntrustedJSONError as error:
                raise forms.ValidationError(
                    _('Enter a list of names, e.g. ["name one", "name two"]: %(reason)s.'),
                    code="invalid",
                    params={"reason": str(error)},
                ) from None
        # Here, not only in the model's validation, which lets null through as "empty".
        validate_names(names)
        return names

    def bound_data(self, data, initial):
        if self.disabled:
            return initial
        if data is None:
            return None
        try:
            return json_parse(data, max_bytes=NAMES_MAX_BYTES)
        except UntrustedJSONError:
            return InvalidJSONInput(data)

    def prepare_value(self, value):
        if isinstance(value, InvalidJSONInput):
            return value
        # A lone surrogate cannot be sent in a page; as an escape it can (the form refuses it back).
        return SURROGATE.sub(
            lambda match: f"\\u{ord(match[0]):04x}", json.dumps(value, ensure_ascii=False, cls=self.encoder)
        )


class EntityAdminForm(forms.ModelForm):
    # Long enough for the item's address as editors paste it; stored as its id (Q406).
    wikidata_id = forms.CharField(
        label=capfirst(Entity._meta.get_field("wikidata_id").verbose_name),
        max_length=300,
        required=False,
        help_text=_(
            "Q followed by digits, or the item's address on wikidata.org. Look it up yourself: it is never guessed."
        ),
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "Q406"}),
    )

    def clean_wikidata_id(self):
        return wikidata_id_clean(self.cleaned_data.get("wikidata_id", ""))

    class Meta:
        model = Entity
        fields = ["name_ar", "name_en", "aliases", "aliases_en", "type", "description", "wikidata_id"]
        field_classes = {"aliases": NamesField, "aliases_en": NamesField}
