"""Fitting segments into as few provider requests as the size limit allows,
and taking the answer apart again without ever giving a segment its
neighbour's text.

Providers treat white space freely: Google and DeepL are reported to turn
line breaks into spaces, so separators made of line breaks do not survive.
deep-translator offers no batch or HTML mode for any provider (LibreTranslate
is sent `format=text`, the others one plain text per call), so each segment
is wrapped in a numbered marker on both sides, `[[3]] text [[3]]`: brackets
and digits come back from every provider we know, white space around them
may not, and digits may come back in another script (`[[٣]]`), which the
parser reads as the same number.

Recovery is checked segment by segment (`unpack`): a segment's text is what
lies between its two markers; if one of its markers was lost, what lies
between its remaining marker and a neighbour whose pair is intact; anything
less certain (a marker missing on both sides of a text, markers swapped
without their text, text outside every pair) leaves the segments it touches
unrecovered, and the client retries those alone.

A segment over the limit is cut at sentence ends, and a sentence over the
limit at spaces: never inside a word.
"""

import itertools
import re

SEPARATOR = "\n"
# Room kept in a request for a piece's two markers and separator, so that a
# piece cut to the limit less this can still share a request.
MARKER_ROOM = 32
# Two opening and two closing brackets (ASCII or full width) around a number
# in any script; providers may put spaces inside.
MARKER = re.compile(r"[\[［]\s*[\[［]\s*(\d{1,4})\s*[\]］]\s*[\]］]")
_SENTENCE = re.compile(r"\S.*?(?:[.!?؟…]+[\"'»”)\]]*(?=\s|$)|$)", re.S)
_LINE_BREAKS = re.compile(r"\s*\n\s*")


def flatten(text: str) -> str:
    """The segment on one line: line breaks become spaces."""
    return _LINE_BREAKS.sub(" ", text).strip()


def has_marker(text: str) -> bool:
    """Whether `text` itself contains something that reads as a marker (it must then go alone)."""
    return MARKER.search(text) is not None


def _fill(parts: list[str], limit: int, joiner: str = " ") -> list[str]:
    """Greedily join consecutive parts while the result stays within `limit`."""
    chunks: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}{joiner}{part}" if current else part
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                chunks.append(current)
            current = part
    if current:
        chunks.append(current)
    return chunks


def split_long(text: str, limit: int) -> list[str]:
    """Cut `text` into pieces of at most `limit` characters at sentence ends."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    for sentence in (match.group().strip() for match in _SENTENCE.finditer(text)):
        if len(sentence) <= limit:
            pieces.append(sentence)
            continue
        words = sentence.split(" ")
        # A single "word" longer than the limit cannot be kept whole.
        words = [word[i : i + limit] for word in words for i in range(0, max(len(word), 1), limit)]
        pieces.extend(_fill(words, limit))
    return _fill(pieces, limit)


def wrap(number: int, text: str) -> str:
    return f"[[{number}]] {text} [[{number}]]"


def pack(texts: list[str], limit: int) -> list[list[int]]:
    """Group consecutive texts (by index) so that each group, as `join` sends it, fits `limit`.

    A text that fits alone but not wrapped, or that contains a marker of its
    own, travels alone and unwrapped.
    """
    groups: list[list[int]] = []
    size = 0
    alone = True
    for index, text in enumerate(texts):
        if len(text) > limit:
            raise ValueError("split texts longer than the limit before packing them")
        solo = has_marker(text)
        if groups and not alone and not solo:
            added = len(SEPARATOR) + len(wrap(len(groups[-1]) + 1, text))
            if size + added <= limit:
                groups[-1].append(index)
                size += added
                continue
        groups.append([index])
        wrapped = len(wrap(1, text))
        alone = solo or wrapped > limit
        size = len(text) if alone else wrapped
    return groups


def join(texts: list[str]) -> str:
    """What one request sends: the text itself when alone, else each text wrapped in its markers."""
    if len(texts) == 1:
        return texts[0]
    return SEPARATOR.join(wrap(number, text) for number, text in enumerate(texts, start=1))


def unpack(answer: str, count: int) -> list[str | None]:
    """Each segment's translation from a packed answer, or None where it cannot be trusted."""
    if count == 1:
        return [answer.strip() or None]
    found = [(int(match.group(1)), match.start(), match.end()) for match in MARKER.finditer(answer)]
    if not found:
        return [None] * count
    occurrences: dict[int, int] = {}
    for number, _, _ in found:
        occurrences[number] = occurrences.get(number, 0) + 1

    def complete(number: int) -> bool:
        return 1 <= number <= count and occurrences[number] == 2

    # A segment with no marker left has its text somewhere among the others':
    # then a segment that lost one marker cannot tell its text from that one.
    every_segment_marked = all(number in occurrences for number in range(1, count + 1))

    def half(number: int) -> bool:
        return every_segment_marked and 1 <= number <= count and occurrences[number] == 1

    claims: dict[int, list[str]] = {}
    doubtful: set[int] = set()
    # The text before the first marker and after the last one belongs to no pair.
    edges = [(None, found[0][0], answer[: found[0][1]]), (found[-1][0], None, answer[found[-1][2] :])]
    between = [(left[0], right[0], answer[left[2] : right[1]]) for left, right in itertools.pairwise(found)]
    for left, right, text in between + edges:
        text = text.strip()
        if left is not None and left == right:
            if complete(left):
                claims.setdefault(left, []).append(text)
            continue
        if not text:
            continue
        # A text between two different markers is a segment that lost one
        # of its markers, provided exactly one side is such a segment and
        # the other side's pair is intact (or is the start or the end).
        owners = [number for number in (left, right) if number is not None and half(number)]
        others_sound = all(number is None or complete(number) for number in (left, right) if number not in owners)
        if len(owners) == 1 and others_sound:
            claims.setdefault(owners[0], []).append(text)
        else:
            doubtful.update(number for number in (left, right) if number is not None)

    results: list[str | None] = []
    for number in range(1, count + 1):
        texts = claims.get(number, [])
        trusted = len(texts) == 1 and texts[0] and number not in doubtful and number in occurrences
        if trusted and complete(number):
            # Its two markers must be next to each other, with its text between them.
            positions = [i for i, (n, _, _) in enumerate(found) if n == number]
            trusted = positions[1] == positions[0] + 1
        results.append(texts[0] if trusted else None)
    return results
