"""What readers and editors read about an entity: its mentions and the articles that carry them."""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet

from ..models import Article, Entity, Mention, Translation
from ..segments import PAGE_ORDER, SegmentKind


def entity_mentions(*, entity: Entity, user=None) -> QuerySet[Mention]:
    """Every mention of `entity` that `user` (anonymous: None) may see, newest article first, paragraphs in order."""
    return (
        Mention.objects.shown()
        .visible_to(user)
        .filter(entity=entity, article__status=Article.Status.PUBLISHED)
        .select_related("article", "paragraph", "related_story", "entity")
        .annotate(page_order=PAGE_ORDER)
        .order_by(
            F("article__published").desc(nulls_last=True),
            "-article_id",
            "page_order",
            "paragraph__position",
            "related_story__position",
            "start",
        )
    )


def entity_articles(*, entity: Entity, user=None) -> QuerySet[Article]:
    """The published articles that show `user` a mention of `entity`, newest first (to paginate)."""
    mentioned = Mention.objects.shown().visible_to(user).filter(entity=entity).values("article_id")
    return Article.objects.published().filter(pk__in=mentioned).newest_first().defer("search_text", "content_hash")


@dataclass
class MentionedSegment:
    """One segment of an article that mentions the entity: its text, the entity's marks in it,
    where it is on the article's page, and its translation ("" when none)."""

    kind: str
    text: str
    marks: list[Mention]
    anchor: str = ""
    position: int | None = None
    translation: str = ""


@dataclass
class MentioningArticle:
    """An article on the entity's page: its headline (with its translation and the entity's marks
    in it) and the other segments that mention the entity, in page order."""

    article: Article
    title_marks: list[Mention] = field(default_factory=list)
    title_translation: str = ""
    title_reviewed: bool = False
    segments: list[MentionedSegment] = field(default_factory=list)


def entity_page(*, entity: Entity, user=None, articles: list[Article] | None = None) -> list[MentioningArticle]:
    """The entity's mentions that `user` may see, grouped by article (newest first), then by segment
    in page order, with the translation of each segment and headline; only in `articles` (one page
    of `entity_articles`) when given. Two queries: the mentions, the translations."""
    groups: dict[int, MentioningArticle] = {}
    mentions = entity_mentions(entity=entity, user=user)
    if articles is not None:
        mentions = mentions.filter(article__in=[article.pk for article in articles])
    segments: dict[tuple, MentionedSegment] = {}
    for mention in mentions:
        group = groups.setdefault(mention.article_id, MentioningArticle(article=mention.article))
        if mention.kind == SegmentKind.TITLE:  # the headline is the group's heading
            group.title_marks.append(mention)
            continue
        key = (mention.article_id, *mention.segment_key)
        if key not in segments:
            segments[key] = MentionedSegment(
                kind=mention.kind,
                text=mention.segment_text,
                marks=[],
                anchor=mention.paragraph.anchor if mention.paragraph_id else "",
                position=mention.paragraph.position if mention.paragraph_id else None,
            )
            group.segments.append(segments[key])
        segments[key].marks.append(mention)
    _attach_translations(groups, segments)
    return list(groups.values())


def _attach_translations(groups: dict[int, MentioningArticle], segments: dict[tuple, MentionedSegment]) -> None:
    if not groups:
        return
    translations = (
        Translation.objects.filter(article_id__in=list(groups), target_lang=settings.TRANSLATION_TARGET)
        .exclude(text="")
        .filter(
            Q(kind__in=[Translation.Kind.TITLE, Translation.Kind.LEAD_CAPTION])
            | Q(paragraph_id__in=[key[2] for key in segments if key[2]])
            | Q(related_story_id__in=[key[3] for key in segments if key[1] == SegmentKind.RELATED])
        )
        .values_list("article_id", "kind", "paragraph_id", "related_story_id", "text", "reviewed_at")
    )
    for article_id, kind, paragraph_id, related_story_id, text, reviewed_at in translations:
        if kind == Translation.Kind.TITLE:
            groups[article_id].title_translation, groups[article_id].title_reviewed = text, reviewed_at is not None
        elif (segment := segments.get((article_id, kind, paragraph_id, related_story_id))) is not None:
            segment.translation = text


def suggestions_of_name(*, mention: Mention) -> tuple[int, int]:
    """How many suggestions (this one included when it is one) have the mention's words and
    type: in its article, and in the whole archive. One query."""
    same = Mention.objects.filter(status=Mention.Status.SUGGESTED, text=mention.text, label=mention.label)
    counts = same.aggregate(
        article=Count("pk", filter=Q(article_id=mention.article_id)),
        archive=Count("pk"),
    )
    return counts["article"], counts["archive"]


class EditorTraining(NamedTuple):
    """Editors' decisions as `train_ner` learns from them (`arabic.ner.corpora.decided_sentences`).

    `documents`: for each article with a decision (a mention confirmed,
    rejected, or added by an editor), its segments holding one, each as
    (text, spans) with every mention of the segment: (start, end, label,
    "keep" | "reject" | "suggested"). An article's order is its id's;
    segments in page order. `decisions`: how many decisions there are.
    `encyclopedic`: for each document, whether recognition read its article
    as an encyclopedia article (None: not known, recognised before that was
    kept); `articles`: each document's article id.
    """

    documents: list[list[tuple[str, list[tuple[int, int, str, str]]]]]
    decisions: int
    encyclopedic: list[bool | None]
    articles: list[int]


def editor_training_documents() -> EditorTraining:
    """Editors' decisions as `train_ner` learns from them: see `EditorTraining`."""
    from arabic.ner.corpora import KEEP, REJECT, SUGGESTED

    decided = Mention.objects.filter(
        Q(status__in=[Mention.Status.CONFIRMED, Mention.Status.REJECTED]) | Q(source=Mention.Source.EDITOR)
    )
    keys = set(decided.values_list("article_id", "kind", "paragraph_id", "related_story_id"))
    if not keys:
        return EditorTraining([], 0, [], [])
    mentions = (
        Mention.objects.filter(article_id__in={key[0] for key in keys})
        .select_related("article", "paragraph", "related_story")
        .annotate(page_order=PAGE_ORDER)
        .order_by("article_id", "page_order", "paragraph__position", "related_story__position", "start")
    )
    documents: dict[int, dict[tuple, tuple[str, list]]] = {}
    read_as: dict[int, bool | None] = {}
    decisions = 0
    for mention in mentions:
        key = (mention.article_id, mention.kind, mention.paragraph_id, mention.related_story_id)
        if key not in keys:
            continue
        if mention.status == Mention.Status.REJECTED:
            decision = REJECT
        elif mention.is_editor_decision:
            decision = KEEP
        else:
            decision = SUGGESTED
        decisions += decision != SUGGESTED
        segment = documents.setdefault(mention.article_id, {}).setdefault(key, (mention.segment_text, []))
        segment[1].append((mention.start, mention.end, mention.label, decision))
        # An editor's choice of the article's kind, when there is one, before the machine's judgement.
        chosen = mention.article.encyclopedia_by_editor
        read_as[mention.article_id] = mention.article.read_as_encyclopedia if chosen is None else chosen
    articles = sorted(documents)
    return EditorTraining(
        [list(documents[pk].values()) for pk in articles], decisions, [read_as.get(pk) for pk in articles], articles
    )
