"""The reader in a real browser: direction, layout by width, the text size control."""

import pytest
from django.urls import reverse

from tests.browser import SCREENSHOTS, screenshot

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
            // The text node holding the date (entity highlights may split the caption).
            const walker = document.createTreeWalker(el.querySelector('bdi'), NodeFilter.SHOW_TEXT);
            let node = walker.nextNode();
            while (node && !node.textContent.includes('3/11/2025')) node = walker.nextNode();
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


@pytest.fixture
def recognized_seed_url(seed_url, seed_article):
    from django.core.management import call_command

    from articles.entities.recognition import article_recognize

    call_command("load_gazetteer", verbosity=0)
    article_recognize(article=seed_article)
    return seed_url


def word_shot(page, word_locator):
    """A screenshot of the whole word `بإسطنبول` around the highlighted name."""
    box = word_locator.evaluate(
        """el => {
            const range = document.createRange();
            range.setStart(el.previousSibling, el.previousSibling.textContent.length - 1);
            range.setEnd(el.firstChild, el.firstChild.textContent.length);
            const r = range.getBoundingClientRect();
            return {x: r.x + scrollX - 4, y: r.y + scrollY - 4, width: r.width + 8, height: r.height + 8};
        }"""
    )
    # Page coordinates and full-page shots: scrolling cannot move the clip.
    return page.screenshot(clip=box, full_page=True), box


def test_highlight_inside_a_word_keeps_arabic_letters_joined(page_at, recognized_seed_url):
    page = page_at(1280)
    page.goto(recognized_seed_url)
    link = page.locator(".related-story .caption a.entity", has_text="إسطنبول")
    assert link.evaluate("el => el.previousSibling.textContent.endsWith('ب')")
    # Compare glyphs only: take the highlight's colours away, keep its element.
    page.add_style_tag(content=".entity { background: none !important; box-shadow: none !important; }")
    highlighted, box = word_shot(page, link)
    screenshot(page, "joining-highlighted")

    # The same word as plain text, element removed: must be pixel-identical.
    link.evaluate("el => { el.dataset.keep = el.outerHTML; }")
    link.evaluate("el => el.replaceWith(document.createTextNode(el.textContent))")
    caption = page.locator(".related-story .caption bdi").first
    plain = page.screenshot(clip=box, full_page=True)
    assert caption.evaluate("el => el.textContent").count("بإسطنبول") == 1
    if highlighted != plain:
        (SCREENSHOTS / "joining-a.png").write_bytes(highlighted)
        (SCREENSHOTS / "joining-b.png").write_bytes(plain)
    assert highlighted == plain

    # The check can fail: a highlight that cuts the shaping run (inline-block)
    # shows an unjoined ب, and the pictures differ.
    caption.evaluate(
        """el => { el.innerHTML = el.innerHTML.replace('بإسطنبول',
            'ب<span style="display:inline-block">إسطنبول</span>'); }"""
    )
    assert page.screenshot(clip=box, full_page=True) != plain


def test_entity_legend_toggle_and_tooltip(page_at, recognized_seed_url):
    page = page_at(1280)
    page.goto(recognized_seed_url)
    legend = page.locator(".entity-legend")
    for name in ("Person", "Place", "Organisation", "Other"):
        assert legend.get_by_text(name).is_visible()

    istanbul = page.locator("#p1 a.entity.ent-LOC", has_text="إسطنبول").first
    coloured = istanbul.evaluate("el => getComputedStyle(el).backgroundColor")
    assert coloured not in ("rgba(0, 0, 0, 0)", "transparent")

    istanbul.hover()
    tooltip = page.locator("#entity-tooltip")
    assert tooltip.is_visible()
    text = tooltip.text_content()
    assert "Place" in text and "Istanbul" in text and "ĂsTnbwl" in text and "Mentioned in 1 article" in text
    screenshot(page, "entity-tooltip")

    page.keyboard.press("Escape")
    assert not tooltip.is_visible()
    istanbul.focus()
    assert tooltip.is_visible()

    legend.get_by_label("Place").uncheck()
    assert istanbul.evaluate("el => getComputedStyle(el).backgroundColor") in ("rgba(0, 0, 0, 0)", "transparent")
    hamas = page.locator("#p1 a.entity.ent-ORG").first
    assert hamas.evaluate("el => getComputedStyle(el).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    page.reload()
    assert not page.locator(".entity-legend").get_by_label("Place").is_checked()

    page.locator("#p1 a.entity.ent-LOC", has_text="إسطنبول").first.click()
    page.wait_for_url("**/entities/*/")
    assert "Istanbul" in page.locator("h1").inner_text()
    screenshot(page, "entity-page")


def test_editor_selects_words_in_the_admin_and_readers_see_the_gloss(
    page_at, seed_url, seed_article, live_server, editor
):
    name = "خليل الحية"
    page = page_at(1280, 1000)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[seed_article.pk]) + "#annotate")

    paragraph = page.locator('.annotate-text[data-position="1"]')
    assert paragraph.evaluate("el => getComputedStyle(el).direction") == "rtl"
    paragraph.scroll_into_view_if_needed()
    # Where the name is on screen; in right-to-left text it starts on the right.
    box = paragraph.evaluate(
        """(el, name) => {
            // The text node holding the name (entity highlights split the paragraph).
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            let node = walker.nextNode();
            while (node && !node.textContent.includes(name)) node = walker.nextNode();
            const at = node.textContent.indexOf(name);
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + name.length);
            const r = range.getClientRects()[0];
            return {left: r.left, right: r.right, y: r.top + r.height / 2};
        }""",
        name,
    )
    page.mouse.move(box["right"] - 1, box["y"])
    page.mouse.down()
    page.mouse.move((box["left"] + box["right"]) / 2, box["y"], steps=5)
    page.mouse.move(box["left"] + 1, box["y"], steps=5)
    page.mouse.up()

    text = seed_article.paragraphs.get(position=1).text
    start = text.index(name)
    assert page.input_value("#id_quote") == name
    assert page.input_value("#id_start") == str(start)
    assert page.input_value("#id_end") == str(start + len(name))

    page.select_option("#id_kind", "gloss")
    page.fill("#id_body", "Khalil al-Hayya, head of Hamas in Gaza")
    screenshot(page, "admin-annotate-selection")
    page.get_by_role("button", name="Save annotation").click()
    page.wait_for_selector(".annotate-text mark.annotation-gloss")
    assert page.locator(".annotate-text mark.annotation-gloss").inner_text() == name
    screenshot(page, "admin-annotate-saved")

    reader = page_at(1280)
    reader.goto(seed_url)
    gloss = reader.locator("#p1 mark.annotation-gloss")
    assert gloss.inner_text() == name
    gloss.focus()
    assert "Khalil al-Hayya" in reader.locator("#entity-tooltip").text_content()
    assert "Khalil al-Hayya, head of Hamas in Gaza" in reader.locator("#p1 .notes").inner_text()
    screenshot(reader, "reader-gloss")


def test_selection_offsets_are_code_points_in_logical_order(
    page_at, live_server, transactional_db, make_article, editor
):
    """Mixed-direction text with a character outside the BMP before the selection:
    the browser counts UTF-16 units and draws runs in visual order; the offsets
    must still be code points in logical order."""
    text = "🙂 قال Erdoğan إن الاجتماع في 3/11/2025 كان مثمراً جداً."
    article = make_article(paragraphs=[text])
    wanted = "3/11/2025 كان"
    page = page_at(1280)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]) + "#annotate")
    page.locator('.annotate-text[data-position="1"]').evaluate(
        """(el, wanted) => {
            const node = el.firstChild;
            const at = node.textContent.indexOf(wanted);
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + wanted.length);
            const selection = window.getSelection();
            selection.removeAllRanges(); selection.addRange(range);
            document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }""",
        wanted,
    )
    start = text.index(wanted)
    assert page.input_value("#id_start") == str(start)  # Python indexes code points
    assert page.input_value("#id_end") == str(start + len(wanted))
    page.select_option("#id_kind", "note")
    page.fill("#id_body", "date")
    page.get_by_role("button", name="Save annotation").click()
    page.wait_for_selector(".annotate-text mark.annotation-note")
    from articles.models import Annotation

    annotation = Annotation.objects.get()
    assert text[annotation.start : annotation.end] == wanted == annotation.exact
