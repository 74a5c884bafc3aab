"""Highlighted segments rendered once per content, not on every view.

A segment's highlighted HTML (`rendering.highlight` of its text with its
entity mentions and annotations, or of a translation with the entities'
English names) depends only on what goes into it: the text, each mark's
offsets and the fields its element shows, the interface language and the
code that draws it. The HTML is kept in Django's cache (`SEGMENT_CACHE_ALIAS`:
the page cache's backend, in its own folder or key prefix; shared by every
process) under a SHA-256 of exactly those inputs.
So it is rendered when the text or its marks change, and a change can never
show stale markup: changed inputs are a new key. Unlike whole pages, kept
segments survive the page version's bumps, which every write anywhere causes.

Only pages shared by every reader use it (`request.page_shared`, set by
`caching.cached_page`): their marks are the public ones. Editors and everyone
with a session render live, so editors-only marks are never kept.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.utils import translation
from django.utils.safestring import SafeString

from .annotations.presentation import annotation_span
from .entities.presentation import english_spans, mention_span
from .rendering import highlight

# The code that draws the marks: a deploy that changes it changes every key.
_HERE = Path(__file__).resolve().parent
_CODE = hashlib.sha256(
    b"".join(
        (_HERE / name).read_bytes()
        for name in (
            "rendering.py",
            "segment_store.py",
            "entities/presentation.py",
            "annotations/presentation.py",
        )
    )
).hexdigest()[:16]


def _mention_inputs(mention) -> tuple:
    """What `mention_span` and `english_spans` read of a mention."""
    entity = mention.entity
    return (
        mention.start,
        mention.end,
        mention.label,
        mention.source,
        mention.text,
        getattr(mention, "article_count", 0) or 0,
        getattr(mention, "tab_stop", True),
        None if entity is None else (entity.pk, entity.name_ar, entity.name_en, tuple(entity.english_names)),
    )


def _annotation_inputs(annotation) -> tuple:
    """What `annotation_span` (and the note it shows) reads of an annotation."""
    return (
        annotation.pk,
        annotation.start,
        annotation.end,
        annotation.kind,
        annotation.accepted,
        annotation.visibility,
        annotation.label,
        annotation.body,
        annotation.proposed_text,
    )


def _key(kind: str, text: str, marks: tuple) -> str:
    digest = hashlib.sha256(repr((_CODE, translation.get_language(), kind, text, marks)).encode()).hexdigest()
    return f"segment:{digest}"


def _kept(key: str, render) -> SafeString:
    cache = caches[settings.SEGMENT_CACHE_ALIAS]
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, timeout=None)
    # The stored value is `highlight`'s own escaped output, under a key only it writes.
    return SafeString(html)


def segment_html(*, text: str, mentions=(), annotations=(), kept: bool, links: bool = True) -> SafeString:
    """Arabic text with its mentions and annotations highlighted; from the store when `kept`.
    Without `links` (text inside a link already), entities are marked but not linked."""

    def render():
        spans = [mention_span(m, link=links) for m in mentions]
        return highlight(text, spans + [annotation_span(a) for a in annotations])

    if not kept:
        return render()
    marks = (tuple(map(_mention_inputs, mentions)), tuple(map(_annotation_inputs, annotations)))
    return _kept(_key("ar" if links else "ar-unlinked", text, marks), render)


def translation_html(*, text: str, mentions=(), kept: bool) -> SafeString:
    """A translation with the mentioned entities' English names highlighted; from the store when `kept`."""

    def render():
        return highlight(text, english_spans(text, list(mentions)))

    if not kept:
        return render()
    return _kept(_key("en", text, tuple(map(_mention_inputs, mentions))), render)
