"""Folding Arabic spellings, and what a word is.

Normalisation is for comparison (search, gazetteer matching, re-anchoring)
only: the text a reader sees is always the original, and every folded
character keeps its offset in it.
"""

import re
import unicodedata
from functools import lru_cache

TATWEEL = "\u0640"
# The harakat, tanween, shadda, sukun and the dagger alef: camel-tools' AR_DIAC_CHARSET
# (tests/test_arabic.py checks they agree), written out because importing camel-tools'
# charsets costs 0.6 s of every process's start.
SHADDA = "\u0651"
# Tanween marks an indefinite common noun or adjective (سورياً "a Syrian"): a proper name does not take it.
TANWEEN = re.compile("[\u064b-\u064d]")
DIACRITICS = frozenset("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670")
# A word: letters and digits, with the harakat and tatweel inside Arabic words.
WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+")
# A letter of the Arabic alphabet proper (not a digit, mark or punctuation).
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")

# The same folding as camel-tools' dediac_ar, normalize_alef_ar,
# normalize_alef_maksura_ar and normalize_teh_marbuta_ar, done character by
# character so that every folded character keeps its offset in the original.
_DROPPED = DIACRITICS | {TATWEEL}
_FOLDED = str.maketrans({"\u0625": "ا", "\u0623": "ا", "\u0671": "ا", "\u0622": "ا", "ى": "ي", "ة": "ه"})
# Arabic-Indic and Eastern Arabic-Indic digits, read as ASCII digits.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def normalize(text: str) -> str:
    """Fold the spellings Arabic writers use interchangeably.

    Removes diacritics and tatweel, unifies alef forms (أ إ آ ٱ → ا),
    alef maqsura with ya (ى → ي) and ta marbuta with ha (ة → ه). For
    comparison only, never for display.
    """
    return "".join(char for char in text if char not in _DROPPED).translate(_FOLDED)


@lru_cache(maxsize=100_000)
def normalize_word(word: str) -> str:
    """`normalize` of one word, remembered: news repeats its words, and recognition folds each
    of them several times."""
    return normalize(word)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """`normalize(text)` and, for each of its characters, its index in `text`."""
    kept = [index for index, char in enumerate(text) if char not in _DROPPED]
    return "".join(text[index] for index in kept).translate(_FOLDED), kept


def _latin_base(char: str) -> str:
    """The letter without its accents (ğ → g, É → E), when that is one letter."""
    base = "".join(part for part in unicodedata.normalize("NFD", char) if not unicodedata.combining(part))
    return base if len(base) == 1 else char


# Latin letters with accents, folded one to one (so offsets hold): English
# translations and entity names write `Erdoğan`, readers type `Erdogan`.
# PostgreSQL's 'simple' search configuration does not unaccent; SQLite's FTS5
# does, but the highlighter needs the same folding in Python.
LATIN_FOLDS = {
    **{code: _latin_base(chr(code)) for code in range(0xC0, 0x250) if _latin_base(chr(code)) != chr(code)},
    **{
        ord(char): base
        for char, base in {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "s"}.items()
    },
}
_LATIN = str.maketrans(LATIN_FOLDS)


def fold_latin(text: str) -> str:
    """`text` with accented Latin letters as their base letters, one character for one."""
    return text.translate(_LATIN)
