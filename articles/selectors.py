"""Reads that pages and the API share, each in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Sequence

from django.conf import settings
from django.db import connection
from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from arabic.text import normalize
from arabic.translation.providers import provider_label

from .models import Annotation, Article, Mention, Paragraph, RelatedStory, Translation
from .models.entities import names_in, sees_editors_only
from .search import SearchQueryTerms, folded_words, published_ids_ranked, search_terms, title_key
from .segments import SegmentKind, segment_key
from .snippets import SegmentText


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

    def __init__(self, ids: "list[int] | QuerySet", *, terms: SearchQueryTerms | None = None):
        self.ids = ids
        self.terms = terms

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
            return articles_listed(list(self.ids[index]), terms=self.terms)
        return articles_listed([self.ids[index]])[0]


def articles_for_listing(*, query: str = "") -> ListedArticles:
    """Published articles, each with its first paragraph's beginning as `lead`: newest first,
    or, with a query, those matching every word, most relevant first (`search.published_ids_ranked`:
    every match's id is read, as ranking needs them all), each with the texts its passage is taken
    from (`search_texts`)."""
    terms = search_terms(query)
    if terms.text:
        return ListedArticles(published_ids_ranked(terms), terms=terms)
    return ListedArticles(Article.objects.published().newest_first().values_list("pk", flat=True))


def articles_listed(ids: list[int], *, terms: SearchQueryTerms | None = None) -> list[Article]:
    """The published articles with these ids, in this order, with what a card shows: their
    first paragraph's beginning as `lead`, their title's translation as `title_translation`
    (empty when none; `title_reviewed` when an editor reviewed it). One query, in SQL the ORM
    would take longer to compile than the database to run (a search reads a page of them on
    every request). With search terms, one more reads the texts a result's passage is taken
    from (`articles_search_texts`), and one more, when the query has a Latin word, where the
    entities it names are mentioned."""
    if not ids:
        return []
    articles, paragraphs, translations = Article._meta.db_table, Paragraph._meta.db_table, Translation._meta.db_table
    columns = ", ".join(f"a.{field}" for field in ("id", *LISTED_FIELDS))
    # A search reads every paragraph next (its passages): the lead is the first of them.
    lead = (
        ""
        if terms
        else f"(SELECT SUBSTR(p.text, 1, {LEAD_CHARACTERS}) FROM {paragraphs} p "
        "WHERE p.article_id = a.id ORDER BY p.position LIMIT 1) AS lead, "
    )
    sql = (
        f"SELECT {columns}, {lead}"
        "COALESCE(t.text, '') AS title_translation, t.reviewed_at IS NOT NULL AS title_reviewed "
        f"FROM {articles} a LEFT JOIN {translations} t ON t.article_id = a.id AND t.kind = %s AND t.target_lang = %s "
        f"WHERE a.status = %s AND a.id IN ({', '.join(['%s'] * len(ids))})"
    )
    parameters = [Translation.Kind.TITLE, settings.TRANSLATION_TARGET, Article.Status.PUBLISHED, *ids]
    by_id = {article.pk: article for article in Article.objects.raw(sql, parameters)}
    listed = [by_id[pk] for pk in ids if pk in by_id]  # one deleted or unpublished since is left out
    if terms:
        texts = articles_search_texts([article.pk for article in listed], terms=terms)
        for article in listed:
            article.search_texts = texts.get(article.pk, [])
            article.lead = next((text.text[:LEAD_CHARACTERS] for text in article.search_texts if text.lang == "ar"), "")
    return listed


# A passage is taken from the first characters of a paragraph: a very long one is not read whole.
PASSAGE_SOURCE_CHARACTERS = 6000


def articles_search_texts(ids: list[int], *, terms: SearchQueryTerms) -> dict[int, list[SegmentText]]:
    """For each article, its paragraphs in order, each followed by its translation (for a query
    with a Latin word): the texts a search result's passage may come from. An Arabic paragraph
    carries the spans of the entities whose English names or aliases hold a word of a Latin query
    (what made `Erdogan` match)."""
    if not ids:
        return {}
    paragraphs, translations = Paragraph._meta.db_table, Translation._meta.db_table
    # An Arabic query cannot match the English text: its paragraphs are read alone.
    translation, joined = (
        (
            f"SUBSTR(COALESCE(t.text, ''), 1, {PASSAGE_SOURCE_CHARACTERS})",
            f"LEFT JOIN {translations} t ON t.paragraph_id = p.id AND t.target_lang = %s ",
        )
        if terms.latin
        else ("''", "")
    )
    sql = (
        f"SELECT p.article_id, p.id, SUBSTR(p.text, 1, {PASSAGE_SOURCE_CHARACTERS}), {translation} "
        f"FROM {paragraphs} p {joined}"
        f"WHERE p.article_id IN ({', '.join(['%s'] * len(ids))}) ORDER BY p.article_id, p.position"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [settings.TRANSLATION_TARGET, *ids] if terms.latin else ids)
        rows = cursor.fetchall()
    names = _names_matched(ids, terms) if terms.latin else {}
    target = settings.TRANSLATION_TARGET
    texts: dict[int, list[SegmentText]] = defaultdict(list)
    for article_id, paragraph_id, text, translation in rows:
        texts[article_id].append(SegmentText(text, "ar", tuple(names.get(paragraph_id, ()))))
        if translation:
            texts[article_id].append(SegmentText(translation, target))
    return texts


def _names_matched(ids: list[int], terms: SearchQueryTerms) -> dict[int, list[tuple[int, int, int]]]:
    """Per paragraph, the mentions (start, end, query word) readers see of entities whose English
    names hold a word of the query."""
    mentions = (
        Mention.objects.shown()
        .public()
        .filter(article_id__in=ids, kind=SegmentKind.PARAGRAPH, entity__isnull=False)
        .values_list("paragraph_id", "start", "end", "entity__name_en", "entity__aliases_en")
    )
    found: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for paragraph_id, start, end, name_en, aliases_en in mentions:
        words = folded_words(" ".join([name_en, *names_in(aliases_en)]))
        for index, forms in enumerate(terms.words):
            if words.intersection(forms):
                found[paragraph_id].append((start, end, index))
    return found


def article_for_reading(*, slug: str, user) -> Article:
    """The article with everything its page shows; drafts only for staff (else 404).

    Each related story gets `article_url`: the page of the published article with its headline
    (folded as search folds it), or "" when the archive has none (one query).
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
    _attach_related_links(article)
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


def _attach_related_links(article: Article) -> None:
    stories = list(article.related_stories.all())
    keys = {story.pk: title_key(story.title) for story in stories}
    found: dict[str, str] = {}
    if stories:
        for key, slug in (
            Article.objects.published()
            .filter(title_key__in=set(keys.values()))
            .exclude(pk=article.pk)
            .newest_first()
            .values_list("title_key", "slug")
        ):
            found.setdefault(key, slug)  # the newest of two articles with one headline
    for story in stories:
        slug = found.get(keys[story.pk])
        story.article_url = reverse("articles:detail", kwargs={"slug": slug}) if slug else ""


def _page_position(mention: Mention, positions: dict[tuple[str, int], int]) -> tuple:
    """Where a mention comes on the article's page: header, rows, related stories; then its offset."""
    row = mention.paragraph_id or mention.related_story_id
    return (PAGE_ORDER_OF[mention.kind], positions.get((mention.kind, row), 0), mention.start)


# A related headline's marks come before its caption's on the page; each in page order.
PAGE_ORDER_OF = {kind: order for order, kind in enumerate(SegmentKind.values)}
PAGE_ORDER_OF[SegmentKind.RELATED_CAPTION] = PAGE_ORDER_OF[SegmentKind.RELATED]


def _attach_tab_stops(article: Article) -> None:
    """One tab stop per entity: the first mark of each entity (or, unlinked, of each name and type)
    on the page is reached with Tab, the others are skipped (`tab_stop`); marks in a related
    headline that links to its article are not links of their own, and no stop."""
    positions = {(SegmentKind.PARAGRAPH, p.pk): p.position for p in article.paragraphs.all()}
    linked_titles = set()
    for story in article.related_stories.all():
        positions[(SegmentKind.RELATED, story.pk)] = positions[(SegmentKind.RELATED_CAPTION, story.pk)] = story.position
        if story.article_url:
            linked_titles.add(story.pk)
    seen = set()
    for mention in sorted(article.shown_mentions, key=lambda m: _page_position(m, positions)):
        in_link = mention.kind == SegmentKind.RELATED and mention.related_story_id in linked_titles
        key = mention.entity_id if mention.entity_id is not None else (normalize(mention.text), mention.label)
        mention.tab_stop = not in_link and key not in seen
        if mention.tab_stop:
            seen.add(key)


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
    _attach_tab_stops(article)
    article.checked_mentions = sum(m.status == Mention.Status.CONFIRMED for m in article.shown_mentions)
    article.title_marks = by_segment[segment_key(SegmentKind.TITLE, None, None)]
    article.caption_marks = by_segment[segment_key(SegmentKind.LEAD_CAPTION, None, None)]
    for paragraph in article.paragraphs.all():
        paragraph.marks = by_segment[segment_key(SegmentKind.PARAGRAPH, paragraph.pk, None)]
    for story in article.related_stories.all():
        story.title_marks = by_segment[segment_key(SegmentKind.RELATED, None, story.pk)]
        story.caption_marks = by_segment[segment_key(SegmentKind.RELATED_CAPTION, None, story.pk)]


def _attach_annotations(article: Article) -> None:
    by_paragraph = defaultdict(list)
    for annotation in article.reader_annotations:
        by_paragraph[annotation.paragraph_id].append(annotation)
    article.article_notes = [a for a in by_paragraph.pop(None, []) if not a.is_span]
    for paragraph in article.paragraphs.all():
        paragraph.notes = [a for a in by_paragraph[paragraph.pk] if a.is_span]
