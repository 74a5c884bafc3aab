"""Search results and the paginated entity page in a real browser: marks keep
Arabic letters joined, nothing overflows, both interface languages."""

import datetime

import pytest
from django.urls import reverse

from articles.models import Entity, Mention
from tests.browser import screenshot

pytestmark = [pytest.mark.browser]


@pytest.fixture
def archive(transactional_db, live_server, make_article, settings):
    settings.ARTICLES_PER_PAGE = 3
    articles = [
        make_article(
            title=f"والرئيس يصل إلى بنغازي في اليوم {day}",
            paragraphs=["وصل إلى بنغازي وفد رسمي، وقال الرئيسُ إنّ المحادثات ستستمر أياماً."],
            published=datetime.date(2025, 1, day),
        )
        for day in range(1, 6)
    ]
    # Made after the imports, so that recognition (run as they commit) found nothing to link.
    entity = Entity.objects.create(name_ar="بنغازي", name_en="Benghazi", type="LOC")
    for article in articles:
        Mention.objects.create(
            article=article,
            paragraph=article.paragraphs.get(),
            start=8,
            end=14,
            text="بنغازي",
            label="LOC",
            source="editor",
            entity=entity,
        )
    return live_server.url, entity


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_search_results_and_entity_page(page_at, archive, width, language):
    base, entity = archive
    page = page_at(width)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(base + reverse("articles:list") + "?q=" + "الرئيس")
    marks = page.locator(".card mark")
    assert marks.count() >= 6
    # The whole word is marked, clitic included, and it is drawn right to left.
    assert marks.first.inner_text() == "والرئيس"
    assert marks.first.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("nav.pagination").is_visible()
    screenshot(page, f"search-{language}-{width}")

    page.goto(base + reverse("articles:entity", kwargs={"pk": entity.pk}))
    sections = page.locator(".entity-article h2")
    assert sections.count() == 3 and "اليوم 5" in sections.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("nav.pagination a[rel=next]").click()
    assert page.locator(".entity-article").count() == 2
    screenshot(page, f"entity-{language}-{width}")
