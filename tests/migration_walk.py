"""Walk a fresh database through every migration with an article in it, and say what came out.

Run in its own process by tests/test_migrations.py (`python -m tests.migration_walk`,
with `DATABASE_URL` naming an empty database): it migrates to 0009, writes one
article with the historical models of that state (named after its file, as
imports then named articles, with a translation and a confirmed mention), runs
0010-0013 alone (no post_migrate: what those migrations themselves did), then
migrates to the end as `manage.py migrate` does, and on SQLite back to zero and
forward again. It prints one JSON object of observations.
"""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.test import Client  # noqa: E402

SOURCE_ID = "000_f43ac9fcd8114102"
TITLE = 'رئيس الاستخبارات التركية يلتقي وفد "حماس" في إسطنبول'
PARAGRAPHS = ["التقى رئيس الاستخبارات التركية، إبراهيم قالن، وفد حركة حماس في مدينة إسطنبول.", "وناقش الوفدان الخطوات."]
TITLE_EN = "Turkish intelligence chief meets Hamas delegation in Istanbul"


def _migrate_alone(target: str) -> None:
    """Apply the articles migrations up to `target` without the post_migrate signal (the app's live code)."""
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", target)])


def _article_write(apps) -> None:
    Article = apps.get_model("articles", "Article")
    article = Article.objects.create(source_id=SOURCE_ID, slug=SOURCE_ID, title=TITLE)
    for position, text in enumerate(PARAGRAPHS, start=1):
        article.paragraphs.create(position=position, text=text)
    apps.get_model("articles", "Translation").objects.create(
        article=article,
        kind="title",
        target_lang="en",
        source_text=TITLE,
        source_hash="0" * 16,
        text=TITLE_EN,
        status="done",
    )
    place = apps.get_model("articles", "Entity").objects.create(name_ar="إسطنبول", name_en="Istanbul", type="LOC")
    paragraph = article.paragraphs.get(position=1)
    start = PARAGRAPHS[0].index("إسطنبول")
    apps.get_model("articles", "Mention").objects.create(
        article=article,
        paragraph=paragraph,
        start=start,
        end=start + len("إسطنبول"),
        text="إسطنبول",
        label="LOC",
        source="gazetteer",
        entity=place,
        status="confirmed",
    )


def _page_version_sql() -> str:
    """The SQL that bumps the page version (a SQLite trigger's, or PostgreSQL's trigger function)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_paragraph_page_version_update'")
        else:
            cursor.execute("SELECT pg_get_functiondef('articles_page_version_bump'::regproc)")
        row = cursor.fetchone()
    return row[0] if row else ""


def _observed(apps) -> dict:
    """What the migrations made of the article, read with the models of the state reached."""
    Article = apps.get_model("articles", "Article")
    article = Article.objects.get(source_id=SOURCE_ID)
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM articles_pageversion WHERE id = 1")
        version = cursor.fetchone()[0]
    return {
        "slug": article.slug,
        "old_slugs": list(apps.get_model("articles", "ArticleSlug").objects.values_list("slug", flat=True)),
        "search_text": article.search_text,
        "article_count": apps.get_model("articles", "Entity").objects.get(name_ar="إسطنبول").article_count,
        "page_version": version,
        "page_version_sql": _page_version_sql(),
    }


def _version_after_an_edit(apps) -> tuple[int, int]:
    from django.db import transaction

    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM articles_pageversion WHERE id = 1")
        before = cursor.fetchone()[0]
    with transaction.atomic():  # PostgreSQL bumps at commit
        apps.get_model("articles", "Paragraph").objects.filter(position=2).update(text="وناقش الوفدان الخطوات التالية.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM articles_pageversion WHERE id = 1")
        return before, cursor.fetchone()[0]


def _articles_objects() -> list[str]:
    """Tables, triggers and functions of the app still in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'articles%'")
        else:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'articles%' "
                "UNION ALL SELECT proname FROM pg_proc WHERE proname LIKE 'articles%'"
            )
        return sorted(row[0] for row in cursor.fetchall())


def walk() -> dict:
    from django.apps import apps as live_apps

    call_command("migrate", "articles", "0009_web_import", verbosity=0)
    _article_write(MigrationExecutor(connection).loader.project_state(("articles", "0009_web_import")).apps)

    _migrate_alone("0013_scale_followup")
    state = MigrationExecutor(connection).loader.project_state(("articles", "0013_scale_followup")).apps
    at_0013 = _observed(state)
    at_0013["version_after_an_edit"] = _version_after_an_edit(state)

    call_command("migrate", verbosity=0)
    at_end = _observed(live_apps)
    at_end["version_after_an_edit"] = _version_after_an_edit(live_apps)

    from articles.models import Article
    from articles.search import published_ids_ranked, search_terms

    article = Article.objects.get(source_id=SOURCE_ID)
    client = Client()
    at_end["found_by"] = {
        query: published_ids_ranked(search_terms(query)) == [article.pk]
        for query in ("الاستخبارات", "باسطنبول", "حماس", "intelligence")
    }
    at_end["page"] = client.get(article.get_absolute_url()).status_code
    old = client.get(f"/articles/{SOURCE_ID}/")
    at_end["old_address"] = [old.status_code, old.get("Location", "")]

    observations = {"at_0013": at_0013, "at_end": at_end}
    call_command("migrate", "articles", "zero", verbosity=0)
    observations["left_at_zero"] = _articles_objects()
    call_command("migrate", verbosity=0)
    observations["forward_again"] = bool(_page_version_sql())
    return observations


if __name__ == "__main__":
    print(json.dumps(walk(), ensure_ascii=False))
