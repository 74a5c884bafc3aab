"""How mentions look on the page: the attributes of their highlight, and the
English names found again in a translation."""

import re
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import EntityType, Mention
from ..rendering import Span


@lru_cache(maxsize=1)
def _transliterator():
    from camel_tools.utils.charmap import CharMapper

    return CharMapper.builtin_mapper("ar2hsb")


def transliterate(text: str) -> str:
    """Habash-Soudi-Buckwalter transliteration (camel-tools' ar2hsb charmap): exact, for scholars and the API."""
    return _transliterator()(text)


def mention_span(mention: Mention) -> Span:
    """The highlight of a mention: a link to its entity's page when it has one."""
    entity = mention.entity
    attrs = {
        "class": f"entity ent-{mention.label}",
        "data-type": mention.label,
        "data-type-name": str(EntityType(mention.label).label),
        # The English name when the entity has one; else a romanisation a reader can say.
        "data-translit": "" if entity is not None and entity.name_en else romanize(mention.text),
        "data-source": mention.source,
    }
    if entity is not None:
        attrs["data-name-en"] = entity.name_en
        count = getattr(mention, "article_count", 0) or 0
        attrs["data-count"] = str(count or "")
        attrs["data-count-label"] = (
            ngettext("Mentioned in %(count)d article", "Mentioned in %(count)d articles", count) % {"count": count}
            if count
            else ""
        )
        attrs["data-entity"] = str(entity.pk)
        attrs["href"] = entity.get_absolute_url()
        attrs["title"] = " · ".join(filter(None, [attrs["data-type-name"], entity.name_en]))
        return Span(mention.start, mention.end, "a", attrs)
    attrs["tabindex"] = "0"
    attrs["title"] = attrs["data-type-name"]
    return Span(mention.start, mention.end, "mark", attrs)


def english_spans(translation: str, mentions: list[Mention]) -> list[Span]:
    """Where a mentioned entity's English name appears in the translation, mark it in the same colour."""
    names = {}
    for mention in mentions:
        if mention.entity is not None:
            for name in mention.entity.english_names:
                names.setdefault(name, mention)
    spans = []
    taken: list[tuple[int, int]] = []
    for name in sorted(names, key=len, reverse=True):
        mention = names[name]
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", translation, flags=re.IGNORECASE):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append((match.start(), match.end()))
            spans.append(
                Span(
                    match.start(),
                    match.end(),
                    "mark",
                    {
                        "class": f"entity-en ent-{mention.label}",
                        "data-entity": str(mention.entity.pk),
                        "title": _("Translates %(name)s") % {"name": mention.entity.name_ar},
                    },
                )
            )
    return spans


# --- Reader-friendly romanisation ----------------------------------------------
# Arabic writes no short vowels, so a letter-for-letter transliteration such as
# Habash-Soudi-Buckwalter (`ĂsTnbwl`) is exact but unreadable to most readers.
# This one is for reading, not for scholarship: simple English spellings for
# the consonants (kh, sh, gh, dh, th, ' for ʿayn and hamza), long vowels from
# ا و ي, harakat when the text has them, and an `a` where a word would
# otherwise begin with two consonants or run three together
# (إسطنبول → Istanbul, قطاع غزة → Qata' Ghaza, خليل الحية → Khalil al-Haya).

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
