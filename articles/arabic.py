"""Arabic text facts the whole project relies on.

Normalisation is for comparison (search, gazetteer matching) only: the text a
reader sees is always the original. Dates are read and written with the month
names that CLDR (through Babel) gives for Arabic, in their Egyptian/Gulf,
Levantine and Maghrebi forms, because Arabic news sites use all three.
"""

import datetime
import re
from functools import lru_cache

from babel.dates import format_date, get_month_names
from camel_tools.utils.charsets import AR_DIAC_CHARSET

TATWEEL = "\u0640"
# The same folding as camel-tools' dediac_ar, normalize_alef_ar,
# normalize_alef_maksura_ar and normalize_teh_marbuta_ar, done character by
# character so that every folded character keeps its offset in the original.
_DROPPED = frozenset(AR_DIAC_CHARSET) | {TATWEEL}
_FOLDED = str.maketrans({"\u0625": "ا", "\u0623": "ا", "\u0671": "ا", "\u0622": "ا", "ى": "ي", "ة": "ه"})
# Arabic-Indic and Eastern Arabic-Indic digits, read as ASCII digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Fold the spellings Arabic writers use interchangeably.

    Removes diacritics and tatweel, unifies alef forms (أ إ آ ٱ → ا),
    alef maqsura with ya (ى → ي) and ta marbuta with ha (ة → ه). For
    comparison only, never for display.
    """
    return "".join(char for char in text if char not in _DROPPED).translate(_FOLDED)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """`normalize(text)` and, for each of its characters, its index in `text`."""
    kept = [index for index, char in enumerate(text) if char not in _DROPPED]
    return "".join(text[index] for index in kept).translate(_FOLDED), kept


# Locales whose Gregorian month names differ: يناير (ar), كانون الثاني (ar_SY),
# جانفي (ar_DZ), يناير/نونبر (ar_MA).
_MONTH_LOCALES = ("ar", "ar_SY", "ar_DZ", "ar_MA")


@lru_cache(maxsize=1)
def _month_numbers() -> dict[str, int]:
    months: dict[str, int] = {}
    for locale in _MONTH_LOCALES:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                months.setdefault(normalize(name), number)
    return months


@lru_cache(maxsize=1)
def _date_pattern() -> re.Pattern:
    names = sorted(_month_numbers(), key=len, reverse=True)
    month = "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in names)
    return re.compile(rf"^\s*(\d{{1,2}})\s+({month})\s*،?\s*(\d{{4}})\s*$")


def parse_arabic_date(text: str) -> datetime.date | None:
    """Read a date written like `05 نوفمبر 2025` or `٥ تشرين الثاني ٢٠٢٥`.

    Returns None when the text is not such a date.
    """
    match = _date_pattern().match(normalize(text.translate(_DIGITS)))
    if not match:
        return None
    day, month_name, year = match.groups()
    month = _month_numbers()[_SPACES.sub(" ", month_name)]
    try:
        return datetime.date(int(year), month, int(day))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def format_arabic_date(value: datetime.date) -> str:
    """The date as an Arabic reader writes it: `5 نوفمبر 2025` (a list shows many of the same dates)."""
    return format_date(value, "d MMMM y", locale="ar")
