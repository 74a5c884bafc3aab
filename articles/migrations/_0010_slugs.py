"""The slug rules migration 0010 applies, frozen as they were when it was written
(articles/importing/slugs.py, importing/language.py and the romanisation in
entities/presentation.py at commit b308f9d). Migrations carry their own code:
the app's modules may change, an applied migration must not.

Django's migration loader skips modules whose name starts with `_`.
"""

import re
import unicodedata
from urllib.parse import unquote, urlsplit

from django.utils.text import slugify

SLUG_WORDS = 8
SLUG_MAX = 80


def slug_words(text: str) -> str:
    """ASCII words of `text` (Arabic romanised), at most SLUG_WORDS of them."""
    text = text.replace("-", " ").replace("_", " ")
    if arabic_share(text) >= 0.5:
        text = romanize(text)
    words = slugify(text).split("-")
    slug = "-".join(word for word in words if word)[:SLUG_MAX].strip("-")
    return "-".join(slug.split("-")[:SLUG_WORDS])


def url_words(source: str) -> str:
    parts = urlsplit(source)
    if parts.scheme not in ("http", "https"):
        return ""
    segments = [unquote(segment) for segment in parts.path.split("/") if segment]
    # The last segment that says something in words (not a bare number or an index page).
    for segment in reversed(segments):
        stem = segment.rsplit(".", 1)[0] if "." in segment else segment
        if any(char.isalpha() for char in stem) and stem.lower() not in ("index", "amp", "article"):
            return stem
    return ""


_ARABIC_BLOCKS = (
    (0x0600, 0x06FF),  # Arabic
    (0x0750, 0x077F),  # Arabic Supplement
    (0x0870, 0x08FF),  # Arabic Extended-B and -A
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B
)


def _is_arabic(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _ARABIC_BLOCKS)


def arabic_share(text: str) -> float:
    """The share of the letters of `text` that are Arabic script (0 when it has no letters)."""
    letters = [char for char in text if unicodedata.category(char).startswith("L")]
    if not letters:
        return 0.0
    return sum(_is_arabic(char) for char in letters) / len(letters)


# Reader-friendly romanisation (إسطنبول → Istanbul, قطاع غزة → Qata' Ghaza).
_CONSONANTS = {
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "ع": "'",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ء": "'",
    "ئ": "'",
    "ؤ": "'",
    "پ": "p",
    "چ": "ch",
    "ڤ": "v",
    "گ": "g",
}
_LONG_A = {"ا": "a", "ى": "a", "آ": "a", "ٱ": "a"}
_HARAKAT = {"\u064e": "a", "\u0650": "i", "\u064f": "u", "\u064b": "an", "\u064d": "in", "\u064c": "un"}
_SHADDA, _SUKUN, _TATWEEL = "\u0651", "\u0652", "\u0640"


def _romanize_word(word: str) -> str:
    prefix = ""
    if word.startswith("ال") and len(word) > 3:
        prefix, word = "al-", word[2:]
    letters = [char for char in word if char != _TATWEEL]
    tokens: list[list[str]] = []  # [kind, text]: "C" consonant, "V" vowel, "H" a written short vowel
    for index, char in enumerate(letters):
        before = tokens[-1][0] if tokens else None
        after = letters[index + 1] if index + 1 < len(letters) else ""
        if char in _HARAKAT:
            tokens.append(["H", _HARAKAT[char]])
        elif char == _SHADDA:
            # Doubles the consonant it sits on, whichever mark was typed first.
            last = next((i for i in range(len(tokens) - 1, -1, -1) if tokens[i][0] == "C"), None)
            if last is not None:
                tokens.insert(last + 1, ["C", tokens[last][1]])
        elif char == _SUKUN:
            continue
        elif char in ("أ", "إ"):
            tokens.append(["V", "i" if char == "إ" else "a"] if not tokens else ["C", "'"])
        elif char in _LONG_A or char == "ة":
            tokens.append(["V", "a"])
        elif char in ("و", "ي"):
            vowel, glide = ("u", "w") if char == "و" else ("i", "y")
            if tokens and before == "C" and (after in _LONG_A and char == "ي"):
                tokens += [["V", "i"], ["C", "y"]]
            elif tokens and before == "C" and after not in _LONG_A and after != "ة" and after not in _HARAKAT:
                tokens.append(["V", vowel])
            else:
                tokens.append(["C", glide])
        elif char in _CONSONANTS:
            tokens.append(["C", _CONSONANTS[char]])
        else:
            tokens.append(["V", char])
    if not any(kind == "H" for kind, _ in tokens):
        # No harakat: supply the short vowels a reader would expect.
        filled: list[list[str]] = []
        run = 0
        for kind, text in tokens:
            if kind == "C":
                if (run == 1 and len(filled) == 1) or run == 2:
                    filled.append(["V", "a"])
                    run = 0
                run += 1
            else:
                run = 0
            filled.append([kind, text])
        tokens = filled
    return prefix + "".join(text for _, text in tokens)


_ARABIC_WORD = re.compile(r"[\u0600-\u06ff\u0750-\u077f]+")


def romanize(text: str) -> str:
    """A reader-friendly romanisation of Arabic words, capitalised like a name (`Qata' Ghaza`)."""

    def word(match: re.Match) -> str:
        roman = _romanize_word(match.group())
        head, rest = ("al-", roman[3:]) if roman.startswith("al-") else ("", roman)
        first = next((i for i, char in enumerate(rest) if char.isalpha()), 0)
        return head + rest[:first] + rest[first : first + 1].upper() + rest[first + 1 :]

    return _ARABIC_WORD.sub(word, text)
