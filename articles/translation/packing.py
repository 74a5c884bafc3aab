"""Fitting segments into as few provider requests as the size limit allows.

Consecutive segments are joined with blank lines into one request and the
answer is split back on line breaks; a segment never contains a line break
(`flatten`), so the count of lines in the answer tells whether the split is
trustworthy. A segment over the limit is cut at sentence ends, and a sentence
over the limit at spaces: never inside a word.
"""

import re

SEPARATOR = "\n\n"
_SENTENCE = re.compile(r"\S.*?(?:[.!?؟…]+[\"'»”)\]]*(?=\s|$)|$)", re.S)
_LINE_BREAKS = re.compile(r"\s*\n\s*")


def flatten(text: str) -> str:
    """The segment on one line: line breaks become spaces."""
    return _LINE_BREAKS.sub(" ", text).strip()


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


def pack(texts: list[str], limit: int) -> list[list[int]]:
    """Group consecutive texts (by index) so that each group, joined, fits `limit`."""
    groups: list[list[int]] = []
    size = 0
    for index, text in enumerate(texts):
        if len(text) > limit:
            raise ValueError("split texts longer than the limit before packing them")
        if groups and size + len(SEPARATOR) + len(text) <= limit:
            groups[-1].append(index)
            size += len(SEPARATOR) + len(text)
        else:
            groups.append([index])
            size = len(text)
    return groups


def join(texts: list[str]) -> str:
    return SEPARATOR.join(texts)


def unpack(answer: str, count: int) -> list[str] | None:
    """Split a packed answer back into `count` segments, or None if it does not fit."""
    lines = [line for line in _LINE_BREAKS.split(answer.strip()) if line]
    return lines if len(lines) == count else None
