"""Importing an article from its web page: fetch, extract with trafilatura, import.

trafilatura finds the article's body and its metadata (JSON-LD, Open Graph,
`<meta>` tags) and leaves out navigation, share buttons, cookie banners,
embedded related boxes, tags and "more in" lists. The page's canonical URL is
the article's source id, so importing it again, from the same address or
another one with the same canonical, goes through `article_import` like any
re-import: unchanged → nothing written, changed → the same article updated.

What the page says about the article is kept as a copied page keeps it: the
category and the dateline city (`أخبار`, `حلب`) from the page's breadcrumb or
its structured data, besides the section. The slug is made from the title,
romanised, as for files (`articles.importing.slugs`).
"""

import datetime
import hashlib
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html
import trafilatura
from django.conf import settings
from django.db import DatabaseError, transaction

from ..models import Article
from ..untrusted_json import UntrustedJSONError, json_parse
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


# A breadcrumb's first step when it is the site's home, not a category.
_HOME = {"الرئيسية", "الصفحة الرئيسية", "الرئيسة", "home", "accueil"}
_BREADCRUMB = re.compile(r"breadcrumb", re.IGNORECASE)
_DATELINE = re.compile(r"dateline|location", re.IGNORECASE)
# A dateline is a place: a few words, no sentence.
_DATELINE_WORDS = 3


def _json_ld(tree) -> list[dict]:
    """The page's JSON-LD objects (a @graph flattened); unreadable blocks are skipped."""
    objects: list[dict] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json_parse(script.text_content() or "", max_bytes=settings.FETCH_MAX_BYTES)
        except UntrustedJSONError:
            continue
        queue = data if isinstance(data, list) else [data]
        while queue:
            item = queue.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                if isinstance(item.get("@graph"), list):
                    queue.extend(item["@graph"])
    return objects


def _named(value) -> str:
    """A JSON-LD value's name: a string, or an object's `name` (a breadcrumb step's `item.name`)."""
    if isinstance(value, dict):
        item = value.get("item")
        value = value.get("name") or (item.get("name") if isinstance(item, dict) else "")
    return _collapse(value) if isinstance(value, str) else ""


def _place_like(text: str, title: str) -> bool:
    return bool(text) and len(text.split()) <= _DATELINE_WORDS and text != title and text[-1:] not in ".:؟?!"


def category_and_dateline(tree, *, title: str) -> tuple[str, str]:
    """The article's category and dateline city as the page states them, or "".

    From structured data first (a BreadcrumbList's first step that is not the
    home page; the article's `locationCreated` / `contentLocation`), then from
    an element marked as the dateline, then from the visible breadcrumb: its
    first link after the home page is the category, and a short item after it
    that is not a link (`<a>أخبار</a> <span>حلب</span>`) is the dateline.
    """
    category = dateline = ""
    for item in _json_ld(tree):
        kinds = item.get("@type") if isinstance(item.get("@type"), list) else [item.get("@type")]
        if "BreadcrumbList" in kinds and not category:
            steps = sorted(
                (step for step in item.get("itemListElement") or [] if isinstance(step, dict)),
                key=lambda step: step.get("position") if isinstance(step.get("position"), int) else 0,
            )
            names = [_named(step) for step in steps]
            category = next((name for name in names if name and name.lower() not in _HOME), "")
        for key in ("locationCreated", "contentLocation"):
            if not dateline and _place_like(_named(item.get(key)), title):
                dateline = _named(item.get(key))
    if not dateline:
        for element in tree.xpath("//*[@class or @itemprop]"):
            marks = f"{element.get('class', '')} {element.get('itemprop', '')}"
            if _DATELINE.search(marks) and element.tag not in ("html", "body", "article", "main"):
                text = _collapse(element.text_content())
                if _place_like(text, title):
                    dateline = text
                    break
    for crumb in tree.xpath("//*[@class or @aria-label or @id]"):
        marks = f"{crumb.get('class', '')} {crumb.get('aria-label', '')} {crumb.get('id', '')}"
        if not _BREADCRUMB.search(marks) or crumb.xpath("ancestor::*[@class][contains(@class, 'breadcrumb')]"):
            continue
        steps = [
            (step.tag == "a" or bool(step.xpath(".//a")), _collapse(step.text_content()))
            for step in crumb.xpath(".//a | .//span[not(ancestor::a)][not(.//a)] | .//li[not(.//a)]")
        ]
        steps = [(linked, text) for linked, text in steps if text and text.lower() not in _HOME]
        if not category:
            category = next((text for linked, text in steps if linked and text != title), "")
        last_linked, last = steps[-1] if steps else (True, "")
        if not dateline and not last_linked and category and last != category and _place_like(last, title):
            dateline = last
        break
    return category, dateline


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
    category, dateline = category_and_dateline(tree, title=title) if tree is not None else ("", "")
    section = _collapse((document.categories or [""])[0])
    return ArticleRecord(
        title=title,
        paragraphs=paragraphs,
        category="" if category == section else category,
        dateline=dateline,
        section=section,
        author=_collapse(document.author or ""),
        published=published,
        lead_caption=_lead_caption(tree) if tree is not None else "",
        tags=[_collapse(tag) for tag in document.tags or [] if _collapse(tag)],
        source_id=source_id_for(canonical),
        source=canonical,
    )


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
