"""The app's models, one module per domain: articles, translations, entities, annotations."""

from .annotations import Annotation
from .articles import Article, ArticleQuerySet, ArticleSlug, Paragraph, RelatedStory
from .entities import Entity, EntityType, Mention
from .feeds import Feed, FeedEntry
from .translations import Translation

__all__ = [
    "Annotation",
    "Article",
    "ArticleQuerySet",
    "ArticleSlug",
    "Entity",
    "EntityType",
    "Feed",
    "FeedEntry",
    "Mention",
    "Paragraph",
    "RelatedStory",
    "Translation",
]
