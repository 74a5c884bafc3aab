"""Issue 23's editor, in a real browser: select with the keyboard, decide a suggestion in the
text and link it to an entity found by its English name, then edit the paragraph so that a
note is orphaned, see the warning, and undo the edit. Screenshots of each step, and of the
Annotate page at 1280 and 390 px in both languages, go to screenshots/."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from articles.models import Annotation, Entity, Mention
from tests.browser import SCREENSHOTS, screenshot
from tests.test_browser_annotate import annotate_url, log_in

pytestmark = [pytest.mark.browser]

CITY = "إسطنبول"


def shot(page, name):
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture
def workspace(transactional_db, seed_article, editor):
    """The seed with the gazetteer, and one suggestion in ¶1 (what recognition made is left out)."""
    call_command("load_gazetteer", verbosity=0)
    p1 = seed_article.paragraphs.get(position=1)
    Mention.objects.filter(article=seed_article).delete()
    start = p1.text.index(CITY)
    mention = Mention.objects.create(
        article=seed_article, paragraph=p1, start=start, end=start + len(CITY), text=CITY, label="LOC", source="crf"
    )
    # This editor may also correct the article's text (editors annotate; rewriting is a curator's right).
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["change_article", "change_paragraph"]))
    return seed_article, p1, mention


def test_an_editor_selects_decides_links_orphans_and_undoes(page_in, live_server, workspace, editor):
    article, p1, mention = workspace
    page = page_in(1280)
    log_in(page, live_server)
    page.goto(annotate_url(live_server, article))

    # 1. Keyboard selection: Tab from the page's last tool reaches the paragraph; Shift + arrows select.
    page.get_by_role("button", name="Read names as an encyclopedia does").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.position") == "1"
    first_word = p1.text.split()[0]  # التقى
    for _ in first_word:
        page.keyboard.press("Shift+ArrowLeft")  # right to left: the next letter is on the left
    assert page.input_value("#id_quote") == first_word
    assert (page.input_value("#id_start"), page.input_value("#id_end")) == ("0", str(len(first_word)))
    shot(page, "editor-1-keyboard-selection")
    page.keyboard.press("Enter")  # to the form
    assert page.evaluate("document.activeElement.id") == "id_kind"
    page.select_option("#id_kind", "note")
    page.fill("#id_body", "met: the verb of the whole story")
    page.get_by_role("button", name="Save annotation").click()
    page.wait_for_selector(".annotate-text mark.annotation-note")
    note = Annotation.objects.get(kind="note")
    assert (note.exact, note.start) == (first_word, 0)

    # 2. Accept the suggestion in the text, from the keyboard: Tab to it, A.
    suggestion = page.locator(f'.annotate-text mark[data-mention="{mention.pk}"]')
    assert "mention-suggested" in suggestion.get_attribute("class")
    page.locator('.annotate-text[data-position="1"]').focus()
    page.keyboard.press("Tab")  # the paragraph's first mention
    assert page.evaluate("document.activeElement.dataset.mention") == str(mention.pk)
    popover = page.locator("#mention-popover")
    popover.wait_for(state="visible")
    assert popover.locator("h3").inner_text() == CITY
    shot(page, "editor-2-suggestion-popover")
    page.keyboard.press("a")
    page.wait_for_selector(f'.annotate-text mark[data-mention="{mention.pk}"].mention-confirmed')
    assert page.locator(".annotate-status").inner_text() == f"Accepted «{CITY}»."
    mention.refresh_from_db()
    assert (mention.status, mention.decided_by) == ("confirmed", editor)
    assert page.locator(".annotate-suggestions").count() == 0  # the list had only this one

    # 3. Link it to an entity found by typing part of its English name.
    page.keyboard.press("Enter")  # into the popover
    page.locator("#entity-search-input").fill("istan")
    option = page.locator("#entity-search-results [role=option]").first
    option.wait_for()
    assert "Istanbul" in option.inner_text() and "Place" in option.inner_text()
    shot(page, "editor-3-entity-search")
    page.locator("#entity-search-input").press("Enter")
    page.wait_for_selector(".annotate-status:has-text('Linked')")
    istanbul = Entity.objects.get(key="city:Europe/Istanbul")
    mention.refresh_from_db()
    assert mention.entity == istanbul
    assert "Istanbul" in popover.locator(".mention-popover-entity").inner_text()
    page.keyboard.press("Escape")
    assert popover.is_hidden()

    # 4. Edit the paragraph so that the note's word is gone: the save says so, with links.
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    edited = p1.text.replace(first_word, "اجتمع", 1)
    page.fill("#id_paragraphs-0-text", edited)
    page.locator("input[name=_continue]").click()
    warning = page.locator(".messagelist .warning")
    warning.wait_for()
    assert "This edit orphaned 1 annotation" in warning.inner_text()
    note.refresh_from_db()
    assert note.anchor == "orphaned"
    shot(page, "editor-4-orphan-warning")
    warning.get_by_role("link", name="Undo this edit").click()

    # 5. Undo: the earlier text comes back, and the note finds its word again.
    assert first_word in page.locator(".restore-changes").inner_text()
    shot(page, "editor-5-undo-confirm")
    page.get_by_role("button", name="Bring this text back").click()
    page.wait_for_selector(".messagelist .success")
    assert "1 orphaned annotation found its words again" in page.locator(".messagelist").inner_text()
    p1.refresh_from_db()
    note.refresh_from_db()
    assert p1.text.startswith(first_word) and note.anchor == "exact"
    mention.refresh_from_db()
    assert (mention.status, mention.entity) == ("confirmed", istanbul)  # the decision was not undone
    page.goto(annotate_url(live_server, article))
    assert page.locator(".annotate-text mark.annotation-note").inner_text() == first_word
    assert page.locator("#orphans").count() == 0
    page.goto(live_server.url + reverse("admin:articles_article_history", args=[article.pk]))
    assert page.locator(".text-history tbody tr").count() >= 3
    screenshot(page, "editor-6-history")


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_annotate_page_shows_both_marks_and_the_popover_beside_the_words(
    page_in, live_server, workspace, editor, width, language
):
    from articles.annotations.services import annotation_create

    article, p1, mention = workspace
    annotation_create(
        article=article, user=editor, kind="note", paragraph=p1, start=mention.start, end=mention.end, body="the city"
    )
    page = page_in(width, language)
    log_in(page, live_server)
    page.goto(annotate_url(live_server, article))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # No sidebar of models: the text starts near the window's edge.
    assert page.locator("#nav-sidebar").count() == 0 or not page.locator("#nav-sidebar").is_visible()
    # The note's band and the suggestion's dashed outline are both drawn on the same words.
    note = page.locator(".annotate-text mark.annotation-note")
    inner = note.locator("mark.mention-suggested")
    assert inner.count() == 1
    assert note.evaluate("el => getComputedStyle(el).borderTopWidth") == "3px"
    assert inner.evaluate("el => getComputedStyle(el).outlineStyle") == "dashed"
    screenshot(page, f"annotate-{width}-{language}")
    inner.click()
    popover = page.locator("#mention-popover")
    popover.wait_for(state="visible")
    box, words = popover.bounding_box(), inner.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    if width == 1280:  # just under its words
        assert 0 <= box["y"] - (words["y"] + words["height"]) <= 12
    else:  # a sheet at the bottom of the screen, the words still in view above it
        assert box["y"] + box["height"] == pytest.approx(900, abs=2)
        assert words["y"] + words["height"] <= box["y"]
    shot(page, f"annotate-{width}-{language}-popover")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_article_list_on_a_phone_shows_every_column(page_in, live_server, seed_article, admin_user, language):
    page = page_in(390, language)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:articles_article_changelist"))
    results = page.locator(".results")
    assert results.evaluate("el => el.scrollWidth - el.clientWidth") <= 0  # no scroller inside the page
    for cell in ("field-translation_state", "field-recognition_state", "field-annotate_link", "field-published"):
        box = page.locator(f"#result_list .{cell}").first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, cell
        assert page.locator(f"#result_list .{cell}").first.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), cell
    title = page.locator("#result_list .arabic-title").first
    assert title.evaluate("el => getComputedStyle(el).direction") == "rtl"
    screenshot(page, f"admin-list-390-{language}")
