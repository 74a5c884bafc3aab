"""How annotations look in text: on the reader's page and in the editors' workspace."""

from django.utils.translation import gettext as _

from ..models import Annotation
from ..rendering import Span


def reader_note(annotation: Annotation) -> str:
    """What a reader is told about an annotation, in plain words."""
    if annotation.kind == Annotation.Kind.CORRECTION:
        label = _("Correction accepted by an editor") if annotation.accepted else _("Proposed correction")
        return f"{label}: {annotation.proposed_text}" + (f" — {annotation.body}" if annotation.body else "")
    if annotation.kind == Annotation.Kind.ENTITY:
        return f"{annotation.get_label_display()}" + (f": {annotation.body}" if annotation.body else "")
    return annotation.body


def annotation_span(annotation: Annotation, *, workspace: bool = False) -> Span:
    classes = ["annotation", f"annotation-{annotation.kind}"]
    if annotation.kind == Annotation.Kind.CORRECTION and annotation.accepted:
        classes.append("annotation-accepted")
    if annotation.visibility == Annotation.Visibility.EDITORS:
        classes.append("annotation-editors")
    attrs = {
        "class": " ".join(classes),
        "data-annotation": str(annotation.pk),
        "data-kind": annotation.kind,
        "data-kind-label": str(annotation.get_kind_display()),
    }
    if workspace:
        attrs["title"] = f"{annotation.get_kind_display()}: {reader_note(annotation)}"
    else:
        # The note itself is listed under the paragraph; the mark points to it.
        attrs["tabindex"] = "0"
        attrs["aria-describedby"] = f"note-{annotation.pk}"
        attrs["data-note"] = reader_note(annotation)
    return Span(annotation.start, annotation.end, "mark", attrs)
