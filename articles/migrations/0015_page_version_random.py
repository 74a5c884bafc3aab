# Written by hand: the page version becomes a random 64-bit value drawn at each
# change instead of a counter (see articles.caching). A counter starts again at
# the same values in a recreated database and repeats after a backup is
# restored, while the page cache outlives both.
#
# The SQL is carried here, frozen, rather than imported from articles.caching:
# this migration must mean the same thing whatever that module becomes. The
# triggers are also re-ensured after every migrate by articles.apps.

from django.db import migrations

TABLES = (
    "articles_article",
    "articles_paragraph",
    "articles_relatedstory",
    "articles_translation",
    "articles_entity",
    "articles_mention",
    "articles_annotation",
)
OPERATIONS = ("insert", "update", "delete")
SQLITE_BUMP = (
    "INSERT INTO articles_pageversion (id, value) VALUES (1, random()) ON CONFLICT (id) DO UPDATE SET value = random();"
)
SQLITE_COUNTER = (
    "INSERT INTO articles_pageversion (id, value) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET value = value + 1;"
)
POSTGRES_RANDOM = "('x' || substr(md5(gen_random_uuid()::text), 1, 16))::bit(64)::bigint"
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION articles_page_version_bump() RETURNS trigger AS $$
DECLARE
    bump_key text := txid_current()::text || ' ' || statement_timestamp()::text;
BEGIN
    IF current_setting('articles.page_version_bumped', true) IS DISTINCT FROM bump_key THEN
        PERFORM set_config('articles.page_version_bumped', bump_key, true);
        INSERT INTO articles_pageversion (id, value) VALUES (1, NEW_VALUE)
            ON CONFLICT (id) DO UPDATE SET value = UPDATED_VALUE;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def _sqlite_triggers(cursor, bump):
    for table in TABLES:
        for operation in OPERATIONS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_page_version_{operation}")
            cursor.execute(
                f"CREATE TRIGGER {table}_page_version_{operation} "
                f"AFTER {operation.upper()} ON {table} BEGIN {bump} END"
            )


def random_versions(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            _sqlite_triggers(cursor, SQLITE_BUMP)
            cursor.execute(
                "INSERT INTO articles_pageversion (id, value) VALUES (1, random()) "
                "ON CONFLICT (id) DO UPDATE SET value = random()"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                POSTGRES_FUNCTION.replace("NEW_VALUE", POSTGRES_RANDOM).replace("UPDATED_VALUE", POSTGRES_RANDOM)
            )
            cursor.execute(
                f"INSERT INTO articles_pageversion (id, value) VALUES (1, {POSTGRES_RANDOM}) "
                f"ON CONFLICT (id) DO UPDATE SET value = {POSTGRES_RANDOM}"
            )


def counter_versions(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            _sqlite_triggers(cursor, SQLITE_COUNTER)
        elif connection.vendor == "postgresql":
            cursor.execute(
                POSTGRES_FUNCTION.replace("NEW_VALUE", "1").replace(
                    "UPDATED_VALUE", "articles_pageversion.value + 1"
                )
            )
        # Back to the counter, and its defect: clear the page cache after reversing this.
        cursor.execute("UPDATE articles_pageversion SET value = 1 WHERE id = 1")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_worker_heartbeat"),
    ]

    operations = [
        migrations.RunPython(random_versions, counter_versions),
    ]
