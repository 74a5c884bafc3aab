"""What readers and editors read about an entity: its mentions and the articles that carry them."""

from django.db.models import F, Q, QuerySet

from ..models import Article, Entity, Mention
from ..segments import PAGE_ORDER


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


def entity_page(*, entity: Entity, user=None, articles: list[Article] | None = None) -> list[dict]:
    """The entity's mentions that `user` may see, grouped by article (newest first), then by segment
    in page order; only in `articles` (one page of `entity_articles`) when given."""
    groups: dict[int, dict] = {}
    mentions = entity_mentions(entity=entity, user=user)
    if articles is not None:
        mentions = mentions.filter(article__in=[article.pk for article in articles])
    for mention in mentions:
        group = groups.setdefault(mention.article_id, {"article": mention.article, "segments": {}})
        segment = group["segments"].setdefault(
            mention.segment_key,
            {
                "text": mention.segment_text,
                "marks": [],
                "anchor": mention.paragraph.anchor if mention.paragraph_id else "",
                "position": mention.paragraph.position if mention.paragraph_id else None,
            },
        )
        segment["marks"].append(mention)
    return [{"article": g["article"], "segments": list(g["segments"].values())} for g in groups.values()]


def editor_training_documents() -> tuple[list[list[tuple[str, list[tuple[int, int, str, str]]]]], int]:
    """Editors' decisions as `train_ner` learns from them (`arabic.ner.corpora.decided_sentences`),
    and how many decisions there are.

    For each article with a decision (a mention confirmed, rejected, or added
    by an editor), its segments holding one, each as (text, spans) with
    every mention of the segment: (start, end, label, "keep" | "reject" |
    "suggested"). An article's order is its id's; segments in page order.
    """
    from arabic.ner.corpora import KEEP, REJECT, SUGGESTED

    decided = Mention.objects.filter(
        Q(status__in=[Mention.Status.CONFIRMED, Mention.Status.REJECTED]) | Q(source=Mention.Source.EDITOR)
    )
    keys = set(decided.values_list("article_id", "kind", "paragraph_id", "related_story_id"))
    if not keys:
        return [], 0
    mentions = (
        Mention.objects.filter(article_id__in={key[0] for key in keys})
        .select_related("article", "paragraph", "related_story")
        .annotate(page_order=PAGE_ORDER)
        .order_by("article_id", "page_order", "paragraph__position", "related_story__position", "start")
    )
    documents: dict[int, dict[tuple, tuple[str, list]]] = {}
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
    return [list(segments.values()) for _, segments in sorted(documents.items())], decisions
