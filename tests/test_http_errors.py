"""How the site refuses (articles.http_errors): JSON errors under /api/, and the CSRF
failure page of our own, which the Content-Security-Policy lets through, in the reader's language."""

import pytest
from django.test import Client
from django.urls import reverse


@pytest.fixture
def strict_client():
    """A browser as the CSRF check sees it: no token unless a page gave one."""
    return Client(enforce_csrf_checks=True)


def test_an_unknown_article_under_the_api_is_a_json_404(client, db):
    response = client.get(reverse("articles:api-detail", kwargs={"slug": "nope"}))
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"status": 404, "error": "nothing at /api/articles/nope/"}


def test_any_unknown_address_under_the_api_is_json_and_elsewhere_a_page(client, db):
    data = client.get("/api/no-such-thing/").json()
    assert data["status"] == 404 and "/api/no-such-thing/" in data["error"]
    page = client.get("/no-such-thing/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_a_request_body_over_djangos_limit_is_a_json_400(admin_client, seed_article, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    url = reverse("articles:api-detail", kwargs={"slug": seed_article.slug})
    etag = admin_client.get(url)["ETag"]
    response = admin_client.put(
        url, "[" + "1," * 100 + "1]", content_type="application/json", headers={"If-Match": etag}
    )
    assert response.status_code == 400
    assert response.json() == {"status": 400, "error": "the request body is too large: the limit is 100 bytes"}


def test_the_csrf_failure_page_is_ours_without_inline_style(strict_client, db):
    response = strict_client.post(reverse("admin:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your form was not sent" in page and "allow cookies for this site" in page
    # Django's own page has an inline <style> the CSP (no 'unsafe-inline') blocks.
    assert "<style" not in page and " style=" not in page and "css/reader.css" in page
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert '<html lang="en" dir="ltr">' in page


def test_the_csrf_failure_page_speaks_arabic_to_an_arabic_reader(strict_client, db):
    response = strict_client.post(reverse("admin:login"), {"username": "a"}, headers={"Accept-Language": "ar"})
    page = response.content.decode()
    assert response.status_code == 403 and '<html lang="ar" dir="rtl">' in page
    assert "لم يُرسَل نموذجك" in page and "Your form was not sent" not in page


def test_a_csrf_failure_under_the_api_is_json(strict_client, seed_article, editor):
    strict_client.force_login(editor)
    url = reverse("articles:api-annotations", kwargs={"slug": seed_article.slug})
    response = strict_client.post(url, "{}", content_type="application/ld+json")
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["status"] == 403 and data["error"].startswith("CSRF check failed: CSRF cookie not set.")
    assert "X-CSRFToken" in data["error"]


@pytest.mark.parametrize("page", ["0", "3", "-1", "abc", "1.5"])
def test_a_page_that_does_not_exist_is_a_404_in_json_under_the_api_and_a_page_elsewhere(
    client, make_article, settings, page
):
    from articles.models import Entity, Mention

    settings.ARTICLES_PER_PAGE = 2
    place = Entity.objects.create(name_ar="غزة", name_en="Gaza", type="LOC")
    for number in range(3):
        article = make_article(title=f"خبر {number}", paragraphs=["في غزة اليوم."])
        paragraph = article.paragraphs.get()
        Mention.objects.create(
            article=article, paragraph=paragraph, start=3, end=6, text="غزة", label="LOC", source="editor", entity=place
        )
    for url in (reverse("articles:api-list"), reverse("articles:api-entity", kwargs={"pk": place.pk})):
        response = client.get(url, {"page": page})
        assert response.status_code == 404 and response["Content-Type"] == "application/json", url
        data = response.json()
        assert data["status"] == 404 and data["field"] == "page" and "page" in data["error"]
    for url in (reverse("articles:list"), reverse("articles:entity", kwargs={"pk": place.pk})):
        response = client.get(url, {"page": page})
        assert response.status_code == 404 and response["Content-Type"].startswith("text/html"), url
    assert client.get(reverse("articles:entity", kwargs={"pk": place.pk}), {"page": "2"}).status_code == 200
    assert client.get(reverse("articles:api-list"), {"page": "1"}).status_code == 200
    assert client.get(reverse("articles:api-list"), {"page": ""}).status_code == 200  # empty: the first page


def test_an_empty_list_has_its_first_page(client, db):
    assert client.get(reverse("articles:api-list"), {"page": "1"}).json()["count"] == 0
    assert client.get(reverse("articles:list"), {"page": "1"}).status_code == 200
