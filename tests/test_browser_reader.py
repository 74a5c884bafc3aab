"""The reader for both languages in a real browser (issue 22): English search finds the seed by an
entity's English name, axe-core finds no violation on the four reader pages in either language at
1280 and 390 px, a keyboard meets each entity once, and lines keep the measure."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.browser import screenshot

pytestmark = [pytest.mark.browser]

RELATED_HEADLINE = "فيدان عقب اجتماع عربي إسلامي: القوة الدولية في غزة بحاجة لقرار أممي"
# A word of the seed's last paragraph, in each language: a match deep in the article.
DEEP = {"en": "Indonesia", "ar": "إندونيسيا"}


@pytest.fixture
def reader(transactional_db, live_server, english_seed, make_article):
    """The seed recognised and translated into English, and the first related story in the archive."""
    from articles.entities.recognition import article_recognize
    from articles.models import Entity

    related = make_article(
        title=RELATED_HEADLINE,
        paragraphs=["قال وزير الخارجية التركي هاكان فيدان إن القوة الدولية في غزة بحاجة إلى قرار أممي."],
        section="سياسة",
    )
    article_recognize(article=related)
    istanbul = Entity.objects.get(key="city:Europe/Istanbul")
    return {
        "base": live_server.url,
        "home": reverse("articles:list"),
        "search": {language: reverse("articles:list") + "?q=" + quote(word) for language, word in DEEP.items()},
        "article": english_seed.get_absolute_url(),
        "entity": istanbul.get_absolute_url(),
        "seed": english_seed,
    }


def open_in(browser, base, *, language, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US")
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    return context, context.new_page()


def test_an_english_search_for_an_entitys_english_name_finds_the_seed(browser, reader):
    context, page = open_in(browser, reader["base"], language="en", width=1280)
    page.goto(reader["base"] + reader["home"])
    page.get_by_role("searchbox", name="Search articles").fill("Erdogan")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=Erdogan")
    cards = page.locator(".card")
    assert cards.count() == 1
    assert cards.first.locator(".card-title").inner_text() == reader["seed"].title
    assert "1 article matches." in page.locator(".result-count").inner_text()
    # Shown in the language that matched: the translation says Erdoğan, marked whole.
    passage = cards.first.locator(".card-passage")
    assert passage.get_attribute("lang") == "en" and passage.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert passage.locator("mark").inner_text() == "Erdoğan"
    assert "Turkish intelligence chief" in cards.first.locator(".headline-translation").inner_text()
    context.close()


PAGES = ["home", "search", "article", "entity"]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_axe_finds_no_violation_on_the_reader_pages(browser, reader, language, width):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context, page = open_in(browser, reader["base"], language=language, width=width)
    found = {}
    for name in PAGES:
        path = reader[name][language] if name == "search" else reader[name]
        page.goto(reader["base"] + path)
        page.evaluate("document.fonts.ready")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        screenshot(page, f"reader-{name}-{language}-{width}")
        results = axe.run(page)
        found[name] = [
            f"{violation['id']}: {node['target']} {node.get('failureSummary', '')[:200]}"
            for violation in results.response["violations"]
            for node in violation["nodes"]
        ]
    context.close()
    assert found == {name: [] for name in PAGES}


def test_search_marks_a_match_deep_in_the_article_in_each_language(browser, reader):
    for language in ("en", "ar"):
        context, page = open_in(browser, reader["base"], language=language, width=1280)
        page.goto(reader["base"] + reader["search"][language])
        passage = page.locator(".card-passage").first
        assert passage.get_attribute("lang") == language
        assert passage.locator("mark").first.inner_text() in ("Indonesia", "وإندونيسيا")
        assert passage.inner_text().startswith("…")  # the passage, not the article's first lines
        context.close()


def test_a_keyboard_meets_each_entity_once(browser, reader):
    context, page = open_in(browser, reader["base"], language="en", width=1280)
    page.goto(reader["base"] + reader["article"])
    stops = page.evaluate(
        """() => [...document.querySelectorAll('.article a[href], .article [tabindex], .article button')]
            .filter(el => el.tabIndex >= 0 && el.offsetParent !== null)
            .map(el => el.classList.contains('entity') ? 'entity:' + (el.dataset.entity || el.textContent) : 'other')"""
    )
    entity_stops = [stop for stop in stops if stop.startswith("entity:")]
    assert len(entity_stops) == len(set(entity_stops))  # each entity once: 33 here, 56 marks before
    assert len(stops) < 50, len(stops)
    # And past them all in one step: the first Tab into the text offers to skip it.
    page.locator(".reader-controls button").last.focus()
    page.keyboard.press("Tab")
    skip = page.locator(".skip-text")
    assert skip.evaluate("el => el === document.activeElement") and skip.is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('.rows') === null")
    assert focused  # the next stop is after the text
    # A mark skipped by Tab still shows its tooltip to the pointer.
    repeated = page.locator('#p2 a.entity[tabindex="-1"]').first
    repeated.hover()
    assert page.locator("#entity-tooltip").is_visible()
    context.close()


def text_lines(page, selector):
    """Characters a line of each element: its characters over its lines (height / line height)."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map(el => {
            const lines = Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight));
            return lines > 1 ? el.textContent.trim().length / lines : null;
        }).filter(Boolean)""",
        selector,
    )


@pytest.mark.parametrize("mode", ["both", "original", "translation"])
def test_lines_keep_the_measure_and_the_article_takes_the_width_it_claims(browser, reader, mode):
    context, page = open_in(browser, reader["base"], language="en", width=1280)
    page.add_init_script(f"window.localStorage.setItem('reader.viewMode', '{mode}')")
    page.goto(reader["base"] + reader["article"])
    lengths = text_lines(page, ".rows .row:not(.row-head) .cell p")
    assert lengths and max(lengths) <= 75, lengths
    article = page.locator(".article").bounding_box()
    text = page.locator(".rows").bounding_box()
    # No blank column beside the text: the article's box is the text's width plus its padding.
    assert article["width"] - text["width"] < 100, (article, text)
    left, right = article["x"], 1280 - article["x"] - article["width"]
    assert abs(left - right) < 20  # in the middle of the page
    for name in ("home", "entity"):
        page.goto(reader["base"] + reader[name])
        lengths = text_lines(page, ".card-lead, .quote, .quote-translation")
        assert lengths and max(lengths) <= 75, (name, lengths)
    context.close()
