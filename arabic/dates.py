"""Dates as Arabic news sites write them.

Dates are read and written with the month names that CLDR (through Babel)
gives for Arabic, in their Egyptian/Gulf, Levantine and Maghrebi forms,
because Arabic news sites use all three.
"""

import datetime
import re
from functools import lru_cache

from babel.dates import format_date, get_month_names

from .text import DIGITS, normalize

_SPACES = re.compile(r"\s+")

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
    match = _date_pattern().match(normalize(text.translate(DIGITS)))
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
