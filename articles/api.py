"""The read-only JSON API's shapes. Importing the detail shape back
(`import_articles file.json`) recreates the article."""

from django.urls import reverse

from arabic.romanize import romanize, transliterate

from .translation.presentation import failure_shown


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
    """A segment's translation: `text` is null until there is one. A failure under other translation
    settings is being sent again: it says `pending`, without a reason naming a provider no longer used."""
    if translation is None:
        return None
    failed = translation.status == translation.Status.FAILED
    shown = failed and failure_shown(translation)
    return {
        "text": translation.text or None,
        "lang": translation.target_lang,
        "provider": translation.provider or None,
        "status": translation.Status.PENDING if failed and not shown else translation.status,
        "reviewed": translation.is_reviewed,
        "outdated": bool(translation.text) and not translation.is_current,
        "error": (translation.error or None) if shown else None,
    }


def mention_detail(mention) -> dict:
    """A mention: `start`/`end` are code points over the segment's text, logical order, end exclusive."""
    entity = mention.entity
    return {
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "label": mention.label,
        "source": mention.source,
        "status": mention.status,
        "entity": {"id": entity.pk, "name_ar": entity.name_ar, "name_en": entity.name_en} if entity else None,
    }


def paragraph_detail(paragraph) -> dict:
    return {
        "position": paragraph.position,
        "text": paragraph.text,
        "translation": translation_detail(getattr(paragraph, "translation", None)),
        "entities": [mention_detail(m) for m in getattr(paragraph, "marks", [])],
    }


def entity_detail(entity, mentions, request) -> dict:
    return {
        "id": entity.pk,
        "name_ar": entity.name_ar,
        "name_en": entity.name_en,
        # Where the English name comes from: `romanised` when nobody has checked it yet.
        "name_en_source": entity.name_en_source,
        "type": entity.type,
        # For readers (what the site shows when there is no English name) and for scholars (camel-tools' ar2hsb).
        "romanisation": romanize(entity.name_ar, name=True),
        "transliteration": transliterate(entity.name_ar),
        "aliases": entity.arabic_aliases,
        "wikidata_id": entity.wikidata_id or None,
        "url": request.build_absolute_uri(entity.get_absolute_url()),
        "offsets": "Unicode code points over the segment's text, logical order, end exclusive",
        "mentions": [
            {
                "article": mention.article.slug,
                "article_url": request.build_absolute_uri(mention.article.get_absolute_url()),
                "segment": mention.kind,
                "paragraph": mention.paragraph.position if mention.paragraph_id else None,
                **mention_detail(mention),
            }
            for mention in mentions
        ],
    }


def article_detail(article, request) -> dict:
    return {
        "slug": article.slug,
        "source_id": article.source_id,
        "title": article.title,
        "title_translation": translation_detail(getattr(article, "title_translation", None)),
        "title_entities": [mention_detail(m) for m in getattr(article, "title_marks", [])],
        "category": article.category,
        "section": article.section,
        "dateline": article.dateline,
        "author": article.author,
        "published": article.published.isoformat() if article.published else None,
        "lead_caption": article.lead_caption,
        "lead_caption_entities": [mention_detail(m) for m in getattr(article, "caption_marks", [])],
        "offsets": "entity spans count Unicode code points over each text, in logical order, end exclusive",
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
                "title_entities": [mention_detail(m) for m in getattr(story, "title_marks", [])],
                "caption_entities": [mention_detail(m) for m in getattr(story, "caption_marks", [])],
            }
            for story in article.related_stories.all()
        ],
    }


def word_detail(lookup) -> dict:
    """A word's analyses (`articles.words.lookup.WordLookup`), likeliest first; `count` 0 and no
    analyses for a word the lexicon lacks."""
    return {
        "word": lookup.word,
        "count": len(lookup.analyses),
        "analyses": [analysis.as_dict() for analysis in lookup.analyses],
        "lexicon": {"name": lookup.analyser, "licence": lookup.licence},
    }
