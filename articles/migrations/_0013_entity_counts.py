"""The entity-count triggers migration 0013 creates, and its first count, frozen
as they were when it reached the main line (articles/entity_counts.py at commit
c381e2d; the model choices it read are written out as the values they had).
Migrations carry their own code: the app's modules may change, an applied
migration must not.

Django's migration loader skips modules whose name starts with `_`.
"""

_PUBLISHED = "published"  # Article.Status.PUBLISHED
_REJECTED = "rejected"  # Mention.Status.REJECTED
_ENTITY = "entity"  # Annotation.Kind.ENTITY
_EDITORS = "editors"  # Annotation.Visibility.EDITORS
_PUBLIC = "public"  # Annotation.Visibility.PUBLIC


def _count_sql(entity_id: str) -> str:
    """The kept count of the entity whose id is the SQL expression `entity_id`."""
    linked = f"SELECT 1 FROM articles_annotation n WHERE n.mention_id = m.id AND n.kind = '{_ENTITY}'"
    return (
        "(SELECT COUNT(DISTINCT m.article_id) FROM articles_mention m "
        "JOIN articles_article a ON a.id = m.article_id "
        f"WHERE m.entity_id = {entity_id} AND m.status <> '{_REJECTED}' AND a.status = '{_PUBLISHED}' "
        f"AND (NOT EXISTS ({linked} AND n.visibility = '{_EDITORS}') "
        f"OR EXISTS ({linked} AND n.visibility = '{_PUBLIC}')))"
    )


def _recount_sql(where: str) -> str:
    return f"UPDATE articles_entity SET article_count = {_count_sql('articles_entity.id')} WHERE {where};"


# SQLite: (name, event, WHEN condition or "", entities to recount).
_SQLITE_TRIGGERS = (
    ("articles_mention_entity_count_insert", "INSERT ON articles_mention", "", "id = NEW.entity_id"),
    ("articles_mention_entity_count_update", "UPDATE ON articles_mention", "", "id IN (NEW.entity_id, OLD.entity_id)"),
    ("articles_mention_entity_count_delete", "DELETE ON articles_mention", "", "id = OLD.entity_id"),
    (
        "articles_article_entity_count_status",
        "UPDATE OF status ON articles_article",
        "OLD.status IS NOT NEW.status",
        "id IN (SELECT entity_id FROM articles_mention WHERE article_id = NEW.id)",
    ),
    (
        "articles_annotation_entity_count_insert",
        "INSERT ON articles_annotation",
        "NEW.mention_id IS NOT NULL",
        "id IN (SELECT entity_id FROM articles_mention WHERE id = NEW.mention_id)",
    ),
    (
        "articles_annotation_entity_count_update",
        "UPDATE ON articles_annotation",
        "NEW.mention_id IS NOT NULL OR OLD.mention_id IS NOT NULL",
        "id IN (SELECT entity_id FROM articles_mention WHERE id IN (NEW.mention_id, OLD.mention_id))",
    ),
    (
        "articles_annotation_entity_count_delete",
        "DELETE ON articles_annotation",
        "OLD.mention_id IS NOT NULL",
        "id IN (SELECT entity_id FROM articles_mention WHERE id = OLD.mention_id)",
    ),
    (
        # An ORM save writes every column: a count other than the stored one
        # is stale (or a recount's own change), so count again (SQLite's
        # triggers do not recurse).
        "articles_entity_count_kept",
        "UPDATE OF article_count ON articles_entity",
        "NEW.article_count IS NOT OLD.article_count",
        "id = NEW.id",
    ),
)

_POSTGRES_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION articles_entity_count_touch(ids bigint[]) RETURNS void AS $$
    UPDATE articles_entity SET article_count = {_count_sql("articles_entity.id")} WHERE id = ANY(ids)
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION articles_entity_count_from_mention() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM articles_entity_count_touch(ARRAY[NEW.entity_id]);
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM articles_entity_count_touch(ARRAY[NEW.entity_id, OLD.entity_id]);
    ELSE
        PERFORM articles_entity_count_touch(ARRAY[OLD.entity_id]);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION articles_entity_count_from_article() RETURNS trigger AS $$
BEGIN
    IF OLD.status IS DISTINCT FROM NEW.status THEN
        PERFORM articles_entity_count_touch(
            ARRAY(SELECT entity_id FROM articles_mention WHERE article_id = NEW.id AND entity_id IS NOT NULL)
        );
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION articles_entity_count_from_annotation() RETURNS trigger AS $$
DECLARE
    mentions bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        mentions := ARRAY[NEW.mention_id];
    ELSIF TG_OP = 'UPDATE' THEN
        mentions := ARRAY[NEW.mention_id, OLD.mention_id];
    ELSE
        mentions := ARRAY[OLD.mention_id];
    END IF;
    PERFORM articles_entity_count_touch(
        ARRAY(SELECT entity_id FROM articles_mention WHERE id = ANY(mentions) AND entity_id IS NOT NULL)
    );
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION articles_entity_count_kept() RETURNS trigger AS $$
BEGIN
    IF NEW.article_count IS DISTINCT FROM OLD.article_count THEN
        NEW.article_count := {_count_sql("NEW.id")};
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

# PostgreSQL: (name, table, event, function).
_POSTGRES_TRIGGERS = (
    ("articles_mention_entity_count", "articles_mention", "AFTER INSERT OR UPDATE OR DELETE", "from_mention"),
    ("articles_article_entity_count", "articles_article", "AFTER UPDATE OF status", "from_article"),
    ("articles_annotation_entity_count", "articles_annotation", "AFTER INSERT OR UPDATE OR DELETE", "from_annotation"),
    ("articles_entity_count_kept", "articles_entity", "BEFORE UPDATE", "kept"),
)


def entity_count_triggers_ensure(*, connection) -> None:
    """Create the triggers that keep `Entity.article_count`, where missing (re-runnable).

    Not before the column exists (a database migrated back before 0013): a
    trigger naming a missing column would break SQLite's next table rebuild."""
    with connection.cursor() as cursor:
        columns = {column.name for column in connection.introspection.get_table_description(cursor, "articles_entity")}
        if "article_count" not in columns:
            return
        if connection.vendor == "sqlite":
            for name, event, condition, where in _SQLITE_TRIGGERS:
                when = f" WHEN {condition}" if condition else ""
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} FOR EACH ROW{when} "
                    f"BEGIN {_recount_sql(where)} END"
                )
        elif connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_FUNCTIONS)
            for name, table, event, function in _POSTGRES_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER {name} {event} ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION articles_entity_count_{function}()"
                )


def entity_count_triggers_drop(*, connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name, *_ in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif connection.vendor == "postgresql":
            for name, table, _, _ in _POSTGRES_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            for function in ("from_mention", "from_article", "from_annotation", "kept"):
                cursor.execute(f"DROP FUNCTION IF EXISTS articles_entity_count_{function}()")
            cursor.execute("DROP FUNCTION IF EXISTS articles_entity_count_touch(bigint[])")


def entity_counts_recount(*, connection) -> None:
    """Recount every entity (after the triggers were off, e.g. in the migration that adds them)."""
    with connection.cursor() as cursor:
        cursor.execute(_recount_sql("1 = 1").rstrip(";"))
