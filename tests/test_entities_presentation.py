"""What readers see of an entity's name: English when known, else a romanisation they can read."""

import pytest

from arabic.romanize import romanize, transliterate
from articles.entities.presentation import mention_span
from articles.models import Entity, EntityType, Mention


@pytest.mark.parametrize(
    ("arabic", "roman"),
    [
        ("إسطنبول", "Istanbul"),
        ("قطاع غزة", "Qata' Ghaza"),
        ("خليل الحية", "Khalil al-Haya"),
        ("حماس", "Hamas"),
        ("هاكان فيدان", "Hakan Fidan"),
        ("مُحَمَّد", "Muhammad"),  # harakat and shadda, when written, are followed
        ("عمّان", "Amman"),  # an opening ʿayn is not written, as English writes names
        ("إبراهيم قالن", "Ibrahim Qalin"),  # no word ends in two consonants
        ("رجب", "Rajab"),
    ],
)
def test_romanisation_reads_like_names_in_english_text(arabic, roman):
    assert romanize(arabic) == roman


def test_the_api_keeps_the_scholarly_transliteration():
    assert transliterate("إسطنبول") == "ĂsTnbwl"


@pytest.mark.django_db
def test_tooltip_names_in_english_when_known_else_romanised():
    istanbul = Entity.objects.create(name_ar="إسطنبول", name_en="Istanbul", type=EntityType.LOC)
    known = Mention(text="إسطنبول", label="LOC", start=0, end=7, source="gazetteer", entity=istanbul)
    unknown = Mention(text="خليل الحية", label="PERS", start=0, end=10, source="model")
    assert mention_span(known).attrs["data-name-en"] == "Istanbul"
    assert not mention_span(known).attrs["data-translit"]
    assert mention_span(unknown).attrs["data-translit"] == "Khalil al-Haya"
