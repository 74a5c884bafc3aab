"""The app's models, one module per domain: articles, translations, entities, annotations,
feeds and imports from the web, the search index and page version that serve them at scale,
and task workers' heartbeats."""

from .annotations import Annotation
from .articles import Article, ArticleQuerySet, ArticleSlug, Paragraph, RelatedStory
from .caching import PageVersion
from .entities import Entity, EntityType, Mention
from .feeds import Feed, FeedEntry
from .search import SearchEntry
from .translations import Translation
from .web_imports import UrlImport
from .workers import WorkerHeartbeat

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
    "PageVersion",
    "Paragraph",
    "RelatedStory",
    "SearchEntry",
    "Translation",
    "UrlImport",
    "WorkerHeartbeat",
]
