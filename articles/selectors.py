"""Reads that pages and the API share, each in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Sequence

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Prefetch, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from .annotations.presentation import annotation_span
from .models import Annotation, Article, Entity, Mention, Paragraph, RelatedStory, Translation
from .models.entities import sees_editors_only
from .rendering import Span, highlight
from .search import published_ids_ranked, search_terms
from .segments import SegmentKind, segment_key
from .translation.providers import provider_label


def articles_named(*, slugs: list[str], every: bool = False) -> QuerySet[Article]:
    """The articles with these slugs (or every article); LookupError names the missing ones."""
    articles = Article.objects.order_by("pk")
    if every:
        return articles
    if not slugs:
        raise LookupError("name articles by slug, or pass --all")
    articles = articles.filter(slug__in=slugs)
    missing = sorted(set(slugs) - set(articles.values_list("slug", flat=True)))
    if missing:
        raise LookupError(f"no article with slug: {', '.join(missing)}")
    return articles


# What a card (`articles.cards`) and the API's summary show: fewer fields, cheaper rows.
LISTED_FIELDS = ("slug", "title", "section", "dateline", "published")
# The card shows the lead's first 40 words: no need to read a long paragraph whole.
LEAD_CHARACTERS = 1500


class ListedArticles(Sequence):
    """Articles in the order of their ids, as a Paginator pages them, in two steps: the ids
    (a list, or an ordered query of primary keys, sliced in the database), then, for the
    slice a page shows, those articles' cards in one query (`articles_listed`).

    Ordering and reading in one query would read every candidate's lead
    before sorting (SQLite sorts whole rows); this reads the leads of one page."""

    def __init__(self, ids: "list[int] | QuerySet"):
        self.ids = ids

    def count(self) -> int:
        return self.ids.count() if isinstance(self.ids, QuerySet) else len(self.ids)

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        ids = list(self.ids)
        for start in range(0, len(ids), 100):  # all of them (rarely wanted): a hundred a query
            yield from articles_listed(ids[start : start + 100])

    def __getitem__(self, index):
        if isinstance(index, slice):
            return articles_listed(list(self.ids[index]))
        return articles_listed([self.ids[index]])[0]


def articles_for_listing(*, query: str = "") -> ListedArticles:
    """Published articles, each with its first paragraph's beginning as `lead`: newest first,
    or, with a query, those matching every word, most relevant first (`search.published_ids_ranked`:
    every match's id is read, as ranking needs them all)."""
    terms = search_terms(query)
    if terms.text:
        return ListedArticles(published_ids_ranked(terms))
    return ListedArticles(Article.objects.published().newest_first().values_list("pk", flat=True))


def articles_listed(ids: list[int]) -> list[Article]:
    """The published articles with these ids, in this order, with what a card shows and their
    first paragraph's beginning as `lead`: one query, in SQL the ORM would take longer to
    compile than the database to run (a search reads a page of them on every request)."""
    if not ids:
        return []
    articles, paragraphs = Article._meta.db_table, Paragraph._meta.db_table
    columns = ", ".join(f"a.{field}" for field in ("id", *LISTED_FIELDS))
    sql = (
        f"SELECT {columns}, (SELECT SUBSTR(p.text, 1, {LEAD_CHARACTERS}) FROM {paragraphs} p "
        "WHERE p.article_id = a.id ORDER BY p.position LIMIT 1) AS lead "
        f"FROM {articles} a WHERE a.status = %s AND a.id IN ({', '.join(['%s'] * len(ids))})"
    )
    by_id = {article.pk: article for article in Article.objects.raw(sql, [Article.Status.PUBLISHED, *ids])}
    return [by_id[pk] for pk in ids if pk in by_id]  # one deleted or unpublished since is left out


def article_for_reading(*, slug: str, user) -> Article:
    """The article with everything its page shows; drafts only for staff (else 404).

    Attaches `translation` (a Translation or None) to the article's title
    (`title_translation`), lead caption (`caption_translation`), each paragraph
    and each related story; and the entity mentions a reader sees to each
    segment (`marks`, `title_marks`, `caption_marks`), each mention knowing
    how many published articles mention its entity (`article_count`: kept on
    the entity for readers, counted live for editors, who see more).
    """
    target = settings.TRANSLATION_TARGET
    articles = Article.objects.visible_to(user).prefetch_related(
        Prefetch("paragraphs", queryset=Paragraph.objects.order_by("position")),
        Prefetch("related_stories", queryset=RelatedStory.objects.order_by("position")),
        Prefetch("translations", queryset=Translation.objects.filter(target_lang=target), to_attr="all_translations"),
        Prefetch(
            "mentions",
            queryset=Mention.objects.shown().visible_to(user).select_related("entity"),
            to_attr="shown_mentions",
        ),
        Prefetch(
            "annotations",
            queryset=Annotation.objects.visible_to(user).readable().order_by("start", "created"),
            to_attr="reader_annotations",
        ),
    )
    article = get_object_or_404(articles, slug=slug)
    _attach_mentions(article, user=user)
    _attach_annotations(article)
    by_key = {(t.kind, t.paragraph_id, t.related_story_id): t for t in article.all_translations}
    article.title_translation = by_key.get((Translation.Kind.TITLE, None, None))
    article.caption_translation = by_key.get((Translation.Kind.LEAD_CAPTION, None, None))
    for paragraph in article.paragraphs.all():
        paragraph.translation = by_key.get((Translation.Kind.PARAGRAPH, paragraph.pk, None))
    for story in article.related_stories.all():
        story.translation = by_key.get((Translation.Kind.RELATED, None, story.pk))
    article.translation_providers = sorted(
        {t.provider for t in article.all_translations if t.is_current and not t.is_reviewed and t.provider}
    )
    article.translation_provider_labels = [provider_label(name) for name in article.translation_providers]
    article.reviewed_count = sum(t.is_reviewed for t in article.all_translations)
    article.failed_count = sum(t.status == Translation.Status.FAILED for t in article.all_translations)
    return article


def _attach_mentions(article: Article, *, user) -> None:
    by_segment = defaultdict(list)
    for mention in article.shown_mentions:
        by_segment[mention.segment_key].append(mention)
    if sees_editors_only(user):
        # Editors may see editors-only mentions: their counts include those, live
        # (one query, also when there is no entity, so every page costs the same).
        in_this_article = Mention.objects.filter(article=article, entity__isnull=False).shown().values("entity")
        counts = dict(
            Mention.objects.shown()
            .filter(entity__in=in_this_article, article__status=Article.Status.PUBLISHED)
            .order_by()
            .values_list("entity_id")
            .annotate(articles=Count("article", distinct=True))
        )
        for mention in article.shown_mentions:
            mention.article_count = counts.get(mention.entity_id, 0)
    else:
        # Everyone else: the count kept on the entity (articles.entity_counts), no query.
        for mention in article.shown_mentions:
            mention.article_count = mention.entity.article_count if mention.entity is not None else 0
    article.mention_sources = sorted({Mention.Source(m.source).label for m in article.shown_mentions})
    article.title_marks = by_segment[segment_key(SegmentKind.TITLE, None, None)]
    article.caption_marks = by_segment[segment_key(SegmentKind.LEAD_CAPTION, None, None)]
    for paragraph in article.paragraphs.all():
        paragraph.marks = by_segment[segment_key(SegmentKind.PARAGRAPH, paragraph.pk, None)]
    for story in article.related_stories.all():
        story.title_marks = by_segment[segment_key(SegmentKind.RELATED, None, story.pk)]
        story.caption_marks = by_segment[segment_key(SegmentKind.RELATED_CAPTION, None, story.pk)]


PAGE_ORDER = Case(
    *(When(kind=kind, then=Value(order)) for order, kind in enumerate(SegmentKind.values)),
    output_field=IntegerField(),
)


def _attach_annotations(article: Article) -> None:
    by_paragraph = defaultdict(list)
    for annotation in article.reader_annotations:
        by_paragraph[annotation.paragraph_id].append(annotation)
    article.article_notes = [a for a in by_paragraph.pop(None, []) if not a.is_span]
    for paragraph in article.paragraphs.all():
        paragraph.notes = [a for a in by_paragraph[paragraph.pk] if a.is_span]


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
