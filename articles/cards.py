"""The article list's cards (home page, search results): HTML built in Python.

A list page shows twenty cards; through the template language each cost
about a tenth of a millisecond of variable lookups and filter calls, the
largest part of an uncached search. Built here from the same fields, each
value escaped as it goes in, they cost a fraction of that and read the same.

Readers of the English interface also get the headline's translation, said
to be a machine's (or an editor's, once reviewed). A search result shows the
passage that matched best, in the language that matched (`snippets`), in
place of the first lines.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from arabic.dates import format_arabic_date

from .models import Article
from .search import SearchQueryTerms, search_highlight
from .snippets import best_passage

LEAD_WORDS = 40


def _marked(text: str, terms: SearchQueryTerms | None) -> SafeString:
    return search_highlight(text, terms) if terms else escape(text)


def translation_label(*, reviewed: bool) -> str:
    """What a reader is told about a translated headline."""
    return _("Translation reviewed by an editor") if reviewed else _("Machine translation")


def headline_translation(text: str, *, reviewed: bool, terms: SearchQueryTerms | None = None) -> SafeString:
    """A headline's translation under the Arabic one, left to right, with what made it."""
    return format_html(
        '<p class="headline-translation" lang="{}" dir="ltr"><span class="headline-text">{}</span> '
        '<span class="translation-label">{}</span></p>',
        settings.TRANSLATION_TARGET,
        _marked(text, terms),
        translation_label(reviewed=reviewed),
    )


def article_card(
    article: Article, *, url: str, terms: SearchQueryTerms | None = None, english: bool = False
) -> SafeString:
    """One card of an article as `selectors.articles_listed` reads it (with its `lead`): section,
    dateline and date; the title linking to the article (and, with `english`, its translation);
    the lead's first words. With search terms, the words that matched are marked in the titles,
    and the passage that matched best replaces the lead."""
    kicker = ""
    if article.section:
        kicker += f'<span class="section">{escape(article.section)}</span>'
    if article.dateline:
        kicker += f'<span class="dateline">{escape(article.dateline)}</span>'
    if article.published:
        kicker += (
            f'<time datetime="{article.published.isoformat()}">{escape(format_arabic_date(article.published))}</time>'
        )
    title_translation = ""
    if english and getattr(article, "title_translation", ""):
        title_translation = headline_translation(
            article.title_translation, reviewed=bool(article.title_reviewed), terms=terms
        )
    passage = (
        best_passage(getattr(article, "search_texts", ()), terms, prefer=_query_language(terms)) if terms else None
    )
    if passage is not None:
        lead = (
            f'<p class="card-lead card-passage" lang="{escape(passage.lang)}" dir="{passage.direction}">'
            f"{passage.html}</p>"
        )
    elif article.lead:
        first_words = Truncator(article.lead).words(LEAD_WORDS, truncate=" …")
        lead = f'<p class="card-lead">{_marked(first_words, terms)}</p>'
    else:
        lead = ""
    # Plain f-strings: every value is escaped above or is HTML built escaped (`_marked`, a passage,
    # the headline's translation); `format_html` costs a search page of twenty cards a tenth of its time.
    return mark_safe(
        f'<li class="card"><p class="card-kicker">{kicker}</p><h2 class="card-title"><a href="{escape(url)}">'
        f"{_marked(article.title, terms)}</a></h2>{title_translation}{lead}</li>"
    )


def _query_language(terms: SearchQueryTerms) -> str:
    """The language a query is written in, to prefer its passages when two match as well."""
    return settings.TRANSLATION_TARGET if terms.latin else "ar"


def article_cards(articles, *, terms: SearchQueryTerms | None = None) -> SafeString:
    """The cards of a list page, in order. One `reverse` for the page: each card's address is the
    pattern's with its slug in place (a `SlugField`: ASCII letters, digits, `-` and `_`, which
    `reverse` would leave as they are)."""
    marker = "-slug-"
    pattern = reverse("articles:detail", kwargs={"slug": marker})
    english = not get_language_bidi()
    return format_html_join(
        "\n",
        "{}",
        (
            (article_card(article, url=pattern.replace(marker, article.slug), terms=terms, english=english),)
            for article in articles
        ),
    )
