"""Full-text search (articles/search.py): folding, proclitics, what is indexed,
ranking, highlighting, hostile queries, and the index following edits."""

import datetime

import pytest
from django.urls import reverse

from articles.search import MAX_QUERY_WORDS, search_highlight, search_terms
from articles.translation.services import segment_review

pytestmark = pytest.mark.django_db


def found(client, query, **params):
    response = client.get(reverse("articles:list"), {"q": query, **params})
    assert response.status_code == 200
    return [article.title for article in response.context["articles"]]


def test_folding_and_proclitics_do_not_block_a_match(client, make_article):
    make_article(title="خبر الرئاسة", paragraphs=["وقال والرئيسُ المصريّ إنّ الـقاهرة ستستضيف مصطفى."])
    make_article(title="خبر آخر", paragraphs=["لا شيء هنا عن ذلك."])
    for query in ["الرئيس", "رئيس", "بالرئيس", "الرَّئيس", "المصري", "القاهره", "قاهرة", "مصطفي", "إن"]:
        assert found(client, query) == ["خبر الرئاسة"], query
    assert found(client, "الرئيس السوداني") == []


def test_captions_related_stories_and_the_english_translation_are_searched(client, make_article):
    article = make_article(
        title="عنوان",
        paragraphs=["فقرة قصيرة."],
        lead_caption="صورة من طرابلس",
        related=[{"title": "قمة في الدوحة", "caption": "مؤتمر صحفي في عمّان"}],
    )
    make_article(title="غيره", paragraphs=["نص."])
    for query in ["طرابلس", "الدوحة", "عمان"]:
        assert found(client, query) == ["عنوان"], query
    assert found(client, "ceasefire") == []
    paragraph_translation = article.translations.get(kind="paragraph")
    segment_review(segment=paragraph_translation, text="The ceasefire talks resumed.", user=None)
    assert found(client, "ceasefire") == ["عنوان"]
    assert found(client, "Talks") == ["عنوان"]


def test_ranked_by_relevance_then_newest(client, make_article):
    day = datetime.date(2025, 11, 1)
    make_article(title="مرة", paragraphs=["ذكرت غزة مرة واحدة في نص طويل " + "كلام " * 40], published=day)
    make_article(title="كثيرا", paragraphs=["غزة غزة وغزة. أخبار غزة."], published=day)
    make_article(title="قديم", paragraphs=["غزة اليوم."], published=day - datetime.timedelta(days=3))
    make_article(title="جديد", paragraphs=["غزة اليوم."], published=day + datetime.timedelta(days=3))
    titles = found(client, "غزة")
    assert titles.index("كثيرا") < titles.index("مرة")
    assert titles.index("جديد") < titles.index("قديم")


def test_results_highlight_the_matched_words_safely(client, make_article):
    make_article(title="<b>الرئيس</b> في الخرطوم", paragraphs=["وصل والرئيسُ إلى <script>الخرطوم</script>."])
    page = client.get(reverse("articles:list"), {"q": "الرئيس"}).content.decode()
    assert "&lt;b&gt;<mark>الرئيس</mark>&lt;/b&gt; في الخرطوم" in page
    assert "وصل <mark>والرئيسُ</mark> إلى &lt;script&gt;الخرطوم&lt;/script&gt;." in page
    assert "<script>" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_highlight_marks_whole_words_only():
    terms = search_terms("مصر")
    assert str(search_highlight("مصر ومصر مصرف", terms)) == "<mark>مصر</mark> <mark>ومصر</mark> مصرف"


def test_highlight_marks_every_spelling_of_the_word_with_its_harakat():
    terms = search_terms("القاهره الى")
    marked = str(search_highlight("وصل إلى القاهرةِ وبالقـاهرة ثم القاهري", terms))
    assert marked == "وصل <mark>إلى</mark> <mark>القاهرةِ</mark> <mark>وبالقـاهرة</mark> ثم القاهري"


HOSTILE = [
    " ".join(f"كلمة{n}" for n in range(1000)),
    "الرئيس\x00",
    "\x00",
    '"',
    '" OR 1=1 --',
    "NEAR(غزة الرئيس, 2)",
    "search_text: غزة*",
    "^غزة AND NOT OR (",
    "'; DROP TABLE articles_article; --",
    "%",
    "a" * 5000,
    "\u202e\u200fغزة\u200e",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_get_an_answer(client, admin_client, make_article, query):
    make_article(title="غزة", paragraphs=["غزة اليوم."])
    assert client.get(reverse("articles:list"), {"q": query}).status_code == 200
    assert client.get(reverse("articles:api-list"), {"q": query}).status_code == 200
    assert admin_client.get(reverse("admin:articles_article_changelist"), {"q": query}).status_code == 200


def test_a_query_is_bounded_and_cleaned():
    terms = search_terms("\x00غزة\x07 " + " ".join(f"w{n}" for n in range(1000)))
    assert terms.text.startswith("غزة w0 w1")
    assert len(terms.words) == MAX_QUERY_WORDS
    assert "\x00" not in terms.text and len(terms.text) <= 200


def test_control_characters_do_not_hide_the_match(client, make_article):
    make_article(title="غزة", paragraphs=["غزة اليوم."])
    assert found(client, "غزة\x00") == ["غزة"]
    assert found(client, "\u200fغزة") == ["غزة"]


def test_the_index_follows_an_admin_edit_and_a_reimport(client, admin_client, seed_article, tmp_seed_copy):
    from articles.importing import file_import
    from tests.test_admin import article_change_data

    data = article_change_data(admin_client, seed_article)
    data["paragraphs-0-text"] = "نص جديد عن مدينة بنغازي."
    assert admin_client.post(reverse("admin:articles_article_change", args=[seed_article.pk]), data).status_code == 302
    assert found(client, "بنغازي") == [seed_article.title]

    # A re-import replaces the edit (the editor allowed it): the index follows the file.
    tmp_seed_copy.write_text(tmp_seed_copy.read_text().replace("حماس", "مصراتة"), encoding="utf-8")
    assert not file_import(path=tmp_seed_copy, overwrite_edits=True).failed
    seed_article.refresh_from_db()
    assert "مصراتة" in seed_article.title
    assert found(client, "مصراتة") == [seed_article.title]
    assert found(client, "بنغازي") == []


def test_drafts_are_not_found_by_readers(client, admin_client, make_article):
    make_article(title="مسودة", paragraphs=["سر عن غزة."], status="draft")
    assert found(client, "غزة") == []
    result = admin_client.get(reverse("admin:articles_article_changelist"), {"q": "غزة"}).context["cl"].result_list
    assert [article.title for article in result] == ["مسودة"]


@pytest.mark.parametrize("model", ["entity", "mention", "translation", "annotation"])
@pytest.mark.parametrize("query", [HOSTILE[0], "غزة\x00", '"'])
def test_every_admin_search_box_answers_hostile_queries(admin_client, seed_article, model, query):
    url = reverse(f"admin:articles_{model}_changelist")
    assert admin_client.get(url, {"q": query}).status_code == 200


def test_search_results_are_counted_and_paginated(client, make_article, settings):
    settings.ARTICLES_PER_PAGE = 3
    for number in range(7):
        make_article(title=f"غزة {number}", paragraphs=["وفي غزة اليوم."])
    make_article(title="غيره", paragraphs=["نص."])
    make_article(title="مسودة غزة", paragraphs=["غزة."], status="draft")
    data = client.get(reverse("articles:api-list"), {"q": "غزة"}).json()
    assert data["count"] == 7 and len(data["results"]) == 7
    page = client.get(reverse("articles:list"), {"q": "بغزة", "page": 3})
    assert page.context["paginator"].count == 7 and len(page.context["articles"]) == 1
    assert "Page 3 of 3" in page.content.decode()


def test_pages_of_results_follow_the_rank_without_gaps_or_repeats(client, make_article, settings):
    settings.ARTICLES_PER_PAGE = 4
    day = datetime.date(2025, 11, 1)
    for number in range(10):
        # More mentions, more relevant; the same number of mentions, newer first.
        make_article(
            title=f"مقال {number}",
            paragraphs=[" ".join(["غزة"] * (number % 3 + 1)) + " " + "كلام " * 20],
            published=day + datetime.timedelta(days=number),
        )
    every = found(client, "غزة", page=1) + found(client, "غزة", page=2) + found(client, "غزة", page=3)
    assert sorted(every) == sorted(f"مقال {number}" for number in range(10))
    expected = sorted(range(10), key=lambda number: (-(number % 3), -number))
    assert every == [f"مقال {number}" for number in expected]


def test_a_search_costs_the_same_queries_whatever_the_number_of_matches(client, make_article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(**params):
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("articles:list"), {"q": "غزة", **params}).status_code == 200
        return len(context.captured_queries)

    make_article(title="غزة", paragraphs=["غزة اليوم."])
    few = queries()
    for number in range(45):
        make_article(title=f"خبر {number}", paragraphs=[f"في غزة اليوم {number}."])
    assert queries() == few and queries(page=2) == few


def test_every_result_can_be_read_in_rank_order(make_article):
    from articles.selectors import articles_for_listing

    for number in range(130):
        make_article(title=f"خبر {number}", paragraphs=[f"في غزة {number}."], published=datetime.date(2025, 1, 1))
    results = articles_for_listing(query="غزة")
    titles = [article.title for article in results]
    assert len(titles) == results.count() == 130 and len(set(titles)) == 130
    assert titles[:20] == [article.title for article in results[0:20]]


# --- English: translations and the English names of the entities shown -------------------


def _mention(article, entity, word, *, position=1, **fields):
    from articles.models import Mention

    paragraph = article.paragraphs.get(position=position)
    start = paragraph.text.index(word)
    return Mention.objects.create(
        article=article,
        paragraph=paragraph,
        start=start,
        end=start + len(word),
        text=word,
        label=entity.type,
        source=fields.pop("source", "gazetteer"),
        entity=entity,
        **fields,
    )


def _reindex(article):
    from articles.search import article_search_refresh

    article.refresh_from_db()
    article_search_refresh(article=article)


def test_an_english_name_finds_the_article_that_mentions_the_entity_in_arabic(client, make_article):
    from articles.models import Entity

    erdogan = Entity.objects.create(
        name_ar="رجب طيب أردوغان", name_en="Recep Tayyip Erdoğan", aliases_en=["Erdogan"], type="PERS"
    )
    article = make_article(title="لقاء", paragraphs=["شكر الوفد الرئيس أردوغان على دوره."])
    make_article(title="غيره", paragraphs=["نص آخر."])
    assert found(client, "Erdogan") == []  # made before the entity: nothing links it yet
    _mention(article, erdogan, "أردوغان")
    _reindex(article)
    for query in ["Erdogan", "erdoğan", "ERDOGAN", "Tayyip Erdogan", "Erdog\u0306an"]:
        assert found(client, query) == ["لقاء"], query
    assert found(client, "Erdogan Istanbul") == []  # every word must match, as in Arabic


def test_the_index_follows_recognition_an_editors_rejection_and_a_renamed_entity(
    client, make_article, editor, django_capture_on_commit_callbacks
):
    from articles.entities.recognition import article_recognize
    from articles.entities.services import entity_names_changed, mention_reject
    from articles.models import Entity

    gaza = Entity.objects.create(name_ar="غزة", name_en="Gaza", aliases_en=["Gaza Strip"], type="LOC")
    article = make_article(title="مساعدات", paragraphs=["وصلت المساعدات إلى غزة اليوم."])
    with django_capture_on_commit_callbacks(execute=True):
        article_recognize(article=article)
    assert found(client, "Gaza") == ["مساعدات"]
    assert found(client, "strip") == ["مساعدات"]

    gaza.aliases_en = ["Ghazzah"]
    gaza.save()
    with django_capture_on_commit_callbacks(execute=True):
        entity_names_changed(entity=gaza)
    assert found(client, "Ghazzah") == ["مساعدات"] and found(client, "strip") == []

    with django_capture_on_commit_callbacks(execute=True):
        mention_reject(mention=article.mentions.get(entity=gaza), user=editor)
    assert found(client, "Gaza") == []


def test_an_entity_renamed_in_the_admin_is_found_by_its_new_name(
    admin_client, client, make_article, django_capture_on_commit_callbacks
):
    from articles.models import Entity

    place = Entity.objects.create(name_ar="نيامي", name_en="Niamey", type="LOC")
    article = make_article(title="زيارة", paragraphs=["زار الوفد نيامي أمس."])
    _mention(article, place, "نيامي")
    _reindex(article)
    url = reverse("admin:articles_entity_change", args=[place.pk])
    form = {"name_ar": "نيامي", "name_en": "Niamey City", "aliases": "[]", "aliases_en": '["Niameh"]', "type": "LOC"}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert found(client, "Niameh") == ["زيارة"] and found(client, "city") == ["زيارة"]


def test_editors_only_entities_do_not_make_an_article_findable(client, make_article):
    from articles.models import Annotation, Entity

    secret = Entity.objects.create(name_ar="مصدر", name_en="Informant", type="PERS")
    article = make_article(title="تقرير", paragraphs=["قال مصدر مطلع إن الوفد وصل."])
    mention = _mention(article, secret, "مصدر", source="editor", status="confirmed")
    Annotation.objects.create(
        article=article,
        paragraph=mention.paragraph,
        start=mention.start,
        end=mention.end,
        exact="مصدر",
        kind="entity",
        label="PERS",
        mention=mention,
        visibility="editors",
    )
    _reindex(article)
    assert found(client, "Informant") == []


def test_latin_accents_fold_in_the_document_and_the_query():
    from articles.search import search_document

    document = search_document(arabic=["نص"], english=["President Erdoğan visited İzmir."], names=["Türkiye"])
    assert "erdogan" in document and "izmir." in document and "turkiye" in document
    assert search_terms("Erdoğan Türkiye").forms == {"erdogan", "turkiye"}
    assert str(search_highlight("Erdoğan met him", search_terms("erdogan"))) == "<mark>Erdoğan</mark> met him"


# --- What a result shows: a passage around the best match, the count, the English headline ----------


def cards_html(client, query, **headers):
    response = client.get(reverse("articles:list"), {"q": query}, **headers)
    page = response.content.decode()
    return response, page[page.index("<main") : page.index("</main>")]


def test_a_match_deep_in_an_article_is_shown_in_a_short_passage_around_it(client, make_article):
    filler = " ".join(f"كلمة{n}" for n in range(60))
    make_article(
        title="تقرير طويل",
        paragraphs=[filler, filler + " وأكد الوزير أن القوة الدولية في غزة تحتاج قرارا. " + filler],
    )
    response, html = cards_html(client, "القوة الدولية")
    passage = html.split('<p class="card-lead card-passage" lang="ar" dir="rtl">', 1)[1].split("</p>", 1)[0]
    assert "<mark>القوة</mark> <mark>الدولية</mark> في غزة" in passage
    assert passage.startswith("… ") and passage.endswith(" …")
    assert len(passage.split()) < 40  # about 25 words, not the paragraph
    assert "1 article matches." in html


def test_an_english_query_shows_the_translation_that_matched_left_to_right(client, make_article):
    article = make_article(title="محادثات", paragraphs=["نص أول.", "استؤنفت محادثات وقف إطلاق النار."])
    segment_review(
        segment=article.translations.get(paragraph__position=2), text="The ceasefire talks resumed.", user=None
    )
    _, html = cards_html(client, "ceasefire talk")
    assert '<p class="card-lead card-passage" lang="en" dir="ltr">The <mark>ceasefire</mark> <mark>talks</mark>' in html


def test_an_entitys_english_name_marks_its_arabic_mention_whole_word(client, make_article):
    from articles.models import Entity

    istanbul = Entity.objects.create(name_ar="إسطنبول", name_en="Istanbul", type="LOC")
    article = make_article(title="لقاء", paragraphs=["مقدمة.", "التقى الوفد بالوزير أمس بإسطنبول بعد الظهر."])
    _mention(article, istanbul, "إسطنبول", position=2)
    _reindex(article)
    _, html = cards_html(client, "istanbul")
    assert "أمس <mark>بإسطنبول</mark> بعد" in html  # the whole word: its letters stay joined


def test_english_readers_get_the_headline_translation_marked_as_a_machines(client, make_article):
    article = make_article(title="عنوان عربي", paragraphs=["نص."])
    title = article.translations.get(kind="title")
    title.text, title.provider, title.text_source_hash = "An Arabic headline", "libre", title.source_hash
    title.save()
    _reindex(article)
    home = client.get(reverse("articles:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span class="headline-text">An Arabic headline</span> <span class="translation-label">' in home
    assert "Machine translation" in home
    arabic = client.get(reverse("articles:list"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "An Arabic headline" not in arabic
    _, found_page = cards_html(client, "headline", HTTP_ACCEPT_LANGUAGE="en")
    assert '<span class="headline-text">An Arabic <mark>headline</mark></span>' in found_page
