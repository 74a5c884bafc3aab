"""How mentions look on the page: the attributes of their highlight, and the
English names found again in a translation."""

import re
from dataclasses import dataclass, replace

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from arabic.romanize import romanize

from ..models import EntityType, Mention
from ..rendering import Span, highlight
from ..snippets import around


def mention_span(mention: Mention, *, link: bool = True) -> Span:
    """The highlight of a mention: a link to its entity's page when it has one (and `link`: not
    inside another link). Only the first mark of each entity on a page is a tab stop
    (`mention.tab_stop`, set by the page's selector; others are still reached by the pointer)."""
    entity = mention.entity
    attrs = {
        "class": f"entity ent-{mention.label}",
        "data-type": mention.label,
        "data-type-name": str(EntityType(mention.label).label),
        # The English name when the entity has one; else a romanisation a reader can say.
        "data-translit": "" if entity is not None and entity.name_en else romanize(mention.text, name=True),
        "data-source": mention.source,
    }
    tab_stop = getattr(mention, "tab_stop", True)
    if entity is not None:
        attrs["data-name-en"] = entity.name_en
        if entity.romanised:
            attrs["data-name-note"] = _("romanised, not checked")
        count = getattr(mention, "article_count", 0) or 0
        attrs["data-count"] = str(count or "")
        attrs["data-count-label"] = (
            ngettext("Mentioned in %(count)d article", "Mentioned in %(count)d articles", count) % {"count": count}
            if count
            else ""
        )
        attrs["data-entity"] = str(entity.pk)
        attrs["title"] = " · ".join(
            filter(None, [attrs["data-type-name"], entity.name_en, attrs.get("data-name-note", "")])
        )
        if link:
            attrs["class"] += " entity-link"
            attrs["href"] = entity.get_absolute_url()
            if not tab_stop:
                attrs["tabindex"] = "-1"
            return Span(mention.start, mention.end, "a", attrs)
    else:
        attrs["title"] = attrs["data-type-name"]
    if tab_stop and link:
        attrs["tabindex"] = "0"
    return Span(mention.start, mention.end, "mark", attrs)


def english_spans(translation: str, mentions: list[Mention]) -> list[Span]:
    """Where a mentioned entity's English name appears in the translation, mark it in the same colour."""
    names = {}
    for mention in mentions:
        if mention.entity is not None:
            for name in mention.entity.english_names:
                names.setdefault(name, mention)
    spans = []
    taken: list[tuple[int, int]] = []
    for name in sorted(names, key=len, reverse=True):
        mention = names[name]
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", translation, flags=re.IGNORECASE):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append((match.start(), match.end()))
            spans.append(
                Span(
                    match.start(),
                    match.end(),
                    "mark",
                    {
                        "class": f"entity-en ent-{mention.label}",
                        "data-entity": str(mention.entity.pk),
                        "title": _("Translates %(name)s") % {"name": mention.entity.name_ar},
                    },
                )
            )
    return spans


@dataclass(frozen=True)
class MentionPassage:
    """A mention on its entity's page: the words around it in Arabic, and the same passage of the
    translation (around the entity's English name where the translation has it) or ""."""

    arabic: SafeString
    english: SafeString


def _cut(text: str, start: int, end: int, html: SafeString) -> SafeString:
    before = SafeString("… " if start > 0 else "")
    return before + html + SafeString(" …" if end < len(text) else "")


def _shifted(spans: list[Span], start: int, end: int) -> list[Span]:
    return [
        replace(span, start=span.start - start, end=span.end - start)
        for span in spans
        if start <= span.start and span.end <= end
    ]


def _english_window(translation: str, mentions: list[Mention], where: float) -> tuple[int, int, list[Span]]:
    """The passage of the translation that says what the Arabic passage says: around the entity's
    English name nearest to the same place (`where`, 0–1 through the text), or at that place."""
    spans = english_spans(translation, mentions)
    if spans:
        nearest = min(spans, key=lambda span: abs(span.start / max(len(translation), 1) - where))
        start, end = around(translation, nearest.start, nearest.end)
    else:
        middle = int(where * len(translation))
        start, end = around(translation, middle, middle + 1)
    return start, end, spans


def mention_passages(segment) -> list[MentionPassage]:
    """The entity's mentions in one segment (`entities.selectors.MentionedSegment`) as short
    passages: about `snippets.WINDOW` words around each, overlapping ones joined, the mention
    marked (not linked: this is its page)."""
    text = segment.text
    windows: list[list] = []
    for mention in sorted(segment.marks, key=lambda mention: mention.start):
        start, end = around(text, mention.start, mention.end)
        if windows and start < windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
            windows[-1][2].append(mention)
        else:
            windows.append([start, end, [mention]])
    passages = []
    for start, end, mentions in windows:
        spans = [mention_span(mention, link=False) for mention in mentions]
        arabic = _cut(text, start, end, highlight(text[start:end], _shifted(spans, start, end)))
        english = SafeString("")
        if segment.translation:
            where = mentions[0].start / max(len(text), 1)
            en_start, en_end, en_spans = _english_window(segment.translation, mentions, where)
            window = segment.translation[en_start:en_end]
            english = _cut(
                segment.translation, en_start, en_end, highlight(window, _shifted(en_spans, en_start, en_end))
            )
        passages.append(MentionPassage(arabic=arabic, english=english))
    return passages
