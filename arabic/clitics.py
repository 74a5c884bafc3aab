"""The one reader of proclitics: what may be attached to the front of a written word.

Arabic writes conjunctions (و ف), prepositions (ب ل ك) and the article (ال)
joined to the next word, combined in that order: `وبالمانيا` is و + ب + ال +
مانيا, `ولتركيا` is و + ل + تركيا. After ل the article loses its alef: `للرئيس`
is ل + ال + رئيس. A word may also simply begin with one of those letters
(`بغداد`, `فيدان`), so a reader of proclitics gives every possible reading and
leaves the choice to its caller: the gazetteer tries each against its names,
the NER features pick the one whose stem training saw most often, search
indexes them all.

Words are folded first (`text.normalize`); a reading never leaves fewer
than `min_stem` written letters.
"""

from dataclasses import dataclass
from functools import lru_cache
from itertools import product

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLE = "ال"


@dataclass(frozen=True, order=True)
class Reading:
    """One way to read a word: its first `skipped` characters are proclitics, the rest is `stem`.

    After ل + ال written لل, the stem gets the article's alef back (`للرئيس` →
    skipped 1, stem `الرئيس`) unless the article is read off too."""

    skipped: int
    stem: str


def readings(word: str, *, article: bool = False, min_stem: int = 2) -> list[Reading]:
    """Every reading of `word`'s proclitics (the whole word first), sorted by characters skipped.

    With `article`, the article is read off as well (`بالمانيا` also gives
    `مانيا`); without it the article stays with its word, as names keep it
    (`النيجر`)."""
    return list(_readings(word, article, min_stem))


# News repeats its words: the gazetteer, the model's features and the surname rule each read the
# same words again and again.
@lru_cache(maxsize=100_000)
def _readings(word: str, article: bool, min_stem: int) -> tuple[Reading, ...]:
    found: set[Reading] = set()

    def add(skipped: int, stem: str, written: int) -> None:
        if written >= min_stem:
            found.add(Reading(skipped, stem))

    for conjunction, preposition in product(("", *CONJUNCTIONS), ("", *PREPOSITIONS)):
        prefix = conjunction + preposition
        if not word.startswith(prefix):
            continue
        rest = word[len(prefix) :]
        add(len(prefix), rest, len(rest))
        if preposition == "ل" and rest.startswith("ل"):
            add(len(prefix), "ا" + rest, len(rest))  # ل + ال: the article's lam starts the stem
            if article:
                add(len(prefix) + 1, rest[1:], len(rest) - 1)
        if article and rest.startswith(ARTICLE):
            add(len(prefix) + len(ARTICLE), rest[len(ARTICLE) :], len(rest) - len(ARTICLE))
    return tuple(sorted(found))


def stems(word: str, *, article: bool = False, min_stem: int = 2) -> list[str]:
    """The word and each stem a reading of its proclitics leaves, without repeats, the whole word first."""
    forms = [word]
    for reading in readings(word, article=article, min_stem=min_stem):
        if reading.stem not in forms:
            forms.append(reading.stem)
    return forms


# Every written combination, longest first (for patterns that match a proclitic before a stem).
PREFIXES = tuple(
    sorted(
        {c + p + a for c, p, a in product(("", *CONJUNCTIONS), ("", *PREPOSITIONS), ("", ARTICLE)) if c + p + a}
        | {c + "لل" for c in ("", *CONJUNCTIONS)},
        key=lambda prefix: (-len(prefix), prefix),
    )
)
