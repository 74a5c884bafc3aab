"""The app's models, one module per domain: articles, translations, entities, annotations."""

from .articles import Article, ArticleQuerySet, Paragraph, RelatedStory
from .translations import Translation

__all__ = ["Article", "ArticleQuerySet", "Paragraph", "RelatedStory", "Translation"]
