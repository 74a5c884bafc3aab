"""Word lookup in a real browser (issue 24): a click or a tap on an Arabic word opens its analyses
beside it, a keyboard reaches every word without a tab stop for each, links keep their meaning,
the text's DOM is never touched (letters stay joined), axe-core finds nothing with the panel open,
in both interface languages at 1280 and 390 px; an editor saves a reading as a gloss that readers
then see first."""

import pytest
import regex
from django.urls import reverse

from tests.browser import SCREENSHOTS

pytestmark = [pytest.mark.browser]

WORD = regex.compile(r"[\p{L}\p{M}\u200c\u200d]+")
ARABIC = regex.compile(r"\p{Arabic}")

# The rectangle of `word` (its `nth` occurrence) in paragraph `position`, or of its letters
# `start`…`end`, scrolled to the middle of the window first.
RECT = """([selector, word, nth, start, end]) => {
  const text = document.querySelector(selector);
  const whole = text.textContent;
  let at = -1;
  for (let k = 0; k <= nth; k++) { at = whole.indexOf(word, at + 1); }
  const from = at + (start ?? 0), to = at + (end ?? word.length);
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0, started = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.data.length;
    if (!started && from < seen + length) { range.setStart(node, from - seen); started = true; }
    if (started && to <= seen + length) { range.setEnd(node, to - seen); break; }
    seen += length;
  }
  const first = range.getClientRects()[0];
  window.scrollBy(0, first.top - window.innerHeight / 3);
  const box = range.getClientRects()[0];
  return { x: box.left + box.width / 2, y: box.top + box.height / 2, left: box.left, right: box.right,
           top: box.top, bottom: box.bottom };
}"""


def screenshot(page, name):
    """The window as the reader sees it, the panel beside its word (a whole page would shrink it)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture
def reader(transactional_db, live_server, english_seed):
    return {"base": live_server.url, "article": english_seed.get_absolute_url(), "seed": english_seed}


def open_in(browser, base, *, language, width, height=900):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    return context, page, problems


def rect(page, word, *, position=1, nth=0, start=None, end=None):
    return page.evaluate(RECT, [f"#p{position} .cell-original > p", word, nth, start, end])


def click_word(page, word, **where):
    box = rect(page, word, **where)
    page.mouse.click(box["x"], box["y"])
    page.wait_for_selector("#word-panel .word-reading, #word-panel .word-none")
    return box


def highlighted(page, name):
    return page.evaluate(f"CSS.highlights.has('{name}') ? [...CSS.highlights.get('{name}')][0].toString() : null")


def panel(page):
    return page.locator("#word-panel")


def active(page):
    return page.evaluate(
        "document.activeElement.id || document.activeElement.closest('[id]')?.id || document.activeElement.tagName"
    )


def text_nodes(page):
    """The paragraph's nodes, each with its text (reader.js's tooltip moves attributes; no node is added)."""
    return page.evaluate(
        "[...document.querySelector('#p1 .cell-original > p').querySelectorAll('*')].map(n => n.nodeName + ':' +"
        " n.textContent).concat(document.querySelector('#p1 .cell-original > p').childNodes.length)"
    )


POS = {"en": "verb, perfect", "ar": "فعل ماضٍ"}
PLACE = {"en": "Place", "ar": "مكان"}
NONE = {"en": "No analysis: the lexicon does not have this word.", "ar": "لا تحليل: هذه الكلمة ليست في المعجم."}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_click_opens_the_words_analyses_beside_it_and_leaves_the_text_alone(browser, reader, language, width):
    from axe_playwright_python.sync_playwright import Axe

    context, page, problems = open_in(browser, reader["base"], language=language, width=width)
    page.goto(reader["base"] + reader["article"])
    page.evaluate("document.fonts.ready")
    text_before = text_nodes(page)

    # التقى, the first word: "met", the perfect verb first, beside the word and inside the window.
    word = click_word(page, "التقى")
    assert panel(page).is_visible()
    assert page.inner_text("#word-panel-word") == "التقى"
    first = page.locator("#word-panel .word-reading").first
    assert "meet" in first.locator(".reading-gloss").inner_text()
    assert first.locator(".reading-pos").inner_text() == POS[language]
    box = panel(page).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert box["y"] >= word["bottom"] - 1  # below the word, not over it
    assert highlighted(page, "word-lookup") == "التقى"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    results = Axe().run(page)
    violations = [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]
    assert violations == []
    screenshot(page, f"words-panel-{language}-{width}")

    # Escape closes it and gives the focus back to the paragraph.
    page.keyboard.press("Escape")
    assert panel(page).is_hidden() and highlighted(page, "word-lookup") is None
    assert page.evaluate("document.activeElement === document.querySelector('#p1 .cell-original')")

    # ولتركيا: its plain letters (و ل) clicked, not its linked name; the name's English first, then
    # the clitics each with its meaning.
    click_word(page, "ولتركيا", start=0, end=1)
    assert page.url.endswith(reader["article"])
    blocks = page.locator("#word-panel .word-panel-body > *")
    assert "word-entity" in blocks.first.get_attribute("class")
    assert PLACE[language] in blocks.first.text_content() and "Türkiye" in blocks.first.text_content()
    parts = page.locator("#word-panel .word-reading").first.locator(".part")
    assert [parts.nth(i).locator(".part-gloss").inner_text() for i in range(parts.count())] == [
        "and",
        "for/to",
        "Turkey",
    ]
    screenshot(page, f"words-entity-{language}-{width}")

    # قالن, a name the lexicon lacks (inside the link to the person's page, so reached with the
    # keyboard's word cursor: a click would follow the link): the person first, then "no analysis".
    page.keyboard.press("Escape")
    words = words_of(reader["seed"].paragraphs.get(position=1).text)
    page.locator("#p1 .cell-original").focus()
    page.keyboard.press("Home")
    for _ in range(words.index("قالن")):
        page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    page.wait_for_selector("#word-panel .word-reading, #word-panel .word-none")
    assert page.url.endswith(reader["article"])
    assert "Ibrahim" in page.locator("#word-panel .word-entity").inner_text()
    assert page.inner_text("#word-panel .word-none") == NONE[language]

    # A click elsewhere closes it; the text's markup never changed (no element in or around a word).
    page.mouse.click(5, 5)
    assert panel(page).is_hidden()
    assert text_nodes(page) == text_before
    assert problems == []
    context.close()


def words_of(text: str) -> list[str]:
    return [word for word in WORD.findall(text) if ARABIC.search(word)]


@pytest.mark.parametrize("language, width", [("en", 1280), ("ar", 390)])
def test_the_keyboard_reaches_every_word_without_a_tab_stop_for_each(browser, reader, language, width):
    from articles.models import Mention

    # A name the model found and nobody linked yet (recognition links the people it finds; an
    # editor may unlink one): a mark, not a link.
    Mention.objects.filter(article=reader["seed"], text="خليل الحية").update(entity=None)
    context, page, problems = open_in(browser, reader["base"], language=language, width=width)
    page.goto(reader["base"] + reader["article"])
    words = words_of(reader["seed"].paragraphs.get(position=1).text)
    cell = page.locator("#p1 .cell-original")
    cell.focus()
    # Right to left: ArrowLeft goes on to the next word, ArrowRight back.
    page.keyboard.press("ArrowLeft")
    assert highlighted(page, "word-cursor") == words[0] == "التقى"
    page.keyboard.press("ArrowLeft")
    assert highlighted(page, "word-cursor") == words[1]
    page.keyboard.press("ArrowRight")
    assert highlighted(page, "word-cursor") == words[0]
    page.keyboard.press("End")
    assert highlighted(page, "word-cursor") == words[-1]
    page.keyboard.press("Home")
    # A linked name's words are reached too: حماس, inside the link to Hamas's page.
    for _ in range(words.index("حماس")):
        page.keyboard.press("ArrowLeft")
    assert highlighted(page, "word-cursor") == "حماس"
    page.keyboard.press("Enter")
    page.wait_for_selector("#word-panel .word-reading")
    assert page.inner_text("#word-panel-word") == "حماس"
    assert "Hamas" in page.locator("#word-panel .word-entity").inner_text()
    assert active(page) == "word-panel-word"  # the focus is in the panel
    assert page.url.endswith(reader["article"])  # Enter on the cursor opened the word, not the link
    screenshot(page, f"words-keyboard-{language}-{width}")
    # The panel's own buttons step to the next word, the cursor with it.
    page.locator("#word-panel .word-step[data-step='1']").click()
    after = words[words.index("حماس") + 1]
    page.wait_for_function("(word) => document.getElementById('word-panel-word').textContent === word", arg=after)
    # Escape: closed, and the paragraph has the focus again with its cursor where the panel was.
    page.keyboard.press("Escape")
    assert panel(page).is_hidden()
    assert page.evaluate("document.activeElement === document.querySelector('#p1 .cell-original')")
    assert highlighted(page, "word-cursor") == after
    # Enter on a focused, unlinked name opens its word.
    page.locator("#p1 mark.entity[tabindex='0']").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#word-panel .word-reading, #word-panel .word-none")
    assert page.inner_text("#word-panel-word") == "خليل"
    # Tab past the panel's buttons closes it and goes on in the text.
    for _ in range(10):
        page.keyboard.press("Tab")
        if panel(page).is_hidden():
            break
    assert panel(page).is_hidden()
    # A click on a link still follows it.
    page.locator("#p1 a.entity", has_text="حماس").first.click()
    page.wait_for_url("**/entities/*/")
    assert problems == []
    context.close()


def log_in(page, base):
    page.goto(base + reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_load_state()


def test_an_editor_saves_a_reading_as_a_gloss_and_readers_then_see_it_first(browser, reader, editor):
    from articles.models import Annotation

    context, page, problems = open_in(browser, reader["base"], language="en", width=1280)
    log_in(page, reader["base"])
    problems.clear()  # the admin's login page asks for a favicon it does not have
    page.goto(reader["base"] + reader["article"])
    # The headline's words are looked up too; a gloss belongs to a paragraph, so none is offered there.
    title = page.evaluate(RECT, ["h1.article-title", "الاستخبارات", 0, None, None])
    page.mouse.click(title["x"], title["y"])
    page.wait_for_selector("#word-panel .word-reading")
    assert page.inner_text("#word-panel-word") == "الاستخبارات"
    assert page.locator("#word-panel .reading-save").count() == 0
    page.keyboard.press("Escape")
    click_word(page, "ونقلت")
    reading = page.locator("#word-panel .word-reading").first
    reading.locator(".reading-save").click()
    page.wait_for_function(
        "() => document.querySelector('#word-panel .reading-status').textContent.startsWith('Saved')"
    )
    assert problems == []
    context.close()

    paragraph = reader["seed"].paragraphs.get(position=1)
    gloss = Annotation.objects.get(kind="gloss")
    at = paragraph.text.index("ونقلت")  # code points: Python's str indexes count them
    assert (gloss.paragraph, gloss.start, gloss.end, gloss.exact) == (paragraph, at, at + 5, "ونقلت")
    assert gloss.body.startswith("and + transfer") and gloss.author.username == "editor"

    context, page, problems = open_in(browser, reader["base"], language="en", width=1280)
    page.goto(reader["base"] + reader["article"])
    click_word(page, "ونقلت")
    first = page.locator("#word-panel .word-panel-body > *").first
    assert "word-gloss" in first.get_attribute("class")
    assert "Editor's gloss" in first.text_content() and gloss.body in first.text_content()
    assert page.locator("#word-panel .reading-save").count() == 0  # readers save nothing
    screenshot(page, "words-editor-gloss-en-1280")
    assert problems == []
    context.close()
