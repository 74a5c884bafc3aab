"""What editors read about an article's annotations: the Annotate page's data, as a read
model (`Workspace`) the page's presentation renders (`presentation.workspace_page`)."""

from dataclasses import dataclass, field

from ..models import Annotation, Article, Mention, Paragraph
from ..segments import PAGE_ORDER, SegmentKind


@dataclass(frozen=True)
class WorkspaceParagraph:
    """A paragraph with what is marked on it: its anchored span annotations and its shown mentions."""

    paragraph: Paragraph
    annotations: list = field(default_factory=list)
    mentions: list = field(default_factory=list)


@dataclass(frozen=True)
class Workspace:
    """Everything the Annotate page shows editors, read in four queries however long the article."""

    article: Article
    paragraphs: list  # WorkspaceParagraph, in order
    article_notes: list  # annotations on the whole article
    orphans: list  # annotations whose words are gone
    mentions: list  # every shown mention, in page order (title, caption, paragraphs, related)
    suggestions: list = field(default_factory=list)  # those still awaiting an editor's decision

    @property
    def has_annotations(self) -> bool:
        return any(item.annotations for item in self.paragraphs)


def annotation_workspace(*, article: Article) -> Workspace:
    """The article's paragraphs with their annotations and entity mentions, the annotations
    on the whole article, the orphans, and the machine's suggestions awaiting a decision."""
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
    paragraphs = [
        WorkspaceParagraph(
            paragraph=paragraph,
            annotations=[a for a in annotations if a.paragraph_id == paragraph.pk and a.is_span and not a.is_orphaned],
            mentions=[m for m in mentions if m.kind == SegmentKind.PARAGRAPH and m.paragraph_id == paragraph.pk],
        )
        for paragraph in article.paragraphs.order_by("position")
    ]
    return Workspace(
        article=article,
        paragraphs=paragraphs,
        article_notes=[a for a in annotations if a.paragraph_id is None and not a.is_span and not a.is_orphaned],
        orphans=[a for a in annotations if a.is_orphaned],
        mentions=mentions,
        suggestions=[m for m in mentions if m.status == Mention.Status.SUGGESTED],
    )
