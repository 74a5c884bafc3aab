"""Template filters for the reader's pages."""

from django import template

from ..annotations.presentation import annotation_span, reader_note
from ..arabic import format_arabic_date
from ..entities.presentation import english_spans, mention_span
from ..rendering import highlight
from ..translation.presentation import reason_text

register = template.Library()


@register.filter
def arabic_date(value):
    """A date as Arabic readers write it: `5 نوفمبر 2025`."""
    return format_arabic_date(value) if value else ""


@register.simple_tag
def marked(text, mentions=None, annotations=None):
    """Arabic text with its entity mentions (and public annotations) highlighted."""
    spans = [mention_span(mention) for mention in mentions or []]
    spans += [annotation_span(annotation) for annotation in annotations or []]
    return highlight(text, spans)


@register.simple_tag
def marked_translation(text, mentions=None):
    """A translation with the English names of the mentioned entities highlighted."""
    return highlight(text, english_spans(text, mentions or []))


@register.filter
def note_text(annotation):
    """What a reader is told about an annotation."""
    return reader_note(annotation)


@register.filter
def translation_reason(error):
    """A provider's error, in the interface's language when it is one we know."""
    return reason_text(error or "")
