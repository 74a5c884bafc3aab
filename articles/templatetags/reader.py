"""Template filters for the reader's pages."""

from django import template

from ..arabic import format_arabic_date

register = template.Library()


@register.filter
def arabic_date(value):
    """A date as Arabic readers write it: `5 نوفمبر 2025`."""
    return format_arabic_date(value) if value else ""
