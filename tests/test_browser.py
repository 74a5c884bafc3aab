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


def test_seed_article_reads_right_to_left_beside_its_translation(page_at, translated_seed_url):
    page = page_at(1280)
    page.goto(translated_seed_url)
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


def test_rows_stack_on_a_phone(page_at, translated_seed_url):
    page = page_at(390, 844)
    page.goto(translated_seed_url)
    for position in (1, 4):
        arabic, english = boxes(page, position)
        assert english["y"] >= arabic["y"] + arabic["height"] - 1
        assert arabic["width"] > 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "article-390")


def test_phone_controls_fold_into_one_compact_bar_whose_state_is_remembered(page_at, translated_seed_url):
    page = page_at(390, 844)
    page.goto(translated_seed_url)
    bar = page.locator(".reader-controls")
    assert bar.bounding_box()["height"] < 64  # one line, not a third of the screen
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "article-390-first-screen.png"))
    assert not page.get_by_role("button", name="Translation only").is_visible()
    assert page.get_by_role("button", name="Larger text").is_visible()
    page.get_by_role("button", name="Options").click()
    assert page.get_by_role("button", name="Translation only").is_visible()
    assert page.locator("[data-entity-toggle=PERS]").is_visible()
    assert page.get_by_role("button", name="Options").get_attribute("aria-expanded") == "true"
    page.screenshot(path=str(SCREENSHOTS / "article-390-options-open.png"))
    page.reload()
    assert page.get_by_role("button", name="Translation only").is_visible()
    page.get_by_role("button", name="Options").click()
    assert not page.get_by_role("button", name="Translation only").is_visible()
    # On a wide screen everything is in view, with no menu.
    wide = page_at(1280)
    wide.goto(translated_seed_url)
    assert wide.get_by_role("button", name="Translation only").is_visible()
    assert not wide.get_by_role("button", name="Options").is_visible()


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


@pytest.fixture
def offline_seed_url(seed_url, seed_article, settings):
    """The seed as a reader sees it when the provider could not be reached."""
    from articles.models import Translation
    from articles.translation.config import settings_key

    settings.TRANSLATION_PROVIDER = "google"
    Translation.objects.filter(article=seed_article).update(
        status=Translation.Status.FAILED,
        error="could not connect to Google Translate (offline?)",
        failed_with=settings_key(),
    )
    return seed_url


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("width", [1280, 390])
def test_offline_the_arabic_takes_the_width_under_one_notice(browser, offline_seed_url, width, language):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale={"en": "en-US", "ar": "ar"}[language]
    )
    page = context.new_page()
    # A reader who chose "translation only" earlier still gets the text.
    page.add_init_script("window.localStorage.setItem('reader.viewMode', 'translation')")
    page.goto(offline_seed_url)
    notices = page.locator(".notice-translation")
    assert notices.count() == 1 and notices.is_visible()
    assert {"en": "Google Translate", "ar": "تعذّر الاتصال"}[language] in notices.inner_text()
    assert notices.bounding_box()["y"] < page.locator("#p1").bounding_box()["y"]
    rows = page.locator(".rows").bounding_box()
    for position in (1, 4):
        original = page.locator(f"#p{position} .cell-original")
        assert original.is_visible()
        assert original.bounding_box()["width"] >= min(rows["width"], 48 * 16) - 2
        # Right to left: the text hugs the right edge of the rows.
        assert abs(original.bounding_box()["x"] + original.bounding_box()["width"] - (rows["x"] + rows["width"])) < 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"article-offline-{width}-{language}")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"article-offline-{width}-{language}-first-screen.png"))
    context.close()


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
    # Compare glyphs only: take the highlight's colours away, keep its element
    # (through the CSSOM: the Content-Security-Policy refuses inline styles).
    page.evaluate(
        """() => document.querySelectorAll(".entity").forEach((el) => {
            el.style.setProperty("background", "none", "important");
            el.style.setProperty("box-shadow", "none", "important");
            el.style.setProperty("text-decoration", "none", "important");
        })"""
    )
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
        """el => { el.innerHTML = el.innerHTML.replace('بإسطنبول', 'ب<span class="cut">إسطنبول</span>');
            el.querySelector(".cut").style.display = "inline-block"; }"""
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
    assert "Place" in text and "Istanbul" in text and "Mentioned in 1 article" in text
    assert "ĂsTnbwl" not in text  # a scholarly transliteration is for the API, not for readers
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


# --- Content-Security-Policy (issue 9) --------------------------------------------

REPORT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
        + `(${event.sourceFile}:${event.lineNumber})`);
});
"""


def csp_page(browser, *, width, language):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=language)
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and page.console_errors.append(message.text),
    )
    return context, page


def violations(page) -> list[str]:
    page.wait_for_timeout(100)  # violation events are dispatched asynchronously
    return page.evaluate("window.__cspViolations") + page.console_errors


def test_no_csp_violation_on_the_reader_the_admin_and_the_annotation_workspace(
    browser, recognized_seed_url, translated_seed_url, seed_article, live_server, editor
):
    from django.test import Client

    from articles.annotations.services import annotation_create

    paragraph = seed_article.paragraphs.get(position=1)
    annotation_create(
        article=seed_article, paragraph=paragraph, quote="خليل الحية", kind="gloss", body="g", user=editor
    )
    policy = Client().get(seed_article.get_absolute_url())["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "nonce" not in policy

    entity = seed_article.mentions.filter(entity__isnull=False).first().entity
    reader_urls = {
        "reader": recognized_seed_url,
        "list": live_server.url + reverse("articles:list") + "?q=%D8%BA%D8%B2%D8%A9",
        "entity": live_server.url + entity.get_absolute_url(),
    }
    admin_urls = {
        "admin": live_server.url + reverse("admin:index"),
        "admin-articles": live_server.url + reverse("admin:articles_article_changelist"),
        "annotate": live_server.url + reverse("admin:articles_article_annotate", args=[seed_article.pk]),
        "admin-mentions": live_server.url + reverse("admin:articles_mention_changelist"),
    }
    for language in ("en-US", "ar"):
        for width in (1280, 390):
            context, page = csp_page(browser, width=width, language=language)
            for name, url in reader_urls.items():
                page.goto(url)
                if name == "reader":  # the scripts that restyle the page run too
                    page.locator("#p1 a.entity").first.hover()
                    page.locator(".font-size button").first.click()
                    if page.locator(".controls-toggle").is_visible():  # folded into a menu on a phone
                        page.locator(".controls-toggle").click()
                    page.locator("[data-view-mode]").last.click()
                assert violations(page) == [], (name, language, width)
                screenshot(page, f"csp-{name}-{language[:2]}-{width}")
            page.goto(live_server.url + reverse("admin:login"))
            page.fill("#id_username", "editor")
            page.fill("#id_password", "pw")
            page.click("input[type=submit]")
            for name, url in admin_urls.items():
                page.goto(url)
                assert violations(page) == [], (name, language, width)
                screenshot(page, f"csp-{name}-{language[:2]}-{width}")
            context.close()


# --- The admin fits the window --------------------------------------------------

ADMIN_PAGES = {
    "list": lambda article: reverse("admin:articles_article_changelist"),
    "change": lambda article: reverse("admin:articles_article_change", args=[article.pk]),
    # The annotation page (its own page once the annotate work lands; today the change page's workspace).
    "annotate": lambda article: reverse("admin:articles_article_annotate", args=[article.pk]),
}


@pytest.fixture
def admin_session(browser, live_server, transactional_db, django_user_model):
    """admin_session(width, language) → a page logged in as a superuser, in that interface language."""
    django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    contexts = []

    def open_page(width, language):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale={"en": "en-US", "ar": "ar"}[language]
        )
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", "boss")
        page.fill("#id_password", "pw")
        page.click("input[type=submit]")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", list(ADMIN_PAGES))
def test_admin_pages_fit_the_window_and_show_where_arabic_starts(
    admin_session, live_server, seed_article, name, width, language
):
    page = admin_session(width, language)
    page.goto(live_server.url + ADMIN_PAGES[name](seed_article))
    assert page.evaluate("document.documentElement.lang") == language
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} page is {overflow}px wider than a {width}px window"
    if name == "list" and width == 1280:
        # Every column in view, none scrolled away inside the table's box.
        assert page.evaluate("(el => el.scrollWidth - el.clientWidth)(document.querySelector('.results'))") <= 0
        assert "segments translated" in page.locator("#result_list").inner_text() or language == "ar"
    textareas = page.locator("textarea[lang=ar]")
    for index in range(textareas.count()):
        textarea = textareas.nth(index)
        if not textarea.is_visible():
            continue  # inside a collapsed section
        textarea.scroll_into_view_if_needed()
        where = textarea.evaluate(
            """el => {
                const box = el.getBoundingClientRect(), style = getComputedStyle(el);
                // Right to left, the first character sits at the top right, inside the padding.
                const x = box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth) - 3;
                const y = box.top + parseFloat(style.paddingTop) + parseFloat(style.borderTopWidth) + 6;
                return {left: box.left, right: box.right, height: box.height, direction: style.direction,
                        lineHeight: parseFloat(style.lineHeight), hit: document.elementFromPoint(x, y) === el};
            }"""
        )
        assert where["direction"] == "rtl"
        assert where["left"] >= 0 and where["right"] <= width, f"textarea {index} runs off the window: {where}"
        assert where["hit"], f"the first character of textarea {index} is hidden: {where}"
    if name == "change":
        paragraph = page.locator("#id_paragraphs-0-text")
        assert paragraph.evaluate("el => el.getBoundingClientRect().height") >= 4 * paragraph.evaluate(
            "el => parseFloat(getComputedStyle(el).lineHeight)"
        )
        paragraph.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"admin-change-{width}-{language}-paragraph.png"))
    screenshot(page, f"admin-{name}-{width}-{language}")


def test_tag_widget_shows_each_typed_tag_as_a_chip(admin_session, live_server, seed_article):
    page = admin_session(1280, "ar")
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[seed_article.pk]))
    page.fill("#id_tags", "تركيا، حماس, غزة,")
    assert page.locator(".tag-chips li").all_inner_texts() == ["تركيا", "حماس", "غزة"]


def test_admin_task_list_shows_stuck_work_without_csp_violation(
    browser, transactional_db, seed_article, live_server, settings
):
    from django.contrib.auth import get_user_model

    from tests.test_tasks_recovery import DATABASE_TASKS, stranded

    settings.TASKS = DATABASE_TASKS
    get_user_model().objects.create_superuser("boss", password="right-horse-battery")
    stranded(seed_article, minutes_ago=3 * 60)
    for language in ("en-US", "ar"):
        for width in (1280, 390):
            context, page = csp_page(browser, width=width, language=language)
            page.goto(live_server.url + reverse("admin:login"))
            page.fill("#id_username", "boss")
            page.fill("#id_password", "right-horse-battery")
            page.click("input[type=submit]")
            page.goto(
                live_server.url + reverse("admin:django_tasks_database_dbtaskresult_changelist") + "?attention=any"
            )
            stuck = page.locator(".task-stuck")
            assert stuck.count() == 1 and stuck.is_visible()
            assert page.locator("td.field-article_link a", has_text="حماس").is_visible()
            assert violations(page) == []
            screenshot(page, f"admin-tasks-{language[:2]}-{width}")
            context.close()
