"""The page-version triggers migrations 0012 and 0013 create, frozen as they were
then (articles/caching.py at commit f53df4d): a COUNTER, bumped by one at each
change. Migration 0015 replaces them with random values. Migrations carry their
own code: the app's modules may change, an applied migration must not.

Django's migration loader skips modules whose name starts with `_`.
"""

# Tables whose rows the public pages showed.
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
_SQLITE_BUMP = (
    "INSERT INTO articles_pageversion (id, value) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET value = value + 1;"
)
# Deferred, the trigger runs at COMMIT for every row written: it bumps once
# per transaction and statement.
_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION articles_page_version_bump() RETURNS trigger AS $$
DECLARE
    bump_key text := txid_current()::text || ' ' || statement_timestamp()::text;
BEGIN
    IF current_setting('articles.page_version_bumped', true) IS DISTINCT FROM bump_key THEN
        PERFORM set_config('articles.page_version_bumped', bump_key, true);
        INSERT INTO articles_pageversion (id, value) VALUES (1, 1)
            ON CONFLICT (id) DO UPDATE SET value = articles_pageversion.value + 1;
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
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {table}_page_version_{operation} "
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
