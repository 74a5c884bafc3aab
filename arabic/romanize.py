"""Arabic names in Latin letters: a romanisation for readers, a transliteration for scholars.

Arabic writes no short vowels, so a letter-for-letter transliteration such as
Habash-Soudi-Buckwalter (`ĂsTnbwl`) is exact but unreadable to most readers.
`romanize` is for reading, not for scholarship: simple English spellings for
the consonants (kh, sh, gh, dh, th, ' for ʿayn and hamza), long vowels from
ا و ي, harakat when the text has them, and an `a` where a word would
otherwise begin with two consonants or run three together
and between two consonants that would end a word
(إسطنبول → Istanbul, قطاع غزة → Qata' Ghaza, خليل الحية → Khalil al-Haya,
إبراهيم قالن → Ibrahim Qalin, رجب → Rajab).
`transliterate` is camel-tools' exact ar2hsb.
"""

import re
from functools import lru_cache

from .text import SHADDA, TATWEEL


@lru_cache(maxsize=1)
def _transliterator():
    from camel_tools.utils.charmap import CharMapper

    return CharMapper.builtin_mapper("ar2hsb")


def transliterate(text: str) -> str:
    """Habash-Soudi-Buckwalter transliteration (camel-tools' ar2hsb charmap): exact, for scholars and the API."""
    return _transliterator()(text)


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
_SHADDA, _SUKUN, _TATWEEL = SHADDA, "\u0652", TATWEEL


# Words of names whose vowels no rule can guess, and that names share (folded).
NAME_WORDS = {
    "عبد": "Abd",
    "الله": "Allah",
    "ابو": "Abu",
    "ابن": "ibn",
    "بن": "bin",
    "بنت": "bint",
    "ام": "Umm",
    "محمد": "Muhammad",
    "احمد": "Ahmad",
    "الدين": "al-Din",
    "الرحمن": "al-Rahman",
}


# Two consonants English ends a syllable with (Turk, Kurt, Rand, Holt, Ernst): a name that ends so
# keeps them together where the vowel before is written (تورك → Turk, not Turak) or the name
# already reads as a foreign one, not after a long a (خالد → Khalid).
_CODAS = frozenset(
    [("r", c) for c in ("k", "t", "d", "z", "s", "g")]
    + [("n", c) for c in ("d", "t", "k", "g")]
    + [("l", c) for c in ("d", "t", "k")]
    + [("s", "t"), ("k", "s"), ("t", "s"), ("m", "b"), ("m", "p")]
)


def _english_coda(tokens: list[list[str]]) -> bool:
    if (tokens[-2][1], tokens[-1][1]) not in _CODAS:
        return False
    vowel = tokens[-3]
    return (vowel[0] == "V" and vowel[1] in ("u", "i")) or any(kind == "G" for kind, _ in tokens)


def _foreign_name_sounds(tokens: list[list[str]], letters: list[str]) -> None:
    """What Arabic spelling of foreign names writes and Arabic names do not (in place):

    - a y or w after a long a and before two consonants is the second half of
      a diphthong (رايندرز → Rayndarz), not a consonant that needs a vowel
      after it (the Rayn-a-draz of letters read one by one);
    - a final ه after a consonant after a written vowel is a final e
      (روته → Ruteh, شحاته → Shahateh), not an h closing the name (Rutah).
    """
    for index in range(1, len(tokens) - 2):
        if (
            tokens[index] in (["C", "y"], ["C", "w"])
            and tokens[index - 1] == ["V", "a"]
            and tokens[index + 1][0] == tokens[index + 2][0] == "C"
        ):
            tokens[index][0] = "G"
    if letters[-1] == "ه" and len(tokens) >= 3 and tokens[-2][0] == "C" and tokens[-3][0] == "V":
        tokens[-1] = ["V", "eh"]


def _romanize_word(word: str, name: bool = False) -> str:
    from .text import normalize

    known = NAME_WORDS.get(normalize(word)) if name else None
    if known:
        return known
    prefix = ""
    if word.startswith("ال") and len(word) > 3:
        prefix, word = "al-", word[2:]
    letters = [char for char in word if char != _TATWEEL]
    tokens: list[list[str]] = []  # [kind, text]: "C" consonant, "V" vowel, "H" a written short vowel
    for index, char in enumerate(letters):
        before = tokens[-1][0] if tokens else None
        after = letters[index + 1] if index + 1 < len(letters) else ""
        if char in _HARAKAT and char == "\u064e" and tokens and tokens[-1] == ["V", "a"]:
            continue  # a fatha on the long a itself (صَلاَة → salat)
        elif char in _HARAKAT:
            tokens.append(["H", _HARAKAT[char]])
        elif char == _SHADDA:
            # Doubles the consonant it sits on, whichever mark was typed first.
            last = next((i for i in range(len(tokens) - 1, -1, -1) if tokens[i][0] == "C"), None)
            if last is not None:
                tokens.insert(last + 1, ["C", tokens[last][1]])
        elif char == _SUKUN:
            continue
        elif char in ("أ", "إ", "ٱ") and not tokens and after in _HARAKAT:
            continue  # the vowel the word opens with is written on it (أَنباء → anba', ٱِقتصاد → iqtisad)
        elif char in ("أ", "إ"):
            tokens.append(["V", "i" if char == "إ" else "a"] if not tokens else ["C", "'"])
        elif char == "ة" and tokens and tokens[-1] == ["H", "a"]:
            continue  # the fatha before it says the a (وِزارَة → wizara)
        elif char == "ة" and tokens and tokens[-1] == ["V", "a"]:
            tokens.append(["C", "t"])  # after a long a it is heard (قناة → Qanat, حياة → Hayat)
        elif char in _LONG_A and tokens and tokens[-1] == ["H", "a"]:
            tokens[-1] = ["V", "a"]  # the fatha announced it (سُورِيَا → Suriya)
        elif char in _LONG_A or char == "ة":
            tokens.append(["V", "a"])
        elif (
            char in ("و", "ي")
            and before == "H"
            and tokens[-1][1] == ("u" if char == "و" else "i")
            and after
            not in (
                *_HARAKAT,
                _SHADDA,
            )
        ):
            continue  # a long vowel its short one announced (رُوسِي → rusi)
        elif char in ("و", "ي"):
            vowel, glide = ("u", "w") if char == "و" else ("i", "y")
            # -iyya ending a word of three letters or more, the ending of adjectives (الخارجية →
            # al-Kharjiya, not al-Kharjaya); in a shorter word the ya is the root's (الحية → al-Haya).
            nisba = name and char == "ي" and after == "ة" and index + 2 == len(letters) >= 5
            if tokens and before == "C" and ((after in _LONG_A and char == "ي") or nisba):
                tokens += [["V", "i"], ["C", "y"]]
            elif tokens and before == "C" and after not in _LONG_A and after != "ة" and after not in _HARAKAT:
                tokens.append(["V", vowel])
            else:
                tokens.append(["C", glide])
        elif char in _CONSONANTS:
            tokens.append(["C", _CONSONANTS[char]])
        else:
            tokens.append(["V", char])
    if tokens[-3:] == [["H", "i"], ["C", "y"], ["C", "y"]]:
        tokens[-3:] = [["V", "i"]]  # the -iyy ending said as English writes it (الدَوْلِيّ → al-Dawli)
    if name and not any(kind == "H" for kind, _ in tokens):
        _foreign_name_sounds(tokens, letters)
    if not any(kind == "H" for kind, _ in tokens):
        # No harakat: supply the short vowels a reader would expect ("S").
        filled: list[list[str]] = []
        run = 0
        for kind, text in tokens:
            if kind == "C":
                if (run == 1 and len(filled) == 1) or run == 2:
                    filled.append(["S", "a"])
                    run = 0
                run += 1
            else:
                run = 0
            filled.append([kind, text])
        tokens = filled
        # Nor does a name end in two consonants: after a long a, the pattern
        # of Khalid, Kamil, Salih (قالن → Qalin); else an a (رجب → Rajab).
        if (
            name
            and len(tokens) >= 3
            and tokens[-1][0] == tokens[-2][0] == "C"
            and tokens[-3][0] in ("V", "S", "G")
            and not _english_coda(tokens)
        ):
            tokens.insert(-1, ["S", "i" if tokens[-3] == ["V", "a"] else "a"])
    roman = "".join(text for _, text in tokens)
    # An ʿayn or hamza that opens a name is not written as English writes names (عمان → Amman).
    return prefix + (roman[1:] if name and roman.startswith("'") and len(roman) > 1 else roman)


_ARABIC_WORD = re.compile(r"[\u0600-\u06ff\u0750-\u077f]+")


def romanize(text: str, *, name: bool = False) -> str:
    """A reader-friendly romanisation of Arabic words, capitalised like a name (`Qata' Ghaza`).

    With `name`, as English writes names: no word ends in two consonants
    (قالن → Qalin, رجب → Rajab) but those English ends words with, after a
    written vowel (تورك → Turk), none opens with an apostrophe (عمان →
    Amman), the words names share are spelt as usual (عبد → Abd, الله →
    Allah), and foreign names' diphthongs and final e are read as such
    (رايندرز → Rayndarz, روته → Ruteh). Without it (slugs), letters are followed more closely (وفد → wafd)."""

    def word(match: re.Match) -> str:
        roman = _romanize_word(match.group(), name)
        head, rest = ("al-", roman[3:]) if roman.startswith("al-") else ("", roman)
        first = next((i for i, char in enumerate(rest) if char.isalpha()), 0)
        return head + rest[:first] + rest[first : first + 1].upper() + rest[first + 1 :]

    return _ARABIC_WORD.sub(word, text)
