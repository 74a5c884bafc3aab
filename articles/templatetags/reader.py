"""Template filters for the reader's pages."""

from django import template

from ..arabic import format_arabic_date
from ..entities.presentation import english_spans, mention_span
from ..rendering import highlight

register = template.Library()


@register.filter
def arabic_date(value):
    """A date as Arabic readers write it: `5 نوفمبر 2025`."""
    return format_arabic_date(value) if value else ""


@register.simple_tag
def marked(text, mentions=None):
    """Arabic text with its entity mentions highlighted."""
    return highlight(text, [mention_span(mention) for mention in mentions or []])


@register.simple_tag
def marked_translation(text, mentions=None):
    """A translation with the English names of the mentioned entities highlighted."""
    return highlight(text, english_spans(text, mentions or []))
