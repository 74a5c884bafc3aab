"""Anchoring annotations to text that may change, after the W3C Web Annotation
model: a TextPositionSelector (start, end) beside a TextQuoteSelector (the
exact text with some context before and after).

Positions count Unicode code points over a paragraph's original text, in
logical order (Python string indices), end exclusive.

When the text changes, `reanchor` tries, in order:

1. the same position, if the exact text is still there;
2. the quote, wherever it now is (prefix and suffix choose among several
   occurrences, then nearness to the old position);
3. a fuzzy match: first the quote with Arabic spelling variants folded
   (hamza forms, ta marbuta, diacritics…), then the most similar stretch of
   text, accepted at `FUZZY_MIN_SCORE` percent similarity or more;
4. else the annotation is orphaned: kept, with its old quote, for an editor.
"""

import re
from dataclasses import dataclass

from rapidfuzz.fuzz import partial_ratio_alignment

from .text import normalize_with_offsets

CONTEXT = 32
# rapidfuzz's partial ratio: the similarity (0–100) of the quote with the best
# matching stretch of the new text of the same length.
FUZZY_MIN_SCORE = 75.0

EXACT, QUOTE, FUZZY, ORPHANED = "exact", "quote", "fuzzy", "orphaned"
# A word character, counting the diacritics and tatweel written inside Arabic words.
_WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


@dataclass(frozen=True)
class Quote:
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Anchoring:
    state: str
    start: int | None = None
    end: int | None = None
    score: float | None = None

    @property
    def found(self) -> bool:
        return self.state != ORPHANED


def quote_at(text: str, start: int, end: int, context: int = CONTEXT) -> Quote:
    """The TextQuoteSelector of text[start:end]."""
    return Quote(exact=text[start:end], prefix=text[max(0, start - context) : start], suffix=text[end : end + context])


def _common_suffix(a: str, b: str) -> int:
    count = 0
    while count < min(len(a), len(b)) and a[-1 - count] == b[-1 - count]:
        count += 1
    return count


def _common_prefix(a: str, b: str) -> int:
    count = 0
    while count < min(len(a), len(b)) and a[count] == b[count]:
        count += 1
    return count


def _occurrences(text: str, exact: str) -> list[int]:
    found, index = [], text.find(exact)
    while index >= 0:
        found.append(index)
        index = text.find(exact, index + 1)
    return found


def _best_occurrence(text: str, quote: Quote, starts: list[int], near: int | None) -> int:
    def rank(index: int):
        context = _common_suffix(text[:index], quote.prefix) + _common_prefix(
            text[index + len(quote.exact) :], quote.suffix
        )
        distance = abs(index - near) if near is not None else 0
        return (-context, distance, index)

    return min(starts, key=rank)


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span cut inside words to whole words; trim spaces at its ends."""
    while start > 0 and _WORD.match(text[start - 1]) and _WORD.match(text[start]):
        start -= 1
    while end < len(text) and _WORD.match(text[end]) and _WORD.match(text[end - 1]):
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def reanchor(text: str, *, quote: Quote, start: int | None = None, end: int | None = None) -> Anchoring:
    """Where the annotation quoting `quote` (formerly at start–end) sits in `text` now."""
    if not quote.exact:
        return Anchoring(ORPHANED)
    if start is not None and end is not None and 0 <= start < end <= len(text) and text[start:end] == quote.exact:
        return Anchoring(EXACT, start, end)

    starts = _occurrences(text, quote.exact)
    if starts:
        found = _best_occurrence(text, quote, starts, start)
        return Anchoring(QUOTE, found, found + len(quote.exact))

    # The same words in another spelling (إ/ا, ة/ه, with or without harakat).
    folded_text, offsets = normalize_with_offsets(text)
    folded_quote, _ = normalize_with_offsets(quote.exact)
    folded_starts = _occurrences(folded_text, folded_quote) if folded_quote else []
    if folded_starts:
        candidates = [(offsets[i], offsets[i + len(folded_quote) - 1] + 1) for i in folded_starts]
        begin, finish = min(candidates, key=lambda span: abs(span[0] - start) if start is not None else 0)
        begin, finish = _snap_to_words(text, begin, finish)
        return Anchoring(FUZZY, begin, finish, 100.0)

    alignment = partial_ratio_alignment(quote.exact, text, score_cutoff=FUZZY_MIN_SCORE)
    if alignment is not None and alignment.dest_end > alignment.dest_start:
        begin, finish = _snap_to_words(text, alignment.dest_start, alignment.dest_end)
        if finish > begin:
            return Anchoring(FUZZY, begin, finish, round(alignment.score, 1))
    return Anchoring(ORPHANED)
