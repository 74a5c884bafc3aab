"""Anchoring: positions and quotes, and re-anchoring when the text changes."""

from arabic.anchoring import EXACT, FUZZY, FUZZY_MIN_SCORE, ORPHANED, QUOTE, quote_at, reanchor

NAME = "خليل الحية"
# --- Anchoring ------------------------------------------------------------------

TEXT = "التقى الوفد برئاسة خليل الحية في مدينة إسطنبول اليوم."


def anchored(text, start, end):
    return quote_at(TEXT, start, end), start, end


def test_same_position_when_the_text_is_still_there():
    start = TEXT.index(NAME)
    quote = quote_at(TEXT, start, start + len(NAME))
    result = reanchor(TEXT + " وأضاف.", quote=quote, start=start, end=start + len(NAME))
    assert (result.state, result.start) == (EXACT, start)


def test_text_inserted_before_the_span_moves_it():
    start = TEXT.index(NAME)
    quote = quote_at(TEXT, start, start + len(NAME))
    new = "قال مصدر: " + TEXT
    result = reanchor(new, quote=quote, start=start, end=start + len(NAME))
    assert result.state == QUOTE
    assert new[result.start : result.end] == NAME


def test_prefix_and_suffix_choose_among_occurrences():
    text = "غزة أولاً. ثم قطاع غزة ثانياً. ثم غزة ثالثاً."
    second = text.index("غزة", 5)
    quote = quote_at(text, second, second + 3)
    new = "مقدمة. " + text.replace("أولاً", "أولاً جداً")
    result = reanchor(new, quote=quote, start=second, end=second + 3)
    assert result.state == QUOTE
    assert new[result.start - 5 : result.start] == "قطاع "


def test_a_word_changed_by_one_letter_is_found_fuzzily():
    start = TEXT.index(NAME)
    quote = quote_at(TEXT, start, start + len(NAME))
    new = TEXT.replace("خليل الحية", "خليل الحيّا")
    result = reanchor(new, quote=quote, start=start, end=start + len(NAME))
    assert result.state == FUZZY and result.score >= FUZZY_MIN_SCORE
    assert new[result.start : result.end] == "خليل الحيّا"


def test_a_spelling_variant_is_found():
    start = TEXT.index("إسطنبول")
    quote = quote_at(TEXT, start, start + len("إسطنبول"))
    new = TEXT.replace("إسطنبول", "اسطنبول").replace("التقى", "التقى أمس")
    result = reanchor(new, quote=quote, start=start, end=start + 7)
    assert result.state == FUZZY and new[result.start : result.end] == "اسطنبول"


def test_removed_text_orphans_the_annotation():
    start = TEXT.index(NAME)
    quote = quote_at(TEXT, start, start + len(NAME))
    result = reanchor("نص مختلف تماماً عن الاجتماع.", quote=quote, start=start, end=start + len(NAME))
    assert result.state == ORPHANED and not result.found
