"""What readers and editors read about an entity: its mentions and the articles that carry them."""

from django.db.models import Count, F, Q, QuerySet

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


def suggestions_of_name(*, mention: Mention) -> tuple[int, int]:
    """How many suggestions (this one included when it is one) have the mention's words and
    type: in its article, and in the whole archive. One query."""
    same = Mention.objects.filter(status=Mention.Status.SUGGESTED, text=mention.text, label=mention.label)
    counts = same.aggregate(
        article=Count("pk", filter=Q(article_id=mention.article_id)),
        archive=Count("pk"),
    )
    return counts["article"], counts["archive"]
