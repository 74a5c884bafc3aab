"""Short passages: a search result's best match, an entity's mention, in a few words around it.

A result card shows the passage of about WINDOW words that matches the most
distinct words of the query, in the language that matched: an Arabic
paragraph (right to left) or its translation (left to right). The words that
matched are marked whole (`<mark>` round a word, never inside one), so Arabic
letters stay joined. An English query also matches the Arabic words of the
entities whose English names it names (`Erdogan` marks `أردوغان`).

An entity's page shows each mention the same way: the words around it, not
the whole paragraph.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from re import Match

from django.utils.safestring import SafeString, mark_safe

from arabic.text import WORD

from .search import SearchQueryTerms, marked_html, matched_spans

# About two lines of a card: enough to read the match in its sentence.
WINDOW = 25
# Words shown before the first match, so that it is read in context.
BEFORE = 6


@dataclass(frozen=True)
class SegmentText:
    """A text a passage may come from: an Arabic paragraph or its translation, with, for an
    Arabic one, the spans of entities whose English names matched the query (start, end, word)."""

    text: str
    lang: str
    names: tuple[tuple[int, int, int], ...] = ()


@dataclass(frozen=True)
class Passage:
    lang: str
    html: SafeString
    matched: int = 0  # how many distinct words of the query it shows

    @property
    def direction(self) -> str:
        return "rtl" if self.lang == "ar" else "ltr"


@dataclass
class _Candidate:
    score: tuple
    segment: SegmentText
    words: list[tuple[int, int]]
    start: int
    marks: list[tuple[int, int, int]] = field(default_factory=list)
    region: tuple[int, int] = (0, 0)


def _whole_words(span: tuple[int, int, int], words: list[tuple[int, int]], starts: list[int]) -> tuple[int, int, int]:
    """A span widened to the words it touches: a name inside `بإسطنبول` marks the whole word."""
    start, end, index = span
    first = max(bisect_right(starts, start) - 1, 0)
    last = max(bisect_right(starts, end - 1) - 1, first)
    return min(start, words[first][0]), max(end, words[last][1]), index


def passage_html(text: str, *, start: int, end: int, marks, cut_before: bool, cut_after: bool) -> SafeString:
    """text[start:end], escaped, with the marks (start, end, …) in `<mark>`, and `…` where it was cut."""
    html = marked_html(text, marks, start=start, end=end)
    return mark_safe(("… " if cut_before else "") + html + (" …" if cut_after else ""))


def best_passage(segments: list[SegmentText], terms: SearchQueryTerms, *, prefer: str = "ar") -> Passage | None:
    """The passage of WINDOW words that shows the most distinct words of the query (then: in the
    `prefer`red language, earlier in the article); None when no text matches. The texts are read
    in order until one shows every word in the preferred language: none after it can do better."""
    best: _Candidate | None = None
    wanted = (len(terms.words), True)
    for order, segment in enumerate(segments):
        marks = [*matched_spans(segment.text, terms), *segment.names]
        if not marks:
            continue
        words, region = _words_near(segment.text, marks)
        if not words:
            continue
        starts = [start for start, _ in words]
        placed = sorted((bisect_right(starts, mark[0]) - 1, *_whole_words(mark, words, starts)) for mark in marks)
        for position, *_ in placed:
            first = max(position - BEFORE, 0)
            inside = [mark for mark in placed if first <= mark[0] < first + WINDOW]
            score = (len({mark[3] for mark in inside}), segment.lang == prefer, -order, -first)
            if best is None or score > best.score:
                best = _Candidate(score, segment, words, first, [mark[1:] for mark in inside], region)
        if best is not None and best.score[:2] == wanted:
            break
    if best is None:
        return None
    words, first, (region_start, region_end) = best.words, best.start, best.region
    last = min(first + WINDOW, len(words)) - 1
    text = best.segment.text
    cut_before, cut_after = first > 0 or region_start > 0, last < len(words) - 1 or region_end < len(text)
    html = passage_html(
        text,
        start=words[first][0] if cut_before else 0,
        end=words[last][1] if cut_after else len(text),
        marks=best.marks,
        cut_before=cut_before,
        cut_after=cut_after,
    )
    return Passage(lang=best.segment.lang, html=html, matched=best.score[0])


# Characters a word takes at most, on average over a window: the words around the matches are
# read from that much text around them, not from the whole paragraph.
REACH = 12


def _words_near(text: str, marks) -> tuple[list[tuple[int, int]], tuple[int, int]]:
    """The words of `text` (their spans) that a window round these marks can show, and the part of
    the text they were read from. A word cut at either end of that part is left out."""
    start = max(min(mark[0] for mark in marks) - BEFORE * REACH, 0)
    end = min(max(mark[1] for mark in marks) + WINDOW * REACH, len(text))
    words = list(map(Match.span, WORD.finditer(text, start, end)))
    if start > 0 and words:
        words = words[1:]
    if end < len(text) and words:
        words = words[:-1]
    return words, (start, end)


def around(text: str, start: int, end: int, *, words_around: int = (WINDOW - 1) // 2) -> tuple[int, int]:
    """The span of about WINDOW words centred on text[start:end] (whole words)."""
    words = [match.span() for match in WORD.finditer(text)]
    if not words:
        return 0, len(text)
    starts = [word_start for word_start, _ in words]
    first = max(bisect_right(starts, start) - 1, 0)
    last = max(bisect_right(starts, max(end - 1, start)) - 1, first)
    first, last = max(first - words_around, 0), min(last + words_around, len(words) - 1)
    return (0 if first == 0 else words[first][0]), (len(text) if last == len(words) - 1 else words[last][1])
