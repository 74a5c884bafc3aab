"""The reader in a real browser: direction, layout by width, the text size control."""

import pytest

from tests.browser import screenshot

pytestmark = [pytest.mark.browser]


@pytest.fixture
def seed_url(transactional_db, live_server, seed_article):
    return live_server.url + seed_article.get_absolute_url()


def boxes(page, position):
    row = page.locator(f"#p{position}")
    return row.locator(".cell-original").bounding_box(), row.locator(".cell-translation").bounding_box()


def test_seed_article_reads_right_to_left_beside_its_translation(page_at, seed_url):
    page = page_at(1280)
    page.goto(seed_url)
    original = page.locator("#p1 .cell-original")
    assert original.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert original.evaluate("el => getComputedStyle(el.querySelector('p')).textAlign") in ("start", "right")
    assert "Noto Naskh Arabic" in original.evaluate("el => getComputedStyle(el).fontFamily")
    for position in (1, 2, 3, 4):
        arabic, english = boxes(page, position)
        # Same row, Arabic on the right, no overlap.
        assert abs(arabic["y"] - english["y"]) < 2
        assert arabic["x"] >= english["x"] + english["width"]
    # The bundled Arabic font is the one really used, not a fallback.
    assert page.evaluate("document.fonts.check('16px \"Noto Naskh Arabic\"')")
    screenshot(page, "article-1280")


def test_rows_stack_on_a_phone(page_at, seed_url):
    page = page_at(390, 844)
    page.goto(seed_url)
    for position in (1, 4):
        arabic, english = boxes(page, position)
        assert english["y"] >= arabic["y"] + arabic["height"] - 1
        assert arabic["width"] > 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "article-390")


def test_font_size_control_is_remembered(page_at, seed_url):
    page = page_at(1280)
    page.goto(seed_url)
    paragraph = page.locator("#p1 .cell-original p")
    before = paragraph.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    page.get_by_role("button", name="Larger text").click()
    page.get_by_role("button", name="Larger text").click()
    after = paragraph.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert after == pytest.approx(before * 1.2, rel=0.02)
    page.reload()
    assert paragraph.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") == pytest.approx(after, rel=0.01)


def test_mixed_direction_date_keeps_its_order(page_at, seed_url):
    """`3/11/2025` inside an Arabic caption must read left to right, unscrambled."""
    page = page_at(1280)
    page.goto(seed_url)
    caption = page.locator(".related-story .caption").first
    # Select the date's characters and check they sit left to right on screen.
    xs = caption.evaluate(
        """el => {
            const node = el.querySelector('bdi').firstChild;
            const at = node.textContent.indexOf('3/11/2025');
            const xs = [];
            for (let i = 0; i < 9; i++) {
                const range = document.createRange();
                range.setStart(node, at + i); range.setEnd(node, at + i + 1);
                xs.push(range.getBoundingClientRect().x);
            }
            return xs;
        }"""
    )
    assert xs == sorted(xs)


@pytest.fixture
def translated_seed_url(seed_url, seed_article, libre):
    from django.core.management import call_command

    libre()
    call_command("translate_articles", seed_article.slug, verbosity=0)
    return seed_url


def test_hover_and_focus_highlight_the_counterpart(page_at, translated_seed_url):
    page = page_at(1280)
    page.goto(translated_seed_url)
    page.locator("#p2 .cell-original").hover()
    assert "is-counterpart" in page.locator("#p2 .cell-translation").get_attribute("class")
    assert "is-counterpart" not in page.locator("#p1 .cell-translation").get_attribute("class")
    page.locator("#p3 .cell-translation").focus()
    assert "is-counterpart" in page.locator("#p3 .cell-original").get_attribute("class")
    screenshot(page, "article-translated-1280")


def test_view_mode_switches_and_is_remembered(page_at, translated_seed_url):
    page = page_at(1280)
    page.goto(translated_seed_url)
    original, translation = page.locator("#p1 .cell-original"), page.locator("#p1 .cell-translation")
    assert original.is_visible() and translation.is_visible()
    page.get_by_role("button", name="Translation only").click()
    assert translation.is_visible() and not original.is_visible()
    page.reload()
    assert translation.is_visible() and not original.is_visible()
    assert page.get_by_role("button", name="Translation only").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="Original only").click()
    assert original.is_visible() and not translation.is_visible()
    page.get_by_role("button", name="Side by side").click()
    assert original.is_visible() and translation.is_visible()
