import shutil
from pathlib import Path

import pytest

from articles.importing import ArticleRecord, RelatedRecord, article_import
from articles.models import Article

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_f43ac9fcd8114102.txt"


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server for this test session (its `postgres` database's URL)."""
    from tests.postgres_server import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def seed_article(db):
    """The seed article, imported through the real importer."""
    from articles.importing import file_import

    result = file_import(path=SEED, status=Article.Status.PUBLISHED)
    assert not result.failed, result.error
    return result.article


@pytest.fixture
def make_article(db):
    """Build an article through the import service: make_article(paragraphs=[...], ...)."""
    counter = {"n": 0}

    def build(
        *, paragraphs=("فقرة أولى.",), title=None, status=Article.Status.PUBLISHED, related=(), source_id=None, **fields
    ):
        counter["n"] += 1
        record = ArticleRecord(
            title=title or f"مقال رقم {counter['n']}",
            paragraphs=list(paragraphs),
            related=[RelatedRecord(**story) if isinstance(story, dict) else story for story in related],
            **fields,
        )
        return article_import(record=record, source_id=source_id or f"article-{counter['n']}", status=status).article

    return build


@pytest.fixture
def editor(django_user_model):
    """A member of the Editors group (created by a migration), as the admin makes them."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group

    if not Group.objects.filter(name="Editors").exists():
        # Tests on a live server flush the tables, the migration's group included.
        importlib.import_module("articles.migrations.0005_editors_group").create_editors(apps, None)
    user = django_user_model.objects.create_user(username="editor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def tmp_seed_copy(tmp_path):
    """A writable copy of the seed, for tests that edit the file."""
    target = tmp_path / SEED.name
    shutil.copy(SEED, target)
    return target


@pytest.fixture(autouse=True)
def page_cache_fresh(request):
    """Every test starts with an empty page cache. The page version lives in the
    database, whose changes each test rolls back: keys would repeat across tests.
    On PostgreSQL the version is bumped at commit, which a test's transaction
    never reaches: run the page-version triggers at once instead."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    if "db" in request.fixturenames:
        request.getfixturevalue("db")
        from django.db import connection

        if connection.vendor == "postgresql":
            from articles.caching import PAGE_TABLES

            # Only the page-version triggers: foreign keys stay deferred, as the importer relies on.
            names = ", ".join(f"{table}_page_version" for table in PAGE_TABLES)
            with connection.cursor() as cursor:
                cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
    yield


pytest_plugins = ["tests.browser"]


@pytest.fixture
def libre(settings):
    """libre(mode="ok") → a running LibreTranslate stand-in the project is configured to use."""
    from standins.libre_server import LibreStandIn

    servers = []

    def start(mode="ok", timeout=3.0):
        server = LibreStandIn(mode).__enter__()
        servers.append(server)
        settings.TRANSLATION_PROVIDER = "libre"
        settings.TRANSLATION_LIBRE_URL = server.url
        settings.TRANSLATION_API_KEY = "test-key"
        settings.TRANSLATION_TIMEOUT = timeout
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)


NAME = "خليل الحية"


@pytest.fixture
def annotated_seed(seed_article, editor, admin_user):
    """The seed with a gloss, an entity label, a correction, an article note and an editors-only note."""
    from django.core.management import call_command as run

    run("load_gazetteer", verbosity=0)
    from articles.annotations.services import annotation_create
    from articles.models import Entity

    p1 = seed_article.paragraphs.get(position=1)
    istanbul = Entity.objects.get(key="city:Europe/Istanbul")
    annotation_create(article=seed_article, paragraph=p1, quote=NAME, kind="gloss", body="Khalil al-Hayya", user=editor)
    annotation_create(
        article=seed_article, paragraph=p1, quote="إسطنبول", kind="entity", label="LOC", entity=istanbul, user=editor
    )
    annotation_create(
        article=seed_article,
        paragraph=seed_article.paragraphs.get(position=2),
        quote="التزامه",
        kind="correction",
        proposed_text="التزامها",
        body="agreement",
        user=admin_user,
    )
    annotation_create(article=seed_article, kind="note", body="Compare with Reuters", user=admin_user)
    annotation_create(
        article=seed_article, paragraph=p1, quote="غزة", kind="note", body="internal", visibility="editors", user=editor
    )
    return seed_article


# Written for the tests in the manner of Wikipedia's opening paragraphs: the shipped model reads
# it as an encyclopedia article (news is what the seed is).
ENCYCLOPEDIA_PARAGRAPHS = [
    "قلعة حلب هي قلعة تاريخية تقع في وسط مدينة حلب ( سوريا ) ، و تعد من أقدم القلاع في العالم .",
    "يعود تاريخ بنائها إلى القرن الثالث قبل الميلاد ، و قد أعاد الأيوبيون بناءها في القرن الثاني عشر .",
    "في عام 1260 استولى المغول على المدينة ، ثم استعادها المماليك في عام 1261 .",
    "و تعتبر القلعة من أبرز معالم العمارة العسكرية الإسلامية ، و يطلق عليها اسم ( Citadel of Aleppo ) .",
    "و في القرن السادس عشر أصبحت المدينة جزءا من الدولة العثمانية ، و بقيت كذلك حتى عام 1918 .",
] * 3
SEED_ENGLISH = ROOT / "tests" / "fixtures" / "seed_en.json"


def seed_translate_english(article) -> None:
    """Store tests/fixtures/seed_en.json as the seed's machine translation (provider "libre"),
    as a provider's answer would be stored, and re-index the article."""
    import json

    from django.utils import timezone

    from articles.models import Translation
    from articles.search import article_search_refresh

    english = json.loads(SEED_ENGLISH.read_text(encoding="utf-8"))
    texts = {("title", None): english["title"], ("lead_caption", None): english["lead_caption"]}
    for paragraph, text in zip(article.paragraphs.order_by("position"), english["paragraphs"], strict=True):
        texts[("paragraph", paragraph.pk)] = text
    for story, text in zip(article.related_stories.order_by("position"), english["related"], strict=True):
        texts[("related", story.pk)] = text
    for translation in Translation.objects.filter(article=article):
        text = texts.get((translation.kind, translation.paragraph_id or translation.related_story_id))
        if text:
            translation.text, translation.provider = text, "libre"
            translation.status, translation.text_source_hash = Translation.Status.DONE, translation.source_hash
            translation.translated_at = timezone.now()
            translation.save()
    article_search_refresh(article=article)


@pytest.fixture
def english_seed(seed_article):
    """The seed with its entities recognised (gazetteer and shipped model) and an English translation."""
    from django.core.management import call_command

    from articles.entities.recognition import article_recognize, recognizers_available

    call_command("load_gazetteer", verbosity=0)
    recognizers = recognizers_available()
    article_recognize(article=seed_article, model=recognizers.model, shipped=recognizers.shipped)
    seed_translate_english(seed_article)
    return seed_article
