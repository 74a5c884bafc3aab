"""English names of people, cities and clubs, looked up by their Arabic spelling.

The names list is arwikicats' (MIT; maps drawn from Wikipedia's category
translations): about 3,100 people (`recep tayyip erdoğan` → `رجب طيب
أردوغان`), 10,500 cities and places, 2,100 clubs and leagues. Its English
keys are lower case; `english_name` gives them back as a name is written
(`Recep Tayyip Erdoğan`, `Louis VIII of France`, `Bashar al-Assad`).

It serves linking, never recognition: a name the model found gets the usual
English spelling when the list knows it, and `given_names` gives the common
spelling of a first name that several listed people share (`محمد` →
`Mohammed` only if the list agrees on it), for the romanisation of a name it
does not know. A person's full spelling is used only for that person:
`رجب` is `Recep` in Erdoğan's name, not in every Rajab's.
"""

import json
import re
from collections import Counter
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from ..romanize import NAME_WORDS
from ..text import SHADDA, TANWEEN, normalize

# The parts of arwikicats' data read here, by the type of what they name.
_FILES = {"PERS": ("people/peoples.json",), "LOC": ("cities/cities_full.json",), "ORG": ("sports/Clubs_key.json",)}
# Words written in lower case inside an English name (but first).
_LOWER = frozenset(
    [
        "of",
        "the",
        "and",
        "de",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "das",
        "du",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "al",
        "el",
        "bin",
        "ibn",
        "bint",
        "y",
        "zu",
    ]
)
_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_DISAMBIGUATION = re.compile(r"\s*\([^)]*\)\s*$")


def english_name(key: str) -> str:
    """An arwikicats key (lower case) written as a name: capitals, roman numerals, particles."""
    key = _DISAMBIGUATION.sub("", key).strip()
    words = []
    for number, word in enumerate(key.split()):
        if _ROMAN.match(word.strip(",.")) and number:
            words.append(word.upper())
        elif word in _LOWER and number:
            words.append(word)
        else:
            # al-assad → al-Assad, o'neill → O'Neill, jean-paul → Jean-Paul
            parts = re.split(r"([-'’])", word)
            written = []
            for part in parts:
                if written and written[-1] == "-" and len(written) == 2 and written[0] in ("al", "el"):
                    written.append(part[:1].upper() + part[1:])
                elif part in ("al", "el") and not written and len(parts) > 1:
                    written.append(part if number else part.capitalize())
                else:
                    written.append(part[:1].upper() + part[1:])
            words.append("".join(written))
    return " ".join(words)


def _folded(name: str) -> str:
    return " ".join(normalize(name).split())


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict[str, tuple[str, str]]]:
    """Folded Arabic name → (Arabic name, English key in lower case), by type; a spelling two
    entries claim is left out."""
    # Found without importing the package: its import loads and prints far more than these maps.
    spec = find_spec("ArWikiCats")
    if spec is None or not spec.submodule_search_locations:
        return {kind: {} for kind in _FILES}
    data = Path(list(spec.submodule_search_locations)[0]) / "jsons"
    tables: dict[str, dict[str, str]] = {}
    for kind, files in _FILES.items():
        claims: dict[str, dict[str, str]] = {}
        for file in files:
            for english, arabic in json.loads((data / file).read_text(encoding="utf-8")).items():
                if not isinstance(arabic, str) or not arabic.strip():
                    continue
                claims.setdefault(_folded(arabic), {})[_DISAMBIGUATION.sub("", english).strip()] = arabic.strip()
        tables[kind] = {
            folded: (arabic, english)
            for folded, names in sorted(claims.items())
            if len(names) == 1
            for english, arabic in names.items()
        }
    return tables


def lookup(name_ar: str, kind: str) -> str:
    """The English name the list gives the Arabic `name_ar` of type `kind`, or ''."""
    found = _tables().get(kind, {}).get(_folded(name_ar))
    return english_name(found[1]) if found else ""


def arabic_spelling(folded: str, kind: str) -> str:
    """The listed Arabic spelling of a folded name, or ''."""
    found = _tables().get(kind, {}).get(folded)
    return found[0] if found else ""


def surname_owners(surname: str) -> list[str]:
    """The folded full names of the listed people whose last word is `surname` (folded)."""
    return _surnames().get(normalize(surname), [])


@lru_cache(maxsize=1)
def _surnames() -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for name in _tables()["PERS"]:
        words = name.split()
        if len(words) > 1:
            owners.setdefault(words[-1], []).append(name)
    return owners


# The Latin letters an Arabic name's first letter is written with: a check that two aligned
# words are the same name (`pope innocent` is not `اينوسنت البابا` word for word).
_INITIALS = {
    **dict.fromkeys("اع", "aeiouy"),
    "ب": "bp",
    **dict.fromkeys("تثط", "t"),
    "ج": "jgd",
    **dict.fromkeys("حه", "h"),
    "خ": "kh",
    **dict.fromkeys("دض", "d"),
    "ذ": "dz",
    "ر": "r",
    **dict.fromkeys("زظ", "z"),
    **dict.fromkeys("سشص", "sc"),
    "غ": "g",
    "ف": "fvp",
    **dict.fromkeys("قك", "kqcg"),
    "ل": "l",
    "م": "m",
    "ن": "n",
    "و": "wvou",
    "ي": "yjie",
}


@lru_cache(maxsize=1)
def given_names() -> dict[str, str]:
    """Folded Arabic word → the English spelling of it that at least two listed people share and
    that no other spelling rivals (at least two thirds of its uses): first and family names
    common enough to have one usual spelling."""
    spellings: dict[str, Counter] = {}
    for name, (_, key) in _tables()["PERS"].items():
        arabic_words, english_words = name.split(), key.split()
        if len(arabic_words) != len(english_words) or not 2 <= len(arabic_words) <= 3:
            continue
        if not all(word.isalpha() for word in [*arabic_words, *english_words]):
            continue
        for arabic, latin in zip(arabic_words, english_words, strict=True):
            # Particles and words with a spelling of their own (`بن` bin, `محمد` Muhammad) keep it.
            if latin in _LOWER or _ROMAN.match(latin) or arabic.startswith("ال") or arabic in NAME_WORDS:
                continue
            if latin[0] in _INITIALS.get(arabic[0], ""):
                spellings.setdefault(arabic, Counter())[latin.capitalize()] += 1
    table = {}
    for arabic, counter in sorted(spellings.items()):
        latin, count = counter.most_common(1)[0]
        if count >= 2 and count * 3 >= 2 * sum(counter.values()):
            table[arabic] = latin
    return table


def romanised_name(name_ar: str, kind: str = "PERS") -> str:
    """A name read out for English readers: each word's usual spelling when the names list agrees
    on one (`given_names`), else the romanisation (`arabic.romanize`).

    An organisation's or a place's name is mostly common words (`وزارة الخارجية التركية`): those
    are read with the vowels the lexicon gives them (Wizarat al-Kharijiyya al-Turkiyya, not the
    guessed Wazara al-Kharjiya al-Tarkiya), a feminine noun before a definite one ending in -at
    as Arabic says it. A person's name is not: its words are names, whatever else they mean
    (`الحية` in Khalil al-Haya is no snake)."""
    from ..romanize import romanize

    spellings = given_names()
    words = name_ar.split()
    read = []
    for number, word in enumerate(words):
        known = spellings.get(normalize(word))
        if known:
            read.append(known)
            continue
        vowelled = _vowelled(word) if kind != "PERS" else None
        roman = romanize(vowelled or word, name=True)
        following = words[number + 1] if number + 1 < len(words) else ""
        # The first noun of a construct (وزارة الخارجية, حركة المقاومة): no article of its own.
        if kind != "PERS" and word.endswith("ة") and not word.startswith("ال") and following.startswith("ال"):
            roman += "t" if roman.endswith("a") else ""
        read.append(roman)
    return " ".join(read)


# What a word of an organisation's or a place's name may be read as: never a verb or a particle.
_NAME_WORD_POS = ("noun", "adjective", "proper noun")


def _vowelled(word: str) -> str | None:
    """The word as the lexicon's likeliest noun or adjective reading writes it, with its short
    vowels (`وزارة` → `وِزارَة`), or None when the lexicon has none (or is not installed)."""
    from ..lexicon import LexiconMissing, lexicon

    try:
        analyses = lexicon().analyses(word)
    except LexiconMissing:
        return None
    # A name takes no tanween (سيرا is no سَيْراً).
    readings = [a for a in analyses if a.pos in _NAME_WORD_POS and not TANWEEN.search(a.vowelled)]
    if not readings:
        return None
    # Among readings the lexicon ranks alike, the plain form before the intensive one: the
    # ministry of دِفاع "defence", not of دَفّاع "propelling". A rule of thumb (كلية is then
    # كُلْيَة "kidney", not كُلِّيَّة "faculty"); the name stays marked as romanised, unchecked.
    tied = [a for a in readings if a.rank == readings[0].rank]
    return min(tied, key=lambda a: a.vowelled.count(SHADDA)).vowelled


def listed_people() -> list[str]:
    """The folded full names (two words or more) of the people the list knows."""
    return sorted(name for name in _tables()["PERS"] if len(name.split()) > 1)
