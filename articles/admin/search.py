"""Every admin search box takes the same bounded, cleaned query as the site's search.

Every ModelAdmin with search fields mixes in BoundedSearchMixin: ours, and
those other apps register (users, groups, login attempts: accounts.py). A test
searches each registered admin with a thousand words."""

from ..search import MAX_QUERY_WORDS, query_clean


class BoundedSearchMixin:
    """Drops control characters (a NUL is a database error on PostgreSQL) and keeps at
    most MAX_QUERY_WORDS words (each word is one more clause: SQLite refuses thousands)."""

    def get_search_results(self, request, queryset, search_term):
        search_term = " ".join(query_clean(search_term).split()[:MAX_QUERY_WORDS])
        return super().get_search_results(request, queryset, search_term)
