"""Importing an article from its web page: fetch, extract with trafilatura, import.

trafilatura finds the article's body and its metadata (JSON-LD, Open Graph,
`<meta>` tags) and leaves out navigation, share buttons, cookie banners,
embedded related boxes, tags and "more in" lists. The page's canonical URL is
the article's source id, so importing it again, from the same address or
another one with the same canonical, goes through `article_import` like any
re-import: unchanged → nothing written, changed → the same article updated.
"""

import datetime
import hashlib
import re
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import lxml.html
import trafilatura
from django.db import DatabaseError, transaction
from django.utils.text import slugify

from ..models import Article
from .fetch import HTML_TYPES, FetchedPage, url_fetch
from .records import ArticleRecord, ImportFailure
from .services import ImportResult, article_import

SOURCE_ID_MAX = Article._meta.get_field("source_id").max_length
SOURCE_MAX = Article._meta.get_field("source").max_length
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
# trafilatura collapses every Unicode space, the no-break space too; the text is
# kept as published, so no-break spaces travel through it as a noncharacter.
_NBSP = re.compile(r"\xa0|&nbsp;|&#160;|&#x0*a0;", re.IGNORECASE)
_NBSP_STAND_IN = "\ufdd0"
_HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8")
# Boxes inside an article that are not the article (their captions are not the lead caption).
_NOT_LEAD = re.compile(r"related|share|social|promo|newsletter|advert|\bad\b|teaser|more", re.IGNORECASE)


def _collapse(text: str) -> str:
    """Collapse runs of HTML whitespace as a browser does; a no-break space is text and stays."""
    return _HTML_SPACE.sub(" ", text.replace(_NBSP_STAND_IN, "\xa0")).strip(" ")


def _text(element) -> str:
    """An element's text with line breaks as spaces and whitespace collapsed."""
    for line_break in element.iter("lb"):
        line_break.tail = " " + (line_break.tail or "")
    return _collapse("".join(element.itertext()))


def _paragraphs(body, title: str) -> list[str]:
    """Body paragraphs in order: paragraphs, subheadings, quotes, list items; not the headline."""
    paragraphs = []
    for child in body:
        if child.tag == "list":
            texts = [_text(item) for item in child.iter("item")]
        elif child.tag == "quote" and len(child):
            texts = [_text(part) for part in child]
        else:
            texts = [_text(child)]
        if child.tag == "head" and texts == [title]:
            continue
        paragraphs.extend(text for text in texts if text)
    return paragraphs


def _lead_caption(tree) -> str:
    """The caption of the page's first figure outside navigation and related boxes."""
    for caption in tree.iter("figcaption"):
        if any(
            ancestor.tag in ("aside", "nav", "footer") or _NOT_LEAD.search(ancestor.get("class", ""))
            for ancestor in caption.iterancestors()
        ):
            continue
        return _collapse(caption.text_content())
    return ""


def _declared_canonical(tree) -> str:
    """`<link rel="canonical">`, which sites keep cleaner than og:url (no tracking parameters)."""
    for href in tree.xpath("//link[@href][contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"):
        if href.strip():
            return href.strip()
    return ""


def canonical_url(declared: str | None, fetched: str) -> str:
    """The page's canonical URL when it names the same site, else the fetched URL; no fragment.

    A canonical on another host is ignored: it would let one site's page
    replace an article imported from another.
    """
    fetched_parts = urlsplit(fetched)
    url = urljoin(fetched, declared) if declared else fetched
    parts = urlsplit(url)

    def site(host):
        return (host or "").lower().removeprefix("www.")

    if parts.scheme not in ("http", "https") or site(parts.hostname) != site(fetched_parts.hostname):
        parts = fetched_parts
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def source_id_for(url: str) -> str:
    """The article's source id: its canonical URL, or a digest of it when too long for the column."""
    if len(url) <= SOURCE_ID_MAX:
        return url
    return "url-sha256:" + hashlib.sha256(url.encode("utf-8")).hexdigest()


def html_extract(*, html: str, url: str) -> ArticleRecord:
    """The article on a web page as a record; `source` is its canonical URL.

    Raises ImportFailure when no title or no body paragraph can be found.
    """
    document = trafilatura.bare_extraction(
        _NBSP.sub(_NBSP_STAND_IN, html),
        url=url,
        favor_precision=True,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
    )
    if document is None or document.body is None:
        raise ImportFailure(f"no article text could be extracted from {url}")
    title = _collapse(document.title or "")
    paragraphs = _paragraphs(document.body, title)
    if not paragraphs:
        raise ImportFailure(f"no article text could be extracted from {url}")
    if not title:
        raise ImportFailure(f"the page {url} has no title")
    published = None
    if document.date:
        try:
            published = datetime.date.fromisoformat(document.date[:10])
        except ValueError:
            published = None
    try:
        # Bytes, because lxml refuses a str that carries an XML encoding declaration (XHTML pages).
        tree = lxml.html.fromstring(html.encode("utf-8"), parser=_HTML_PARSER)
    except (ValueError, lxml.etree.ParserError):
        tree = None
    declared = (_declared_canonical(tree) if tree is not None else "") or document.url
    canonical = canonical_url(declared, url)
    if len(canonical) > SOURCE_MAX:
        raise ImportFailure(f"the page's address is {len(canonical)} characters long; at most {SOURCE_MAX} are kept")
    return ArticleRecord(
        title=title,
        paragraphs=paragraphs,
        section=_collapse((document.categories or [""])[0]),
        author=_collapse(document.author or ""),
        published=published,
        lead_caption=_lead_caption(tree) if tree is not None else "",
        tags=[_collapse(tag) for tag in document.tags or [] if _collapse(tag)],
        source_id=source_id_for(canonical),
        source=canonical,
    )


def _slug_base(url: str) -> str:
    """A readable slug from the address: host and path, ASCII; a digest when the path is not."""
    parts = urlsplit(url)
    host = slugify((parts.hostname or "").removeprefix("www.").replace(".", "-"))
    path = slugify(unquote(parts.path).replace("/", "-").replace(".", "-"))
    if len(path) < 8:
        path = "-".join(filter(None, [path, hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]]))
    return f"{host}-{path}"[:180].strip("-")


def _slug_set(article: Article, base: str) -> None:
    slug, counter = base, 2
    while Article.objects.filter(slug=slug).exclude(pk=article.pk).exists():
        slug = f"{base}-{counter}"
        counter += 1
    article.slug = slug
    article.save(update_fields=["slug"])


def page_import(*, page: FetchedPage, status: str | None = None, overwrite_edits: bool = False) -> ImportResult:
    """Import an already fetched HTML page; a failure gives a failed result and writes nothing."""
    try:
        record = html_extract(html=page.text(), url=page.url)
        with transaction.atomic():
            result = article_import(
                record=record,
                source_id=record.source_id,
                source=record.source,
                status=status,
                overwrite_edits=overwrite_edits,
            )
            if result.action == "created":
                _slug_set(result.article, _slug_base(record.source))
    except ImportFailure as error:
        return ImportResult(path=None, action="failed", error=str(error))
    except DatabaseError as error:
        return ImportResult(path=None, action="failed", error=f"the database refused the article: {error}")
    return result


def url_import(*, url: str, status: str | None = None, overwrite_edits: bool = False) -> ImportResult:
    """Fetch `url` and import its article, keyed by its canonical URL.

    Any failure (address refused, DNS, connection, timeout, HTTP error, not
    HTML, too large, nothing extractable) gives a failed result with the
    reason and writes nothing.
    """
    try:
        page = url_fetch(url=url.strip(), accept=HTML_TYPES)
    except ImportFailure as error:
        return ImportResult(path=None, action="failed", error=str(error))
    return page_import(page=page, status=status, overwrite_edits=overwrite_edits)
