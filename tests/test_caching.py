"""Cached pages (articles/caching.py): served from the cache, and never stale
after any change a page shows; editors bypass it; nothing private is shared."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from articles.annotations.services import annotation_create, annotation_delete
from articles.caching import page_version
from articles.entities.recognition import article_recognize
from articles.entities.services import mention_reject
from articles.importing import file_import
from articles.models import Article, Entity, Mention
from articles.services import articles_set_status

pytestmark = pytest.mark.django_db


def article_url(article):
    return reverse("articles:detail", kwargs={"slug": article.slug})


def api_url(article):
    return reverse("articles:api-detail", kwargs={"slug": article.slug})


def cached(client, url, **headers):
    """Load the page twice: the second answer must come from the cache."""
    first = client.get(url, **headers)
    second = client.get(url, **headers)
    assert second.status_code == 200 and second["X-Page-Cache"] == "hit", url
    assert second.content == first.content
    return second.content.decode()


def fresh(client, url, **headers):
    response = client.get(url, **headers)
    assert response.get("X-Page-Cache") != "hit", url
    return response


def test_a_page_is_served_from_the_cache_with_one_query(client, seed_article):
    cached(client, article_url(seed_article))
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(article_url(seed_article))["X-Page-Cache"] == "hit"
    assert len(context.captured_queries) == 1


def test_import_and_reimport_show_at_once(client, make_article, seed_path, tmp_seed_copy):
    make_article(title="مقال قديم")
    home = reverse("articles:list")
    assert "مقال قديم" in cached(client, home)
    result = file_import(path=tmp_seed_copy, status="published")
    assert "رئيس الاستخبارات التركية" in fresh(client, home).content.decode()
    assert "وفد" in cached(client, article_url(result.article))
    cached(client, api_url(result.article))
    tmp_seed_copy.write_text(tmp_seed_copy.read_text().replace("وفد", "بعثة"), encoding="utf-8")
    assert file_import(path=tmp_seed_copy).action == "updated"
    assert "بعثة" in fresh(client, article_url(result.article)).content.decode()
    assert "بعثة" in fresh(client, api_url(result.article)).content.decode()


def test_an_admin_edit_shows_at_once(client, admin_client, seed_article):
    from tests.test_admin import article_change_data

    data = article_change_data(admin_client, seed_article)
    assert "نص جديد عن مدينة بنغازي." not in cached(client, article_url(seed_article))
    data["paragraphs-0-text"] = "نص جديد عن مدينة بنغازي."
    assert admin_client.post(reverse("admin:articles_article_change", args=[seed_article.pk]), data).status_code == 302
    assert "نص جديد عن مدينة بنغازي." in fresh(client, article_url(seed_article)).content.decode()


def test_a_translation_result_shows_at_once(client, seed_article, libre):
    libre()
    assert "EN " not in cached(client, article_url(seed_article))
    call_command("translate_articles", "--all", verbosity=0)
    assert "EN " in fresh(client, article_url(seed_article)).content.decode()


def test_recognition_and_an_editors_decision_show_at_once(client, seed_article):
    call_command("load_gazetteer", verbosity=0)
    page = cached(client, article_url(seed_article))
    assert 'class="entity ent-' not in page
    article_recognize(article=seed_article)
    page = fresh(client, article_url(seed_article)).content.decode()
    mention = Mention.objects.filter(article=seed_article, text="إسطنبول", entity__isnull=False).first()
    assert mention is not None and page.count("ent-LOC") >= 1
    entity_url = reverse("articles:entity", kwargs={"pk": mention.entity_id})
    assert "رئيس الاستخبارات التركية" in cached(client, entity_url)
    for each in Mention.objects.filter(entity=mention.entity):
        mention_reject(mention=each, user=None)
    assert "رئيس الاستخبارات التركية" not in fresh(client, entity_url).content.decode()
    assert fresh(client, article_url(seed_article)).content.decode().count(f'data-entity="{mention.entity_id}"') == 0


def test_an_annotation_saved_or_deleted_shows_at_once(client, seed_article, editor):
    paragraph = seed_article.paragraphs.get(position=1)
    assert "ملاحظة للقراء" not in cached(client, article_url(seed_article))
    note = annotation_create(
        article=seed_article, paragraph=paragraph, quote="إسطنبول", kind="note", body="ملاحظة للقراء", user=editor
    )
    assert "ملاحظة للقراء" in cached(client, article_url(seed_article))
    annotation_delete(annotation=note)
    assert "ملاحظة للقراء" not in fresh(client, article_url(seed_article)).content.decode()


def test_publish_and_unpublish_show_at_once(client, make_article):
    article = make_article(title="خبر منشور")
    home = reverse("articles:list")
    assert "خبر منشور" in cached(client, home)
    cached(client, article_url(article))
    articles_set_status(articles=[article], status=Article.Status.DRAFT)
    assert "خبر منشور" not in fresh(client, home).content.decode()
    assert client.get(article_url(article)).status_code == 404
    assert client.get(api_url(article)).status_code == 404
    articles_set_status(articles=[article], status=Article.Status.PUBLISHED)
    assert client.get(article_url(article)).status_code == 200


def test_a_write_from_another_process_is_seen(client, seed_article):
    """Any committed write bumps the version in the database, even raw SQL (another process, a bulk update)."""
    assert "قطعة بديلة" not in cached(client, article_url(seed_article))
    before = page_version()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_paragraph SET text = %s WHERE article_id = %s AND position = 1",
            ["قطعة بديلة", seed_article.pk],
        )
    assert page_version() != before
    assert "قطعة بديلة" in fresh(client, article_url(seed_article)).content.decode()


def test_editors_bypass_the_cache_and_never_fill_it(client, seed_article, editor):
    paragraph = seed_article.paragraphs.get(position=1)
    annotation_create(
        article=seed_article,
        paragraph=paragraph,
        quote="إسطنبول",
        kind="note",
        body="سر التحرير",
        user=editor,
        visibility="editors",
    )
    client.force_login(editor)
    first = client.get(article_url(seed_article))
    second = client.get(article_url(seed_article))
    assert "سر التحرير" in second.content.decode() and "X-Page-Cache" not in second
    assert "X-Page-Cache" not in first
    client.logout()
    client.cookies.clear()
    page = cached(client, article_url(seed_article))
    assert "سر التحرير" not in page


def test_drafts_are_never_cached_for_readers(client, make_article, editor):
    draft = make_article(title="مسودة سرية", status=Article.Status.DRAFT)
    client.force_login(editor)
    assert client.get(article_url(draft)).status_code == 200
    client.logout()
    client.cookies.clear()
    assert client.get(article_url(draft)).status_code == 404
    assert client.get(article_url(draft)).status_code == 404
    assert "مسودة سرية" not in cached(client, reverse("articles:list"))


def test_shared_pages_hold_no_csrf_token_and_set_no_cookie(client, seed_article):
    for url in (reverse("articles:list"), article_url(seed_article)):
        first = client.get(url)
        assert "csrfmiddlewaretoken" not in first.content.decode()
        assert not first.cookies
    # The language switch still works from a cached page (no token to send).
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "ar"


def test_the_interface_language_is_part_of_the_key(client, seed_article):
    url = article_url(seed_article)
    english = cached(client, url, HTTP_ACCEPT_LANGUAGE="en")
    arabic = cached(client, url, HTTP_ACCEPT_LANGUAGE="ar")
    assert '<html lang="en" dir="ltr">' in english
    assert '<html lang="ar" dir="rtl">' in arabic
    client.cookies["django_language"] = "ar"
    assert '<html lang="ar" dir="rtl">' in cached(client, url, HTTP_ACCEPT_LANGUAGE="en")


def test_entity_page_is_paginated_newest_first_with_its_count(client, make_article, settings):
    import datetime

    settings.ARTICLES_PER_PAGE = 2
    entity = Entity.objects.create(name_ar="بنغازي", type="LOC")
    for day in range(1, 6):
        article = make_article(
            title=f"خبر اليوم {day}", paragraphs=["وصل إلى بنغازي."], published=datetime.date(2025, 1, day)
        )
        paragraph = article.paragraphs.get()
        Mention.objects.create(
            article=article,
            paragraph=paragraph,
            start=8,
            end=14,
            text="بنغازي",
            label="LOC",
            source="editor",
            entity=entity,
        )
    url = reverse("articles:entity", kwargs={"pk": entity.pk})
    page = client.get(url).content.decode()
    assert "Mentioned in 5 articles." in page
    assert page.index("خبر اليوم 5") < page.index("خبر اليوم 4") and "خبر اليوم 3" not in page
    last = client.get(url, {"page": 3}).content.decode()
    assert "خبر اليوم 1" in last and "خبر اليوم 2" not in last


def test_cache_url_chooses_a_shared_backend(tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    from newsreader.settings import cache_from_url

    default = cache_from_url("", default_dir=tmp_path)
    assert default == {"BACKEND": "articles.caching.FileCache", "LOCATION": str(tmp_path)}
    assert cache_from_url("redis://cache:6379/1", default_dir=tmp_path)["LOCATION"] == "redis://cache:6379/1"
    assert cache_from_url("memcached://a:11211,b:11211", default_dir=tmp_path) == {
        "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
        "LOCATION": "a:11211,b:11211",
    }
    assert cache_from_url("file:///srv/cache", default_dir=tmp_path)["LOCATION"] == "/srv/cache"
    with pytest.raises(ImproperlyConfigured, match="unknown scheme"):
        cache_from_url("mongodb://x", default_dir=tmp_path)


def test_the_file_cache_is_still_pruned(tmp_path):
    from articles.caching import FileCache

    class OftenPruned(FileCache):
        CULL_EVERY = 2

    cache = OftenPruned(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10}})
    for number in range(300):
        cache.set(f"page-{number}", b"x" * 10)
    assert len(list(tmp_path.glob("*.djcache"))) < 40
    assert cache.get("page-299") == b"x" * 10


def test_a_search_is_stored_from_its_second_request(client, make_article):
    """Most searches are asked once: storing each would cost a write and push shared pages out."""
    make_article(title="خبر عن الخرطوم", paragraphs=["في الخرطوم اليوم."])
    url = reverse("articles:list") + "?q=" + "الخرطوم"
    first, second, third = client.get(url), client.get(url), client.get(url)
    assert "X-Page-Cache" not in first and second["X-Page-Cache"] == "miss" and third["X-Page-Cache"] == "hit"
    assert first.content == second.content == third.content and "<mark>الخرطوم</mark>" in first.content.decode()
    # Asked again after a change, it is stored at once and shows the change.
    make_article(title="الخرطوم مرة أخرى", paragraphs=["نص."])
    again = client.get(url)
    assert again["X-Page-Cache"] == "miss" and "مرة أخرى" in again.content.decode()
