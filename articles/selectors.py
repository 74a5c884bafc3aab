"""Reads that pages and the API share, each in a fixed number of queries."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from .arabic import normalize_for_search
from .models import Article, Paragraph, RelatedStory


def articles_for_listing(*, query: str = "") -> QuerySet[Article]:
    """Published articles, newest first, each with its first paragraph as `lead`."""
    first_paragraph = Paragraph.objects.filter(article=OuterRef("pk")).order_by("position").values("text")[:1]
    articles = Article.objects.published().newest_first().annotate(lead=Subquery(first_paragraph))
    if query.strip():
        for word in normalize_for_search(query).split():
            articles = articles.filter(search_text__contains=word)
    return articles.defer("search_text", "content_hash")


def article_for_reading(*, slug: str, user) -> Article:
    """The article with everything its page shows; drafts only for staff (else 404)."""
    articles = Article.objects.visible_to(user).prefetch_related(
        Prefetch("paragraphs", queryset=Paragraph.objects.order_by("position")),
        Prefetch("related_stories", queryset=RelatedStory.objects.order_by("position")),
    )
    return get_object_or_404(articles, slug=slug)
