"""Reads that pages and the API share, each in a fixed number of queries."""

from django.conf import settings
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from .arabic import normalize_for_search
from .models import Article, Paragraph, RelatedStory, Translation
from .translation.providers import provider_label


def articles_for_listing(*, query: str = "") -> QuerySet[Article]:
    """Published articles, newest first, each with its first paragraph as `lead`."""
    first_paragraph = Paragraph.objects.filter(article=OuterRef("pk")).order_by("position").values("text")[:1]
    articles = Article.objects.published().newest_first().annotate(lead=Subquery(first_paragraph))
    if query.strip():
        for word in normalize_for_search(query).split():
            articles = articles.filter(search_text__contains=word)
    return articles.defer("search_text", "content_hash")


def article_for_reading(*, slug: str, user) -> Article:
    """The article with everything its page shows; drafts only for staff (else 404).

    Attaches `translation` (a Translation or None) to the article's title
    (`title_translation`), lead caption (`caption_translation`), each paragraph
    and each related story.
    """
    target = settings.TRANSLATION_TARGET
    articles = Article.objects.visible_to(user).prefetch_related(
        Prefetch("paragraphs", queryset=Paragraph.objects.order_by("position")),
        Prefetch("related_stories", queryset=RelatedStory.objects.order_by("position")),
        Prefetch("translations", queryset=Translation.objects.filter(target_lang=target), to_attr="all_translations"),
    )
    article = get_object_or_404(articles, slug=slug)
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
