"""The read-only JSON API's shapes. Importing the detail shape back
(`import_articles file.json`) recreates the article."""

from django.urls import reverse


def article_summary(article, request) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "section": article.section,
        "published": article.published.isoformat() if article.published else None,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "api_url": request.build_absolute_uri(reverse("articles:api-detail", kwargs={"slug": article.slug})),
    }


def translation_detail(translation) -> dict | None:
    """A segment's translation: `text` is null until there is one."""
    if translation is None:
        return None
    return {
        "text": translation.text or None,
        "lang": translation.target_lang,
        "provider": translation.provider or None,
        "status": translation.status,
        "reviewed": translation.is_reviewed,
        "outdated": bool(translation.text) and not translation.is_current,
        "error": translation.error or None,
    }


def paragraph_detail(paragraph) -> dict:
    return {
        "position": paragraph.position,
        "text": paragraph.text,
        "translation": translation_detail(getattr(paragraph, "translation", None)),
        "entities": [],
    }


def article_detail(article, request) -> dict:
    return {
        "slug": article.slug,
        "source_id": article.source_id,
        "title": article.title,
        "title_translation": translation_detail(getattr(article, "title_translation", None)),
        "category": article.category,
        "section": article.section,
        "dateline": article.dateline,
        "author": article.author,
        "published": article.published.isoformat() if article.published else None,
        "lead_caption": article.lead_caption,
        "tags": list(article.tags),
        "source": article.source,
        "status": article.status,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "paragraphs": [paragraph_detail(paragraph) for paragraph in article.paragraphs.all()],
        "related": [
            {
                "title": story.title,
                "caption": story.caption,
                "section": story.section,
                "title_translation": translation_detail(getattr(story, "translation", None)),
            }
            for story in article.related_stories.all()
        ],
    }
