"""Finding an entity as an editor types (articles/entities/search.py, admin/entity_search.py):
Arabic folded, English, aliases, by type, each result with its type and article count; and the
Wikidata id an editor gives, checked and shown as a link."""

import pytest
from django.urls import reverse

from articles.entities.search import entity_matches
from articles.models import Entity


@pytest.fixture
def entities(db):
    return {
        "istanbul": Entity.objects.create(
            name_ar="إسطنبول", name_en="Istanbul", aliases=["اسطنبول", "الآستانة"], type="LOC", article_count=5
        ),
        "turkey": Entity.objects.create(
            name_ar="تركيا", name_en="Türkiye", aliases_en=["Turkey"], type="LOC", article_count=9
        ),
        "hamas": Entity.objects.create(name_ar="حماس", name_en="Hamas", type="ORG", article_count=7),
        "istanbul_club": Entity.objects.create(name_ar="نادي إسطنبول", name_en="Istanbul FC", type="ORG"),
    }


def names(query, entity_type=""):
    ids = [match.pk for match in entity_matches(query=query, entity_type=entity_type)]
    return [Entity.objects.get(pk=pk).name_en for pk in ids]


def test_arabic_is_folded_and_aliases_count(entities):
    assert names("اسطنبول") == ["Istanbul", "Istanbul FC"]  # exact (an alias) first, then contained
    assert names("الاستانة") == ["Istanbul"]  # hamza and madda folded
    assert names("إسطنبولِ") == ["Istanbul", "Istanbul FC"]  # harakat dropped


def test_english_without_case_or_accents_and_english_aliases(entities):
    assert names("istan") == ["Istanbul", "Istanbul FC"]
    assert names("turkiye") == ["Türkiye"]
    assert names("TURKEY") == ["Türkiye"]
    # Letters NFKD does not decompose: typed as an English keyboard types them.
    Entity.objects.create(name_ar="كمال كليتشدار أوغلو", name_en="Kemal Kılıçdaroğlu", type="PERS")
    Entity.objects.create(name_ar="ليخ فاونسا", name_en="Lech Wałęsa", type="PERS")
    assert names("kilicdaroglu") == ["Kemal Kılıçdaroğlu"]
    assert names("Walesa") == ["Lech Wałęsa"]


def test_type_filter(entities):
    assert names("istan", "ORG") == ["Istanbul FC"]
    assert names("istan", "nonsense") == ["Istanbul", "Istanbul FC"]


def test_the_admin_autocomplete_searches_by_type_and_says_type_and_count(admin_client, entities):
    url = reverse("admin:autocomplete")
    params = {"app_label": "articles", "model_name": "mention", "field_name": "entity", "term": "istan"}
    results = admin_client.get(url, params).json()["results"]
    assert [r["name_en"] for r in results] == ["Istanbul", "Istanbul FC"]
    assert results[0]["text"] == "إسطنبول · Istanbul — Place · 5 articles"
    assert (results[0]["type"], results[0]["articles"]) == ("LOC", 5)
    only_places = admin_client.get(url, {**params, "entity_type": "LOC"}).json()["results"]
    assert [r["name_en"] for r in only_places] == ["Istanbul"]


def test_the_entity_list_searches_the_same_way(admin_client, entities):
    result = admin_client.get(reverse("admin:articles_entity_changelist"), {"q": "turkey"}).context["cl"].result_list
    assert [e.name_ar for e in result] == ["تركيا"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Q406", "Q406"), (" q406 ", "Q406"), ("https://www.wikidata.org/wiki/Q406", "Q406"), ("", "")],
)
def test_an_editor_enters_a_wikidata_id(admin_client, entities, typed, stored):
    entity = entities["istanbul"]
    url = reverse("admin:articles_entity_change", args=[entity.pk])
    data = {"name_ar": entity.name_ar, "name_en": entity.name_en, "aliases": "[]", "aliases_en": "[]", "type": "LOC"}
    response = admin_client.post(url, {**data, "description": "", "wikidata_id": typed})
    assert response.status_code == 302
    entity.refresh_from_db()
    assert entity.wikidata_id == stored


@pytest.mark.parametrize("typed", ["406", "P31", "Q0", "Q12x", "https://example.org/wiki/Q406"])
def test_what_is_not_a_wikidata_id_is_refused(admin_client, entities, typed):
    entity = entities["istanbul"]
    url = reverse("admin:articles_entity_change", args=[entity.pk])
    data = {"name_ar": entity.name_ar, "name_en": "Istanbul", "aliases": "[]", "aliases_en": "[]", "type": "LOC"}
    response = admin_client.post(url, {**data, "description": "", "wikidata_id": typed})
    assert response.status_code == 200
    assert "A Wikidata id is Q followed by digits" in response.content.decode()


def test_the_wikidata_id_is_a_link_in_the_admin_list_and_on_the_entity_page(admin_client, client, entities):
    Entity.objects.filter(pk=entities["istanbul"].pk).update(wikidata_id="Q406")
    listing = admin_client.get(reverse("admin:articles_entity_changelist")).content.decode()
    assert 'href="https://www.wikidata.org/wiki/Q406"' in listing
    page = client.get(entities["istanbul"].get_absolute_url()).content.decode()
    assert 'href="https://www.wikidata.org/wiki/Q406"' in page
