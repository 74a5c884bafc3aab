"""Cached public pages that are never stale, never from another database.

Anonymous GET responses of the home, article, entity and API pages are kept in
Django's cache (`settings.CACHES`: a file cache under var/ by default, shared
by every process; Redis or Memcached through `CACHE_URL`). Each key carries:

- the **page version**, one row in the database (`PageVersion`). Database
  triggers give it a new **random 64-bit value** in the same transaction as any
  insert, update or delete of an article, paragraph, related story,
  translation, entity, mention or annotation, so every writer is covered
  without calling anything: services, the admin, `QuerySet.update()`,
  `bulk_create`/`bulk_update`, raw SQL, and writers added later. A page cached
  before a change is never served after it commits, in any process. On SQLite
  the triggers are per row; on PostgreSQL a deferred constraint trigger draws
  once per transaction, at commit.
  Random, not a counter: the cache outlives the database (a folder, Redis),
  and a counter starts again at the same values in a recreated database and
  reaches the same values again after a backup is restored, so a key would
  name a page of another database state. A random draw names one state only:
  two states share a value only if they are the same state (a restored backup
  before any write shows what was cached under its value), or by a 1 in 2^64
  chance. A database identity in the key would not cover the restore.
  A new table whose rows a page shows must be added to `PAGE_TABLES` (and a
  migration must create its triggers); nothing else is needed.
- the interface **language** (from the `django_language` cookie or
  Accept-Language, as LocaleMiddleware resolved it), the **translation
  settings** (a page says which provider failed, or that translation is off:
  a restart with another provider must not serve those words), the scheme,
  host, path and query string.

Requests that carry a session or messages cookie (editors, admins, anyone who
logged in) bypass the cache both ways, so they always see fresh pages with
their own content. A shared page never holds a CSRF token: views wrapped here
mark the request (`request.page_shared`) and the base template leaves the
token out (the language switch is CSRF-exempt: it only sets a cookie); a
response whose rendering asked for a token anyway is not stored.

A search (`?q=`) or a word looked up (`/api/words/?w=`) is stored from its
second request on (in the same process): most searches are asked once, and
storing each would cost a write per search and push the pages readers share
out of the cache; a word's analyses cost less to work out (a millisecond)
than a write.

A view whose answer depends on something else the process holds (which
lexicon word lookup loaded) names it with `cached_page(variant=…)`, and it
joins the key.
"""

import hashlib
import random
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .models import PageVersion
from .translation.config import settings_key

_VERSION_SQL = f"SELECT value FROM {PageVersion._meta.db_table} WHERE id = 1"

# Tables whose rows the public pages show.
PAGE_TABLES = (
    "articles_article",
    "articles_paragraph",
    "articles_relatedstory",
    "articles_translation",
    "articles_entity",
    "articles_mention",
    "articles_annotation",
)
_OPERATIONS = ("insert", "update", "delete")
# SQLite's random() is a uniform signed 64-bit integer.
_SQLITE_BUMP = (
    "INSERT INTO articles_pageversion (id, value) VALUES (1, random()) ON CONFLICT (id) DO UPDATE SET value = random();"
)
# 64 random bits from a version-4 UUID (122 random bits; pgcrypto is not needed since PostgreSQL 13).
POSTGRES_RANDOM_BIGINT = "('x' || substr(md5(gen_random_uuid()::text), 1, 16))::bit(64)::bigint"
# Deferred, the trigger runs at COMMIT for every row written: it draws once
# per transaction and statement (all of them then share COMMIT's statement
# time; with SET CONSTRAINTS ALL IMMEDIATE, as in tests, once per statement).
_POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION articles_page_version_bump() RETURNS trigger AS $$
DECLARE
    bump_key text := txid_current()::text || ' ' || statement_timestamp()::text;
BEGIN
    IF current_setting('articles.page_version_bumped', true) IS DISTINCT FROM bump_key THEN
        PERFORM set_config('articles.page_version_bumped', bump_key, true);
        INSERT INTO articles_pageversion (id, value) VALUES (1, {POSTGRES_RANDOM_BIGINT})
            ON CONFLICT (id) DO UPDATE SET value = {POSTGRES_RANDOM_BIGINT};
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def page_version_triggers_ensure(*, connection) -> None:
    """Create the triggers that bump the page version, where missing (re-runnable)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in PAGE_TABLES:
                for operation in _OPERATIONS:
                    # Dropped first: a trigger of an older definition (a counter) is replaced.
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_page_version_{operation}")
                    cursor.execute(
                        f"CREATE TRIGGER {table}_page_version_{operation} "
                        f"AFTER {operation.upper()} ON {table} BEGIN {_SQLITE_BUMP} END"
                    )
        elif connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_FUNCTION)
            for table in PAGE_TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_page_version ON {table}")
                cursor.execute(
                    f"CREATE CONSTRAINT TRIGGER {table}_page_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
                    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION articles_page_version_bump()"
                )


def page_version_triggers_drop(*, connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in PAGE_TABLES:
                for operation in _OPERATIONS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_page_version_{operation}")
        elif connection.vendor == "postgresql":
            for table in PAGE_TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_page_version ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS articles_page_version_bump()")


class FileCache(FileBasedCache):
    """Django's file cache, pruned on one write in CULL_EVERY (on average) instead of every write.

    Django lists the whole folder on each write to decide whether to prune: with
    thousands of cached pages (every search is one) that listing costs more
    than rendering the page. The folder may exceed MAX_ENTRIES by about
    CULL_EVERY entries between prunings."""

    CULL_EVERY = 100

    def _cull(self):
        if random.randrange(self.CULL_EVERY) == 0:
            super()._cull()


def page_version() -> int:
    """The current version of what pages show (one primary-key read): a random value, new at each change.

    Plain SQL: on a cached page this read is most of the work, and the ORM's
    query compilation would cost more than the read itself."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return row[0] if row else 0


def _shareable(request) -> bool:
    if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def page_digest(request, variant: str = "") -> str:
    """What tells one page from another, whatever the version: language, translation settings, scheme,
    host, path, query, and the view's own `variant` when it gives one."""
    url = request.build_absolute_uri()
    key = f"{translation.get_language()}|{settings_key()}|{url}" + (f"|{variant}" if variant else "")
    return hashlib.sha256(key.encode()).hexdigest()


class SearchesAsked:
    """The searches (and words looked up) this process has answered lately (their page digests, most
    recent last), so that one is stored only when it is asked again: a bounded LRU set, MAX entries."""

    MAX = 10_000

    def __init__(self):
        self.digests: OrderedDict[str, None] = OrderedDict()

    def asked_before(self, digest: str) -> bool:
        """Whether this search was asked before; remembers it either way."""
        if digest in self.digests:
            self.digests.move_to_end(digest)
            return True
        self.digests[digest] = None
        if len(self.digests) > self.MAX:
            self.digests.popitem(last=False)
        return False


_searches_asked = SearchesAsked()


# Parameters with as many values as readers have questions: a search, a word looked up.
ASKED_ONCE = ("q", "w")


def _worth_storing(request, digest: str) -> bool:
    asked_once = any(request.GET.get(name) for name in ASKED_ONCE)
    return not asked_once or _searches_asked.asked_before(digest)


# A copy answers with the headers its view gave (Content-Type, ETag, Link,
# Content-Language…), never with another response's cookies.
_PER_RESPONSE_HEADERS = {"set-cookie", "x-page-cache", "content-length"}


def _kept_headers(response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name.lower() not in _PER_RESPONSE_HEADERS}


def cached_page(view=None, *, variant: Callable[[], str] | None = None):
    """Serve the view's anonymous 200 responses from the shared cache, keyed by page version (and by
    `variant()`, when the answer depends on something the process holds). `@cached_page` or
    `@cached_page(variant=…)`."""
    if view is None:
        return lambda view: cached_page(view, variant=variant)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _shareable(request):
            return view(request, *args, **kwargs)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        digest = page_digest(request, variant() if variant else "")
        key = f"page:{page_version()}:{digest}"
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Page-Cache"] = "hit"
            # As the rendered page says: it differs for a request with a session.
            patch_vary_headers(response, ("Cookie",))
            return response
        request.page_shared = True
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        storable = (
            _worth_storing(request, digest)
            and response.status_code == 200
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not getattr(response, "streaming", False)
        )
        if storable:
            cache.set(
                key,
                (response.status_code, _kept_headers(response), response.content),
                timeout=settings.PAGE_CACHE_SECONDS,
            )
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper
