"""SQLite's full-text index of articles, seen by the ORM (see `articles.search`).

The FTS5 table `articles_search` is created by migration 0008 on SQLite only,
with triggers that copy `Article.search_text` into it; the ORM never writes it.
On PostgreSQL the table does not exist and this model is never queried.
"""

from django.db import models


class FullTextMatch(models.Lookup):
    """`search_entry__search_text__fts_match=expression` → FTS5's `column MATCH expression`."""

    lookup_name = "fts_match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class SearchEntry(models.Model):
    """A row of `articles_search`: its rowid is the article's id; `rank` is FTS5's bm25 (lower is better)."""

    article = models.OneToOneField(
        "articles.Article",
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )
    search_text = models.TextField()
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "articles_search"

    def __str__(self):
        return f"search entry of article {self.article_id}"


SearchEntry._meta.get_field("search_text").register_lookup(FullTextMatch)
