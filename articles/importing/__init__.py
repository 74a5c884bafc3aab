"""Importing articles: parse a file (news page, plain text, JSON) into a record,
then write the record to the database in one transaction."""

from .formats import FORMATS, parse_file
from .records import ArticleRecord, ImportFailure, RelatedRecord
from .services import ImportResult, article_import, file_import, paths_import

__all__ = [
    "FORMATS",
    "ArticleRecord",
    "ImportFailure",
    "ImportResult",
    "RelatedRecord",
    "article_import",
    "file_import",
    "parse_file",
    "paths_import",
]
