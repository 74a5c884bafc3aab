"""Template filters for search results."""

from django import template

from ..search import SearchQueryTerms, search_highlight

register = template.Library()


@register.filter
def search_marked(text, terms: SearchQueryTerms):
    """`text` with the words matching the search in `<mark>`."""
    return search_highlight(str(text), terms)
