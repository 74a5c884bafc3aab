"""What editors read about an article's annotations."""

from ..models import Annotation, Article, Mention
from ..rendering import Span, highlight
from ..segments import PAGE_ORDER, SegmentKind
from .presentation import annotation_span


def annotation_workspace(*, article: Article) -> dict:
    """What the annotation page shows editors: every paragraph with its
    annotations and entity mentions marked, the annotations listed, the
    orphans, and the machine's entity suggestions awaiting a decision."""
    annotations = list(
        Annotation.objects.filter(article=article)
        .select_related("author", "paragraph", "mention")
        .order_by("paragraph__position", "start", "created")
    )
    mentions = list(
        Mention.objects.shown()
        .filter(article=article)
        .select_related("entity", "paragraph", "related_story")
        .annotate(page_order=PAGE_ORDER)
        .order_by("page_order", "paragraph__position", "related_story__position", "start")
    )
    paragraphs = []
    for paragraph in article.paragraphs.order_by("position"):
        own = [a for a in annotations if a.paragraph_id == paragraph.pk and a.is_span and a.anchor != "orphaned"]
        spans = [annotation_span(a, workspace=True) for a in own]
        spans += [
            Span(
                m.start,
                m.end,
                "mark",
                {"class": f"entity ent-{m.label}", "title": f"{m.label} · {m.get_source_display()}"},
            )
            for m in mentions
            if m.kind == SegmentKind.PARAGRAPH and m.paragraph_id == paragraph.pk
        ]
        paragraphs.append({"paragraph": paragraph, "html": highlight(paragraph.text, spans), "annotations": own})
    return {
        "paragraphs": paragraphs,
        "article_notes": [
            a for a in annotations if a.paragraph_id is None and not a.is_span and a.anchor != "orphaned"
        ],
        "orphans": [a for a in annotations if a.anchor == Annotation.Anchor.ORPHANED],
        "suggestions": [m for m in mentions if m.status == Mention.Status.SUGGESTED],
        "has_annotations": any(item["annotations"] for item in paragraphs),
    }
