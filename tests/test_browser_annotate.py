"""The admin's annotation page in a real browser: selecting words, writing through the
W3C Protocol endpoint, and the layout at 1280 and 390 px in English and Arabic."""

import pytest
from django.urls import reverse

from articles.models import Annotation
from tests.browser import SCREENSHOTS, screenshot

pytestmark = [pytest.mark.browser]

NAME = "خليل الحية"


@pytest.fixture
def seed_url(transactional_db, live_server, seed_article):
    return live_server.url + seed_article.get_absolute_url()


def log_in(page, live_server, username="editor"):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_load_state()


def annotate_url(live_server, article):
    return live_server.url + reverse("admin:articles_article_annotate", args=[article.pk])


def select_words(page, position, words):
    """Select `words` in paragraph `position` as a mouse would, from the right (RTL)."""
    paragraph = page.locator(f'.annotate-text[data-position="{position}"]')
    paragraph.scroll_into_view_if_needed()
    box = paragraph.evaluate(
        """(el, words) => {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode()) && node.textContent.indexOf(words) < 0) {}
            const at = node.textContent.indexOf(words);
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + words.length);
            const r = range.getClientRects()[0];
            return {left: r.left, right: r.right, y: r.top + r.height / 2};
        }""",
        words,
    )
    page.mouse.move(box["right"] - 1, box["y"])
    page.mouse.down()
    page.mouse.move((box["left"] + box["right"]) / 2, box["y"], steps=5)
    page.mouse.move(box["left"] + 1, box["y"], steps=5)
    page.mouse.up()


def test_editor_creates_edits_and_deletes_through_the_protocol_endpoint(
    page_in, seed_url, seed_article, live_server, editor
):
    page = page_in(1280)
    writes = []
    page.on(
        "request",
        lambda request: (
            writes.append((request.method, request.url)) if request.method in ("POST", "PUT", "DELETE") else None
        ),
    )
    log_in(page, live_server)
    writes.clear()
    page.goto(annotate_url(live_server, seed_article))

    select_words(page, 1, NAME)
    text = seed_article.paragraphs.get(position=1).text
    assert page.input_value("#id_quote") == NAME
    assert page.input_value("#id_start") == str(text.index(NAME))
    page.select_option("#id_kind", "gloss")
    page.fill("#id_body", "Khalil al-Hayya")
    page.get_by_role("button", name="Save annotation").click()
    page.wait_for_selector(".annotate-text mark.annotation-gloss")
    assert page.locator(".annotate-status").inner_text() == "Saved the annotation: Gloss «خليل الحية»."
    assert page.evaluate("location.hash") == "#annotate-p1"
    container = live_server.url + reverse("articles:api-annotations", kwargs={"slug": seed_article.slug})
    assert writes == [("POST", container)]
    annotation = Annotation.objects.get()
    assert (annotation.kind, annotation.exact, annotation.body, annotation.author) == (
        "gloss",
        NAME,
        "Khalil al-Hayya",
        editor,
    )
    screenshot(page, "admin-annotate-saved-1280-en")

    page.locator(".annotation-item.kind-gloss .annotation-edit").click()
    page.wait_for_selector(".annotate-form.is-editing")
    assert page.input_value("#id_body") == "Khalil al-Hayya"
    page.fill("#id_body", "Khalil al-Hayya, head of Hamas in Gaza")
    page.get_by_role("button", name="Save annotation").click()
    page.wait_for_selector(".annotate-status:has-text('Updated the annotation')")
    annotation_url = live_server.url + reverse("articles:api-annotation", kwargs={"uuid": annotation.uuid})
    assert writes[-1] == ("PUT", annotation_url)
    assert Annotation.objects.get().body == "Khalil al-Hayya, head of Hamas in Gaza"
    assert "head of Hamas in Gaza" in page.locator(".annotation-item.kind-gloss").inner_text()

    reader = page_in(1280)
    reader.goto(seed_url)
    assert reader.locator("#p1 mark.annotation-gloss").inner_text() == NAME
    assert "Khalil al-Hayya, head of Hamas in Gaza" in reader.locator("#p1 .notes").inner_text()

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".annotation-item.kind-gloss .annotation-delete").click()
    page.wait_for_selector(".annotate-status:has-text('Deleted the annotation.')")
    assert writes[-1] == ("DELETE", annotation_url)
    assert not Annotation.objects.exists()
    assert page.locator(".annotate-text mark.annotation-gloss").count() == 0


def test_a_refused_annotation_says_why_and_saves_nothing(page_in, seed_article, live_server, editor, transactional_db):
    page = page_in(1280)
    log_in(page, live_server)
    page.goto(annotate_url(live_server, seed_article))
    select_words(page, 1, NAME)
    page.select_option("#id_kind", "correction")
    page.get_by_role("button", name="Save annotation").click()
    page.wait_for_selector(".annotate-errors:not([hidden])")
    assert "a correction needs the proposed text" in page.locator(".annotate-errors").inner_text()
    assert not Annotation.objects.exists()


def test_selection_offsets_are_code_points_in_logical_order(
    page_in, live_server, transactional_db, make_article, editor
):
    """Mixed-direction text with a character outside the BMP before the selection:
    the browser counts UTF-16 units and draws runs in visual order; the offsets
    must still be code points in logical order."""
    text = "🙂 قال Erdoğan إن الاجتماع في 3/11/2025 كان مثمراً جداً."
    article = make_article(paragraphs=[text])
    wanted = "3/11/2025 كان"
    page = page_in(1280)
    log_in(page, live_server)
    page.goto(annotate_url(live_server, article))
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
    annotation = Annotation.objects.get()
    assert text[annotation.start : annotation.end] == wanted == annotation.exact


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("width", [1280, 390])
def test_annotation_page_fits_the_window_with_arabic_right_to_left(
    page_in, seed_article, live_server, editor, transactional_db, width, language
):
    from articles.annotations.services import annotation_create
    from articles.models import Mention

    p1 = seed_article.paragraphs.get(position=1)
    annotation_create(article=seed_article, user=editor, kind="gloss", paragraph=p1, quote=NAME, body="Khalil al-Hayya")
    start = p1.text.index("إسطنبول")
    # Only this suggestion: whatever the recognisers found on import is not what this test is about.
    Mention.objects.filter(article=seed_article).delete()
    Mention.objects.create(
        article=seed_article, paragraph=p1, start=start, end=start + 7, text="إسطنبول", label="LOC", source="gazetteer"
    )
    page = page_in(width, language)
    log_in(page, live_server)
    page.goto(annotate_url(live_server, seed_article))
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    text = page.locator('.annotate-text[data-position="1"]')
    assert text.evaluate("el => getComputedStyle(el).direction") == "rtl"
    # The first word of the paragraph is on screen, at the right edge of its column.
    first = text.evaluate(
        """el => { const r = document.createRange(); r.setStart(el.firstChild, 0); r.setEnd(el.firstChild, 1);
                   const b = r.getBoundingClientRect(); return {left: b.left, right: b.right}; }"""
    )
    column = text.bounding_box()
    assert first["left"] >= 0 and first["right"] <= width
    assert first["right"] == pytest.approx(column["x"] + column["width"], abs=2)
    side = page.locator(".annotate-side").bounding_box()
    textcol = page.locator(".annotate-textcol").bounding_box()
    if width == 1280:
        # Side by side, not overlapping; the text comes first in the reading direction.
        assert side["y"] == pytest.approx(textcol["y"], abs=2)
        if language == "ar":
            assert textcol["x"] >= side["x"] + side["width"]
        else:
            assert side["x"] >= textcol["x"] + textcol["width"]
    else:
        assert side["y"] >= textcol["y"] + textcol["height"] - 1
    for field in ("#id_body", "#id_quote", "#id_kind"):
        box = page.locator(field).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    screenshot(page, f"admin-annotate-{width}-{language}")
    select_words(page, 1, NAME)
    page.screenshot(path=str(SCREENSHOTS / f"admin-annotate-{width}-{language}-selected.png"))
    jump = page.locator(".annotate-jump")
    if width == 390:
        # The form is under the text: a bar leads to it.
        assert jump.is_visible() and NAME in jump.inner_text()
        jump.click()
        page.wait_for_timeout(300)
        form = page.locator("#id_quote").bounding_box()
        assert 0 <= form["y"] <= 900 and page.input_value("#id_quote") == NAME
        page.screenshot(path=str(SCREENSHOTS / f"admin-annotate-{width}-{language}-form.png"))
    else:
        assert not jump.is_visible()


def test_suggestions_are_decided_in_bulk_from_the_keyboard(
    page_in, seed_article, live_server, editor, transactional_db
):
    from articles.models import Mention

    text = seed_article.paragraphs.get(position=1).text
    Mention.objects.filter(article=seed_article).delete()  # only the suggestions made here
    suggested = [
        Mention.objects.create(
            article=seed_article,
            paragraph=seed_article.paragraphs.get(position=1),
            start=text.index(word),
            end=text.index(word) + len(word),
            text=word,
            label=label,
            source="gazetteer",
        )
        for word, label in (("إسطنبول", "LOC"), ("حماس", "ORG"), ("غزة", "LOC"))
    ]
    page = page_in(1280)
    log_in(page, live_server)
    page.goto(annotate_url(live_server, seed_article))
    boxes = page.locator(".suggestion-list input[name=mention]")
    boxes.nth(0).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("a")
    page.wait_for_selector("text=2 suggestions accepted.")
    page.locator(".suggestion-list input[name=mention]").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("r")
    page.wait_for_selector("text=1 suggestion rejected.")
    assert sorted(Mention.objects.get(pk=m.pk).status for m in suggested) == ["confirmed", "confirmed", "rejected"]
    assert page.locator(".annotate-suggestions").count() == 0


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_note_on_an_article_read_as_an_encyclopedia_fits_in_the_editors_language(
    page_in, live_server, editor, transactional_db, make_article, width, language
):
    from articles.entities.recognition import article_recognize, shipped_model
    from tests.conftest import ENCYCLOPEDIA_PARAGRAPHS

    article = make_article(paragraphs=ENCYCLOPEDIA_PARAGRAPHS)
    article_recognize(article=article, shipped=shipped_model())
    page = page_in(width, language)
    log_in(page, live_server)
    page.goto(annotate_url(live_server, article))
    note = page.locator("#annotate-read-as")
    assert note.is_visible()
    assert ("موسوعية" in note.inner_text()) == (language == "ar")
    assert note.evaluate("el => getComputedStyle(el).direction") == ("rtl" if language == "ar" else "ltr")
    # The editor may read it as news instead: the button beside the note, in the editor's language.
    button = page.locator("#annotate-reading button[value=news]")
    assert button.is_visible() and ("الأخبار" in button.inner_text()) == (language == "ar")
    for box in (note.bounding_box(), button.bounding_box()):
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    note.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"admin-annotate-encyclopedia-{width}-{language}.png"))
