"""Template filters for the reader's pages."""

from urllib.parse import urlsplit

from django import template

from arabic.dates import format_arabic_date

from .. import cards
from ..annotations.presentation import reader_note
from ..entities.presentation import mention_passages
from ..segment_store import segment_html, translation_html
from ..translation.presentation import failure_shown, reason_text

register = template.Library()


@register.simple_tag
def article_cards(articles, terms=None):
    """The cards of a list page (`articles.cards`), the search's words marked when there are terms."""
    return cards.article_cards(articles, terms=terms or None)


@register.filter
def arabic_date(value):
    """A date as Arabic readers write it: `5 نوفمبر 2025`."""
    return format_arabic_date(value) if value else ""


def _shared(context) -> bool:
    """A page every reader shares (articles.caching): its highlighted segments are kept."""
    return bool(getattr(context.get("request"), "page_shared", False))


@register.simple_tag(takes_context=True)
def marked(context, text, mentions=None, annotations=None, links=True):
    """Arabic text with its entity mentions (and public annotations) highlighted; `links=False`
    inside a link (a related headline that leads to its article)."""
    return segment_html(
        text=text, mentions=mentions or (), annotations=annotations or (), kept=_shared(context), links=links
    )


@register.simple_tag(takes_context=True)
def marked_translation(context, text, mentions=None):
    """A translation with the English names of the mentioned entities highlighted."""
    return translation_html(text=text, mentions=mentions or (), kept=_shared(context))


@register.filter
def passages(segment):
    """A segment of an entity's page as short passages around the entity's mentions."""
    return mention_passages(segment)


@register.simple_tag
def headline_translation(text, reviewed=False):
    """A headline's translation, with whether a machine or an editor made it."""
    return cards.headline_translation(text, reviewed=bool(reviewed))


@register.filter
def web_address(source):
    """An article's source when it is the address of a web page (an import from the web); "" for a
    file's name, which means nothing to a reader."""
    source = str(source or "")
    return source if urlsplit(source).scheme in ("http", "https") and urlsplit(source).hostname else ""


@register.filter
def address_host(address):
    """The site an address leads to, as a reader recognises it (`www.alaraby.co.uk`)."""
    return urlsplit(str(address)).hostname or ""


@register.filter
def note_text(annotation):
    """What a reader is told about an annotation."""
    return reader_note(annotation)


@register.filter
def failure_reason(translation):
    """Why the segment's translation failed, in the interface's language when we know the words;
    empty when it failed under other translation settings (it is being sent again)."""
    if not failure_shown(translation):
        return ""
    return reason_text(translation.error or "")
