"""The app's models, one module per domain: articles, translations, entities, annotations."""

from .annotations import Annotation
from .articles import Article, ArticleQuerySet, ArticleSlug, Paragraph, RelatedStory
from .entities import Entity, EntityType, Mention
from .translations import Translation

__all__ = [
    "Annotation",
    "Article",
    "ArticleQuerySet",
    "ArticleSlug",
    "Entity",
    "EntityType",
    "Mention",
    "Paragraph",
    "RelatedStory",
    "Translation",
]
