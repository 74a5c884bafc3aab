"""Deciding entity mentions in the text of the Annotate page (articles/admin/annotate.py and the
entity services it calls): one decision at a time, a name at a time, a new entity on the spot."""

import json
import re

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.models import Entity, Mention
from tests.test_tasks_recovery import database_tasks  # noqa: F401 (a fixture)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def suggest(article, word, label="LOC", position=1, occurrence=1):
    paragraph = article.paragraphs.get(position=position)
    start = -1
    for _ in range(occurrence):
        start = paragraph.text.index(word, start + 1)
    return Mention.objects.create(
        article=article, paragraph=paragraph, start=start, end=start + len(word), text=word, label=label, source="crf"
    )


@pytest.fixture
def suggestions(seed_article, make_article):
    Mention.objects.all().delete()
    istanbul = suggest(seed_article, "إسطنبول")
    again = suggest(seed_article, "إسطنبول", occurrence=2)
    other = make_article(paragraphs=["وصل الوفد إلى إسطنبول أمس."])
    elsewhere = suggest(other, "إسطنبول")
    return istanbul, again, elsewhere


def decide(client, mention, **data):
    url = reverse("admin:articles_article_mention", args=[mention.article_id, mention.pk])
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_popover_learns_how_many_suggestions_share_the_name(editor_client, suggestions):
    istanbul, _, _ = suggestions
    url = reverse("admin:articles_article_mention", args=[istanbul.article_id, istanbul.pk])
    data = editor_client.get(url).json()
    assert (data["name"]["article"], data["name"]["archive"]) == (2, 3)
    assert data["name"]["article_label"] == "Accept all 2 «إسطنبول» in this article"
    assert data["mention"]["status"] == "suggested" and data["mention"]["label_name"] == "Place"


def test_accept_reject_and_retype_one_mention(editor_client, suggestions, editor):
    istanbul, again, _ = suggestions
    response = decide(editor_client, istanbul, action="confirm")
    assert response.json()["message"] == "Accepted «إسطنبول»."
    istanbul.refresh_from_db()
    assert (istanbul.status, istanbul.decided_by) == ("confirmed", editor)
    assert decide(editor_client, again, action="reject").json()["mentions"][0]["status"] == "rejected"
    response = decide(editor_client, istanbul, action="retype", label="ORG").json()
    assert (
        response["mentions"][0]["label"] == "ORG"
        and response["message"] == "The type of «إسطنبول» is now Organisation."
    )
    assert decide(editor_client, istanbul, action="retype", label="XX").status_code == 400


def test_accept_every_suggestion_of_a_name_in_the_article_or_the_archive(editor_client, suggestions):
    istanbul, again, elsewhere = suggestions
    city = Entity.objects.create(name_ar="إسطنبول", name_en="Istanbul", type="LOC")
    decide(editor_client, istanbul, action="link", entity=city.pk)
    response = decide(editor_client, istanbul, action="accept_name", scope="article").json()
    assert response["message"] == "Accepted 1 «إسطنبول» in this article."
    again.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (again.status, again.entity) == ("confirmed", city)
    assert elsewhere.status == "suggested"
    response = decide(editor_client, istanbul, action="accept_name", scope="archive").json()
    elsewhere.refresh_from_db()
    assert (elsewhere.status, elsewhere.entity) == ("confirmed", city)
    assert response["message"] == "Accepted 1 «إسطنبول» in the archive."
    assert [m["id"] for m in response["mentions"]] == []  # the one decided is in another article


def test_link_to_an_entity_and_unlink(editor_client, suggestions):
    istanbul, _, _ = suggestions
    city = Entity.objects.create(name_ar="إسطنبول", name_en="Istanbul", type="LOC")
    data = decide(editor_client, istanbul, action="link", entity=city.pk).json()
    assert data["mentions"][0]["entity"]["name_en"] == "Istanbul" and data["mentions"][0]["status"] == "confirmed"
    assert decide(editor_client, istanbul, action="link", entity="").json()["mentions"][0]["entity"] is None
    assert decide(editor_client, istanbul, action="link", entity=999999).status_code == 400


def test_a_new_entity_on_the_spot_with_the_editors_wikidata_id(editor_client, suggestions):
    istanbul, _, _ = suggestions
    data = decide(
        editor_client,
        istanbul,
        action="create_entity",
        name_ar="إسطنبول",
        name_en="Istanbul",
        wikidata_id="https://www.wikidata.org/wiki/Q406",
    ).json()
    entity = Entity.objects.get(name_en="Istanbul")
    assert (entity.type, entity.wikidata_id, entity.source, entity.edited_by_editor) == ("LOC", "Q406", "editor", True)
    assert data["mentions"][0]["entity"]["id"] == entity.pk
    refused = decide(editor_client, istanbul, action="create_entity", name_ar="س", wikidata_id="P31")
    assert refused.status_code == 400 and "Q followed by digits" in refused.json()["error"]


def test_readers_may_not_decide(client, django_user_model, suggestions):
    istanbul, _, _ = suggestions
    client.force_login(django_user_model.objects.create_user("staff", is_staff=True))
    url = reverse("admin:articles_article_mention", args=[istanbul.article_id, istanbul.pk])
    assert client.get(url).status_code == 403
    assert decide(client, istanbul, action="confirm").status_code == 403
    istanbul.refresh_from_db()
    assert istanbul.status == "suggested"


def test_a_mention_of_another_article_is_not_found_here(editor_client, suggestions, seed_article):
    _, _, elsewhere = suggestions
    url = reverse("admin:articles_article_mention", args=[seed_article.pk, elsewhere.pk])
    assert editor_client.get(url).status_code == 404


def test_bad_bodies_are_refused_with_a_reason(editor_client, suggestions):
    istanbul, _, _ = suggestions
    url = reverse("admin:articles_article_mention", args=[istanbul.article_id, istanbul.pk])
    assert editor_client.post(url, "[1]", content_type="application/json").status_code == 400
    assert editor_client.post(url, "{", content_type="application/json").status_code == 400
    assert decide(editor_client, istanbul, action="explode").json()["error"] == "unknown decision 'explode'"


def test_the_page_marks_suggestions_apart_and_groups_them_by_sentence(editor_client, suggestions, seed_article):
    istanbul, again, _ = suggestions
    decide(editor_client, again, action="confirm")
    page = editor_client.get(reverse("admin:articles_article_annotate", args=[seed_article.pk])).content.decode()
    assert f'data-mention="{istanbul.pk}"' in page and "mention mention-suggested" in page
    assert "mention mention-confirmed" in page
    assert 'role="button"' in page and 'aria-haspopup="dialog"' in page
    # The list shows the suggestion's sentence with it marked, and says where it is.
    p1 = seed_article.paragraphs.get(position=1).text
    sentence = p1[: p1.index(".") + 1]
    assert "1 entity suggestion to decide" in page
    assert f'data-for="{istanbul.pk}"' in page and 'href="#annotate-p1">¶1</a>' in page
    assert sentence.split("إسطنبول")[0] in page


def test_a_note_on_an_entitys_words_keeps_both_marks(editor_client, suggestions, seed_article, editor):
    from articles.annotations.services import annotation_create

    istanbul, _, _ = suggestions
    annotation_create(
        article=seed_article,
        user=editor,
        kind="note",
        paragraph=istanbul.paragraph,
        start=istanbul.start,
        end=istanbul.end,
        body="city",
    )
    page = editor_client.get(reverse("admin:articles_article_annotate", args=[seed_article.pk])).content.decode()
    note_at = page.index('class="annotation annotation-note"')
    mark_at = page.index(f'data-mention="{istanbul.pk}"')
    assert note_at < mark_at < page.index("</mark></mark>", note_at)


def test_the_annotate_page_costs_the_same_queries_whatever_the_article(editor_client, make_article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(article):
        for paragraph in article.paragraphs.all():
            Mention.objects.create(
                article=article, paragraph=paragraph, start=0, end=2, text=paragraph.text[:2], label="LOC", source="crf"
            )
        with CaptureQueriesContext(connection) as context:
            editor_client.get(reverse("admin:articles_article_annotate", args=[article.pk]))
        return len(context.captured_queries)

    small = queries(make_article(paragraphs=["نص أول."]))
    large = queries(make_article(paragraphs=[f"نص رقم {n}." for n in range(30)]))
    assert small == large


def test_accepting_a_name_across_the_archive_reindexes_each_article_once(
    editor_client,
    suggestions,
    database_tasks,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    istanbul, _, elsewhere = suggestions
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(editor_client, istanbul, action="accept_name", scope="archive").json()
    assert response["decided"] == 3
    # Three mentions in two articles: both articles queued for re-indexing, in one task.
    tasks = DBTaskResult.objects.filter(task_path__endswith="refresh_search_documents")
    queued = [task.args_kwargs["args"] for task in tasks]
    assert queued == [[sorted({istanbul.article_id, elsewhere.article_id})]]


def test_accepting_every_suggestion_of_a_name_costs_one_write_each_and_nothing_more(editor_client, make_article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    city = Entity.objects.create(name_ar="إسطنبول", name_en="Istanbul", type="LOC")
    queries = {}
    for count in (2, 6):
        article = make_article(paragraphs=[" ".join(["زار إسطنبول"] * count)])
        mentions = [suggest(article, "إسطنبول", occurrence=number + 1) for number in range(count)]
        decide(editor_client, mentions[0], action="link", entity=city.pk)
        with CaptureQueriesContext(connection) as captured:
            response = decide(editor_client, mentions[0], action="accept_name", scope="article").json()
        assert response["decided"] == count - 1
        assert all(m["entity"]["name_en"] == "Istanbul" for m in response["mentions"])
        queries[count] = len(captured)
    # Four more mentions, four more updates: the linked entity is not read again for each.
    assert queries[6] - queries[2] == 4


def test_the_list_heading_is_worded_for_the_suggestions_left_in_the_editors_language(editor_client, suggestions):
    istanbul, again, _ = suggestions
    data = decide(editor_client, istanbul, action="confirm").json()
    assert (data["suggestions_left"], data["suggestions_title"]) == (1, "1 entity suggestion to decide")
    # Arabic words one, two and few differently, and "one" without a digit.
    data = editor_client.post(
        reverse("admin:articles_article_mention", args=[again.article_id, again.pk]),
        json.dumps({"action": "reject"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ar",
    ).json()
    assert (data["suggestions_left"], data["suggestions_title"]) == (0, "لا اقتراحات كيانات تنتظر قراراً")


def test_the_popover_says_where_a_mention_stands_in_the_editors_language(editor_client, suggestions, editor):
    from articles.entities.services import mention_add

    istanbul, again, _ = suggestions
    url = reverse("admin:articles_article_mention", args=[istanbul.article_id, istanbul.pk])
    arabic = {"HTTP_ACCEPT_LANGUAGE": "ar"}
    assert editor_client.get(url, **arabic).json()["mention"]["state"].startswith("اقترحه")
    data = decide(editor_client, istanbul, action="confirm").json()
    assert data["mentions"][0]["state"] == "confirmed"
    # An editor's own mention is said to be theirs, not "confirmed"; on the page as in the popover.
    paragraph = again.paragraph
    start = paragraph.text.index("حماس")
    added = mention_add(paragraph=paragraph, start=start, end=start + 4, label="ORG", user=editor)
    url = reverse("admin:articles_article_mention", args=[added.article_id, added.pk])
    assert editor_client.get(url, **arabic).json()["mention"]["state"] == "أضافه محرر"
    page = editor_client.get(reverse("admin:articles_article_annotate", args=[added.article_id]), **arabic)
    mark = re.search(rf'<mark [^>]*data-mention="{added.pk}"[^>]*>', page.content.decode()).group()
    assert 'data-state="أضافه محرر"' in mark, mark


def test_an_editor_chooses_how_names_are_read_and_the_suggestions_follow(
    editor_client, editor, make_article, django_capture_on_commit_callbacks, client, django_user_model
):
    """The machine may misjudge an article's kind: an editor reads it as news instead (the people
    suggested as a person goes), or back as the machine judges it; the choice outlives later
    recognitions, and the editor's own decisions stay as they were."""
    from django.core.management import call_command

    from articles.entities.recognition import article_recognize, shipped_model
    from articles.entities.services import mention_confirm

    from .conftest import ENCYCLOPEDIA_PARAGRAPHS

    call_command("load_gazetteer", verbosity=0)
    article = make_article(paragraphs=ENCYCLOPEDIA_PARAGRAPHS)
    article_recognize(article=article, shipped=shipped_model())
    people = article.mentions.filter(text="الأيوبيون", label="PERS")
    assert people.exists()
    kept = article.mentions.filter(status=Mention.Status.SUGGESTED).exclude(text="الأيوبيون").first()
    mention_confirm(mention=kept, user=editor)
    url = reverse("admin:articles_article_reading", args=[article.pk])
    page = editor_client.get(reverse("admin:articles_article_annotate", args=[article.pk])).content.decode()
    assert 'value="news"' in page and 'value="machine"' not in page

    def choose(reading):
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(url, {"reading": reading}, follow=True)
        article.refresh_from_db()
        # The page once the recognition queued has run.
        return editor_client.get(response.redirect_chain[-1][0]).content.decode()

    page = choose("news")
    assert "read as news names them" in page and 'value="encyclopedia"' in page and 'value="machine"' in page
    assert (article.encyclopedia_by_editor, article.read_as_encyclopedia) == (False, False)
    assert not people.exists()
    assert Mention.objects.get(pk=kept.pk).status == Mention.Status.CONFIRMED
    article_recognize(article=article, shipped=shipped_model())  # a later recognition keeps the choice
    article.refresh_from_db()
    assert article.read_as_encyclopedia is False and not people.exists()
    choose("poetry")  # a bad choice changes nothing
    assert article.encyclopedia_by_editor is False
    choose("machine")
    assert (article.encyclopedia_by_editor, article.read_as_encyclopedia) == (None, True) and people.exists()
    # Only those who decide suggestions choose.
    client.force_login(django_user_model.objects.create_user("reader", is_staff=True))
    assert client.post(url, {"reading": "news"}).status_code == 403


def test_no_reading_is_offered_when_the_model_reads_every_article_as_news(
    editor_client, make_article, settings, tmp_path
):
    """A retrained model without a genre model (one kind of text) has no other reading: no button,
    and a choice posted anyway is refused, not stored."""
    from django.core.management import call_command

    from .test_ner import write_tiny_corpus

    settings.NER_TRAINED_DIR = tmp_path / "trained"
    call_command("train_ner", corpus=write_tiny_corpus(tmp_path / "tiny.txt"), iterations=10, verbosity=0)
    article = make_article()
    page = editor_client.get(reverse("admin:articles_article_annotate", args=[article.pk])).content.decode()
    assert 'id="annotate-reading"' not in page
    url = reverse("admin:articles_article_reading", args=[article.pk])
    page = editor_client.post(url, {"reading": "encyclopedia"}, follow=True).content.decode()
    assert "reads every article as news" in page
    article.refresh_from_db()
    assert article.encyclopedia_by_editor is None


def test_the_workspace_says_when_names_were_read_as_an_encyclopedia_names_them(editor_client, make_article):
    """An article recognition read as an encyclopedia was recognised with other conventions (a
    people may be a person): its workspace says so, in the editor's language; news says nothing.
    The judgement is recognition's own, kept on the article; an article recognised before it was
    kept is judged when its workspace opens."""
    from django.core.management import call_command

    from articles.entities.recognition import article_recognize, shipped_model

    from .conftest import ENCYCLOPEDIA_PARAGRAPHS, SEED

    call_command("load_gazetteer", verbosity=0)
    encyclopedia = make_article(paragraphs=ENCYCLOPEDIA_PARAGRAPHS)
    news = make_article(paragraphs=[p for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()])
    url = reverse("admin:articles_article_annotate", args=[encyclopedia.pk])
    assert encyclopedia.read_as_encyclopedia is None
    assert "read as an encyclopedia article names them" in editor_client.get(url).content.decode()
    encyclopedia.refresh_from_db()
    assert encyclopedia.read_as_encyclopedia is True  # judged once, kept
    article_recognize(article=news, shipped=shipped_model())
    news.refresh_from_db()
    assert news.read_as_encyclopedia is False
    arabic = editor_client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "على طريقة المقالات الموسوعية" in arabic
    page = editor_client.get(reverse("admin:articles_article_annotate", args=[news.pk])).content.decode()
    assert 'id="annotate-read-as"' not in page
