"""How mentions look on the page: the attributes of their highlight, and the
English names found again in a translation."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from arabic.romanize import romanize

from ..models import EntityType, Mention
from ..rendering import Span


def mention_span(mention: Mention) -> Span:
    """The highlight of a mention: a link to its entity's page when it has one."""
    entity = mention.entity
    attrs = {
        "class": f"entity ent-{mention.label}",
        "data-type": mention.label,
        "data-type-name": str(EntityType(mention.label).label),
        # The English name when the entity has one; else a romanisation a reader can say.
        "data-translit": "" if entity is not None and entity.name_en else romanize(mention.text, name=True),
        "data-source": mention.source,
    }
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
        attrs["href"] = entity.get_absolute_url()
        attrs["title"] = " · ".join(
            filter(None, [attrs["data-type-name"], entity.name_en, attrs.get("data-name-note", "")])
        )
        return Span(mention.start, mention.end, "a", attrs)
    attrs["tabindex"] = "0"
    attrs["title"] = attrs["data-type-name"]
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
