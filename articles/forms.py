"""Forms editors fill in the admin. Validation is the services' own, so a form
and a service can never disagree about what a valid annotation is."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .annotations.services import AnnotationError, annotation_validate
from .models import Annotation, Entity, EntityType, Paragraph


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
