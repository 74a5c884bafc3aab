"""Finding gazetteer names in Arabic text.

Names are stored in a trie of normalised words, so one pass over the text's
words finds every name, longest first, whatever the size of the gazetteer.
A name may sit behind proclitics (و ف ب ل ك, combined as in وب ول فل, and
before a name's own article as in وال بال لل): the match then starts after
them, so the highlight of `بإسطنبول` covers `إسطنبول` and that of `بالنيجر`
covers `النيجر`. The article belongs to the names that carry it (النيجر,
السعودية) and is never stripped to reach a bare name: `ال` before a country
name makes the adjective (التركية "the Turkish", السورية "the Syrian"). Matching compares normalised text and never
changes the text; offsets are code points over the original.
"""

from dataclasses import dataclass
from functools import lru_cache

from ..clitics import readings
from ..text import TANWEEN, WORD, normalize, normalize_with_offsets

_END = "\0"
MIN_STEM = 2  # a one-letter stem would turn every clitic-led word into a guess


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    entity_id: int


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    normalized: str
    offsets: tuple[int, ...]  # index in the word of each normalised character


# A word with tanween (`text.TANWEEN`) never starts or continues a name.


def words(text: str) -> list[_Word]:
    """The words of `text` that may belong to a name, with their offsets."""
    found = []
    for match in WORD.finditer(text):
        if TANWEEN.search(match.group()):
            continue
        normalized, offsets = _folded(match.group())
        if normalized:
            found.append(_Word(match.start(), match.end(), normalized, offsets))
    return found


@lru_cache(maxsize=100_000)
def _folded(word: str) -> tuple[str, tuple[int, ...]]:
    """A word folded, with the index in it of each folded character (news repeats its words)."""
    normalized, offsets = normalize_with_offsets(word)
    return normalized, tuple(offsets)


def name_key(name: str) -> tuple[str, ...]:
    """The normalised words of a name, as stored in the trie."""
    return tuple(normalize(word) for word in WORD.findall(name) if normalize(word))


class Gazetteer:
    """A trie of normalised names → entity id; first name added wins a tie."""

    def __init__(self):
        self._root: dict = {}
        self.size = 0

    def add(self, name: str, entity_id: int) -> None:
        key = name_key(name)
        if not key:
            return
        node = self._root
        for word in key:
            node = node.setdefault(word, {})
        if _END not in node:
            node[_END] = entity_id
            self.size += 1

    def find(self, text: str) -> list[Match]:
        """Every name in `text`, longest first, never overlapping, in text order."""
        tokens = words(text)
        matches: list[Match] = []
        index = 0
        while index < len(tokens):
            best = None  # (words covered, -skipped, skipped, entity id, last index)
            # Readings in order of characters skipped: a name that really starts with
            # a letter like ب or ل wins over a guessed clitic.
            for reading in readings(tokens[index].normalized, min_stem=MIN_STEM):
                skipped = reading.skipped
                node = self._root.get(reading.stem)
                last = index
                found = None
                while node is not None:
                    if _END in node:
                        found = (node[_END], last)
                    following = last + 1
                    if following >= len(tokens) or not text[tokens[last].end : tokens[following].start].isspace():
                        break
                    node = node.get(tokens[following].normalized)
                    last = following
                if found:
                    entity_id, end_index = found
                    candidate = (end_index - index + 1, -skipped, skipped, entity_id, end_index)
                    if best is None or candidate[:2] > best[:2]:
                        best = candidate
            if best is None:
                index += 1
                continue
            _, _, skipped, entity_id, end_index = best
            word = tokens[index]
            start = word.start + word.offsets[skipped]
            matches.append(Match(start=start, end=tokens[end_index].end, entity_id=entity_id))
            index = end_index + 1
        return matches
