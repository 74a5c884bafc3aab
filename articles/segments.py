"""The pieces of an article that carry text of their own, in page order.

Translation and entity recognition both work segment by segment: the title,
the lead caption, each body paragraph, each related story's headline and
caption. A segment is identified by its kind and the row it lives on.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _


class SegmentKind(models.TextChoices):
    TITLE = "title", _("Title")
    LEAD_CAPTION = "lead_caption", _("Lead caption")
    PARAGRAPH = "paragraph", _("Paragraph")
    RELATED = "related", _("Related headline")
    RELATED_CAPTION = "related_caption", _("Related caption")


@dataclass(frozen=True)
class Segment:
    kind: str
    text: str
    paragraph: object = None
    related_story: object = None

    @property
    def key(self) -> tuple:
        return segment_key(self.kind, getattr(self.paragraph, "pk", None), getattr(self.related_story, "pk", None))


def segment_key(kind: str, paragraph_id: int | None, related_story_id: int | None) -> tuple:
    return kind, paragraph_id, related_story_id


def article_segments(article, kinds=tuple(SegmentKind.values)) -> list[Segment]:
    """The article's non-empty segments of the given kinds, in page order."""
    segments = []
    if SegmentKind.TITLE in kinds:
        segments.append(Segment(SegmentKind.TITLE, article.title))
    if SegmentKind.LEAD_CAPTION in kinds and article.lead_caption.strip():
        segments.append(Segment(SegmentKind.LEAD_CAPTION, article.lead_caption))
    if SegmentKind.PARAGRAPH in kinds:
        segments += [
            Segment(SegmentKind.PARAGRAPH, p.text, paragraph=p) for p in article.paragraphs.order_by("position")
        ]
    for story in article.related_stories.order_by("position"):
        if SegmentKind.RELATED in kinds:
            segments.append(Segment(SegmentKind.RELATED, story.title, related_story=story))
        if SegmentKind.RELATED_CAPTION in kinds and story.caption.strip():
            segments.append(Segment(SegmentKind.RELATED_CAPTION, story.caption, related_story=story))
    return segments


# Orders rows that carry a `kind` (mentions, translations) as the page shows their segments.
PAGE_ORDER = Case(
    *(When(kind=kind, then=Value(order)) for order, kind in enumerate(SegmentKind.values)),
    output_field=IntegerField(),
)
