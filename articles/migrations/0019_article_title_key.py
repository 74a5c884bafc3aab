import re

from django.db import migrations, models

# The folding of this migration's day (arabic.text.normalize, Latin accents,
# lower case), written out so that the migration means the same thing forever;
# `search.article_search_refresh` keeps the key current afterwards.
_DROPPED = re.compile("[\u064b-\u0652\u0670\u0640]")
_FOLDED = str.maketrans({"\u0625": "ا", "\u0623": "ا", "\u0671": "ا", "\u0622": "ا", "ى": "ي", "ة": "ه"})
_WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+")


def _key(title):
    import unicodedata

    words = []
    for match in _WORD.finditer(title):
        word = _DROPPED.sub("", match.group()).translate(_FOLDED)
        word = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
        words.append(word.lower())
    return " ".join(words)[:500]


def triggers_reading_articles_drop(apps, schema_editor):
    """SQLite rebuilds the article table to add the column, and refuses while other tables'
    triggers (the entity counts) name it. They are dropped here; every migrate ends by creating
    the project's triggers again (articles.apps.database_objects_ensure)."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name != 'articles_article' "
            "AND sql LIKE '%articles_article%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER "{name}"')


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # The page-version trigger is deferred to commit: its pending events would stop the
        # column's index, which Django creates at the end of this migration, in this transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("pk", "title").iterator(chunk_size=500):
        Article.objects.filter(pk=article.pk).update(title_key=_key(article.title))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_feed_entry_bounds"),
    ]

    operations = [
        migrations.RunPython(triggers_reading_articles_drop, migrations.RunPython.noop),
        migrations.AddField(
            model_name="article",
            name="title_key",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                help_text="The title folded as search folds it: a related story names an article by its headline.",
                max_length=500,
            ),
        ),
        # Backwards, the column goes first (this runs before the RemoveField): the same triggers
        # must go first then too.
        migrations.RunPython(fill, triggers_reading_articles_drop),
    ]
