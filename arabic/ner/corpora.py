"""The annotated corpora the shipped model learns from, read as pages write Arabic, and combined.

Four corpora lie in the shared data folder (each with its README): NewsFANE
(`corpus.py` reads it: clitic-segmented, rejoined), ANERcorp's training part
(news, words as written), AQMAR (22 Wikipedia articles) and a sample of
Wojood (mixed domains). Each is mapped to PERS/LOC/ORG/MISC by its README,
and each keeps a fixed held-out part that no choice of setting ever sees,
and no training that is scored (the committed model's final fit, once the
settings are chosen, trains on the held-out parts too: `training_part`'s
`held_out_too`):

- NewsFANE: every fifth block of 50 sentences (block number modulo 5 equals
  4), as it always was; the other blocks make the four cross-validation folds.
- ANERcorp: nearly all its sentences are NewsFANE's text (3,834 of 3,963
  share a run of six words with it), cut and annotated its own way, in
  nearly the same order. Each takes the fold of the NewsFANE sentence it
  shares most with (held out if it shares with any held-out one), so both
  corpora hold out the same stories; the 129 it shares nothing with go by
  their own blocks of 50 (`aligned_folds`).
- Wojood: its own test file is held out; its train and val files make the
  four folds in blocks of 50.
- AQMAR: every fifth article in name order (Crusades, Internet,
  Periodic_Table, Solaris); the other 18 articles make the folds by their
  position modulo 5, and each article is one document.

ANERcorp and NewsFANE share about half their text under different
conventions. A sentence that shares a run of words with a sentence held out
(or scored in cross-validation) in another corpus is never trained on by a
training that is scored (`training_part`), so no held-out sentence is seen
under another corpus's name. Which copy of a shared sentence to train on is `NEWSFANE_SHARED`.

Spans start after their first word's proclitics, as everywhere in the
project; a corpus that tags words as written (`وأنقرة` B-LOC) is read the
same way, with the one clitic reader (`features.proclitic_length`).
"""

import re
from collections.abc import Sequence
from pathlib import Path

from ..text import normalize, normalize_with_offsets
from .corpus import (
    BLOCK,
    HELD_OUT_EVERY,
    HELD_OUT_FOLD,
    CorpusError,
    Sentence,
    corpus_sentences,
    read_tokens,
)

ANERCORP_FILE = "ANERcorp_train.txt"
# Each corpus's folder under the shared data folder.
FOLDERS = {"newsfane": "newsfane", "anercorp": "anercorp", "aqmar": "aqmar", "wojood": "wojood_sample"}
NAMES = tuple(FOLDERS)

# Each corpus's tags, mapped to the four types; anything else is no entity.
_TYPES = {
    # ANERcorp tags the four types by camel-tools' names.
    "anercorp": {"PERS": "PERS", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"},
    # AQMAR: PER is PERS; its MIS0–MIS3 are article-specific classes (an
    # operating system, a chemical element, a battle), not one consistent
    # type, and are read as no entity.
    "aqmar": {"PER": "PERS", "LOC": "LOC", "ORG": "ORG"},
    # Wojood: GPE and LOC are places; NORP, OCC, DATE, FAC and the other 16 are none of the four.
    "wojood": {"PERS": "PERS", "GPE": "LOC", "LOC": "LOC", "ORG": "ORG"},
}
# The corpora the shipped model trains on, chosen by cross-validation (README): ANERcorp and
# AQMAR. NewsFANE is ANERcorp's text under other conventions (the news test follows
# ANERcorp's); Wojood's sample moved the folds both ways. All four are read, so that no
# training sentence shares text with any held-out one, and all four are scored.
TRAINED = ("anercorp", "aqmar")
# Where ANERcorp and NewsFANE share text, which annotation is trained on:
# "anercorp" (its conventions are camel-tools' and the news test's: NewsFANE's
# copy is left out), "both", or "newsfane". Chosen by cross-validation (README).
NEWSFANE_SHARED = "anercorp"
# A run of this many folded words in common makes two sentences "share text".
SHINGLE = 6
# Sentences of one corpus a document offset leaves room for (documents of different corpora never mix).
_DOCUMENTS_APART = 1_000_000


def corpus_path(data_dir: Path, name: str) -> Path:
    return Path(data_dir) / FOLDERS[name]


def _tag(raw: str, types: dict[str, str]) -> tuple[str | None, bool]:
    """A corpus tag as (type or None, begins a span)."""
    raw = raw.strip().strip("`")
    if raw in ("O", "OO", "IO", "") or "-" not in raw:
        return None, False
    head, _, kind = raw.partition("-")
    kind = kind.strip("-")
    return types.get(kind), head == "B"


def tagged_sentence(
    index: int, tokens: list[tuple[str, str]], types: dict[str, str], known: dict[str, int] | None = None, **where
) -> Sentence:
    """A sentence of words as written, each tagged whole (`وأنقرة` B-LOC): the page text is the
    words joined by spaces, and each span starts after its first word's proclitics."""
    from .features import proclitic_length, stem_of

    words, labels, stems, spans = [], [], [], []
    cursor = 0
    previous = None
    for token, raw in tokens:
        start, end = cursor, cursor + len(token)
        words.append((token, start, end))
        stems.append(stem_of(normalize(token), known) if normalize(token) else token)
        kind, begins = _tag(raw, types)
        if kind is None:
            labels.append("O")
        elif begins or previous != kind:
            labels.append("B-" + kind)
            folded, offsets = normalize_with_offsets(token)
            skipped = proclitic_length(folded, known) if folded else 0
            spans.append([start + (offsets[skipped] if skipped and skipped < len(offsets) else 0), end, kind])
        else:
            labels.append("I-" + kind)
            spans[-1][1] = end
        previous = kind
        cursor = end + 1
    text = " ".join(token for token, _ in tokens)
    return Sentence(
        index=index,
        text=text,
        words=words,
        labels=labels,
        stems=stems,
        spans=[tuple(span) for span in spans],
        **where,
    )


def _blocks(
    name: str, tokens: list[list[tuple[str, str]]], known, *, start: int = 0, held_out: bool = False, every: int = 5
):
    """Sentences in blocks of 50: with `every` 5, every fifth block held out and the others the
    four folds; with 4, the blocks make the four folds and nothing is held out."""
    sentences = []
    for offset, sentence in enumerate(tokens):
        index = start + offset
        fold = HELD_OUT_FOLD if held_out else (index // BLOCK) % every
        sentences.append(
            tagged_sentence(index, sentence, _TYPES[name], known, corpus=name, fold=fold, document=index // BLOCK)
        )
    return sentences


def anercorp_sentences(path: Path, known: dict[str, int] | None = None) -> list[Sentence]:
    path = Path(path)
    if path.is_dir():
        path = path / ANERCORP_FILE
    if not path.is_file():
        raise CorpusError(f"no ANERcorp file at {path} (expected {ANERCORP_FILE}, token SPACE tag per line)")
    return _blocks("anercorp", read_tokens(path), known)


AQMAR_HELD_OUT_EVERY = 5


def aqmar_sentences(folder: Path, known: dict[str, int] | None = None) -> list[Sentence]:
    """AQMAR's articles in name order; every fifth is held out, each is one document."""
    files = sorted(path for path in Path(folder).glob("*.txt"))
    if not files:
        raise CorpusError(f"no AQMAR article (*.txt) in {folder}")
    sentences = []
    for number, path in enumerate(files):
        fold = number % AQMAR_HELD_OUT_EVERY
        for tokens in read_tokens(path, strict=False):
            sentences.append(
                tagged_sentence(
                    len(sentences), tokens, _TYPES["aqmar"], known, corpus="aqmar", fold=fold, document=number
                )
            )
    return sentences


def wojood_sentences(folder: Path, known: dict[str, int] | None = None) -> list[Sentence]:
    """Wojood's train and val files in blocks of 50 making the four folds, its test file held out whole."""
    folder = Path(folder)
    missing = [name for name in ("train.txt", "val.txt", "test.txt") if not (folder / name).is_file()]
    if missing:
        raise CorpusError(f"no Wojood sample in {folder} (missing {', '.join(missing)})")
    training = read_tokens(folder / "train.txt") + read_tokens(folder / "val.txt")
    sentences = _blocks("wojood", training, known, every=HELD_OUT_EVERY - 1)
    # The test file starts at a block boundary, so its blocks are documents of their own.
    start = -(-len(sentences) // BLOCK) * BLOCK
    return sentences + _blocks("wojood", read_tokens(folder / "test.txt"), known, start=start, held_out=True)


def newsfane_known(sentences: list[Sentence]) -> dict[str, int]:
    """NewsFANE's clitic-free forms and their counts: a segmented corpus tells the other
    corpora's readers which proclitic readings are real."""
    known: dict[str, int] = {}
    for sentence in sentences:
        for stem in sentence.stems:
            folded = normalize(stem)
            known[folded] = known.get(folded, 0) + 1
    return known


def read_corpora(data_dir: Path, names: tuple[str, ...] = NAMES) -> dict[str, list[Sentence]]:
    """The named corpora from the shared data folder, each sentence with a unique index and document."""
    data_dir = Path(data_dir)
    found: dict[str, list[Sentence]] = {}
    known: dict[str, int] | None = None
    newsfane = corpus_path(data_dir, "newsfane")
    if "newsfane" in names or newsfane.exists():
        try:
            found["newsfane"] = corpus_sentences(newsfane)
        except CorpusError:
            if "newsfane" in names:
                raise
        if "newsfane" in found:
            known = newsfane_known(found["newsfane"])
    readers = {"anercorp": anercorp_sentences, "aqmar": aqmar_sentences, "wojood": wojood_sentences}
    for name in names:
        if name != "newsfane":
            found[name] = readers[name](corpus_path(data_dir, name), known)
    if "anercorp" in found and "newsfane" in found:
        aligned_folds(found["anercorp"], found["newsfane"])
    found = {name: found[name] for name in names}
    return renumbered(found)


def renumbered(corpora: dict[str, list[Sentence]]) -> dict[str, list[Sentence]]:
    """Give every sentence of every corpus a unique index and document, keeping folds and blocks.

    Offsets are multiples of 250 sentences, so a block of 50 stays a block."""
    offset = 0
    for number, (name, sentences) in enumerate(corpora.items(), 1):
        for sentence in sentences:
            sentence.corpus = name
            sentence.index += offset
            sentence.document += number * _DOCUMENTS_APART
        last = max((s.index for s in sentences), default=offset)
        offset = -(-(last + 1) // (BLOCK * HELD_OUT_EVERY)) * BLOCK * HELD_OUT_EVERY
    return corpora


# --- Sentences shared between corpora ---------------------------------------------------

_LETTERS = re.compile(r"[^\u0621-\u064a0-9A-Za-z]+")
_LETTERS_ONLY = re.compile(r"[\u0621-\u064aA-Za-z]")


def shingles(text: str) -> set[tuple[str, ...]]:
    """Runs of SHINGLE folded words (letters and digits only): text two copies of a sentence share
    however each corpus cut its clitics and punctuation (a run of a short sentence: the whole)."""
    words = [word for word in _LETTERS.sub(" ", normalize(text)).split() if word]
    if len(words) <= SHINGLE:
        return {tuple(words)} if len(words) >= 3 else set()
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def aligned_folds(sentences: list[Sentence], reference: list[Sentence]) -> None:
    """Give each sentence the fold of the `reference` sentence it shares most words with, or the
    held-out fold if it shares any run of words with a held-out one (in place)."""
    from collections import Counter

    by_shingle: dict[tuple[str, ...], set[int]] = {}
    for other in reference:
        for shingle in shingles(other.text):
            by_shingle.setdefault(shingle, set()).add(other.index)
    folds = {other.index: other.fold for other in reference}
    for sentence in sentences:
        hits = Counter(index for shingle in shingles(sentence.text) for index in by_shingle.get(shingle, ()))
        if not hits:
            continue
        if any(folds[index] == HELD_OUT_FOLD for index in hits):
            sentence.fold = HELD_OUT_FOLD
        else:
            sentence.fold = folds[hits.most_common(1)[0][0]]


def sharing(sentences: list[Sentence], others: list[Sentence]) -> set[int]:
    """The indexes of `sentences` that share a run of words with any of `others`."""
    seen = set()
    for other in others:
        seen |= shingles(other.text)
    return {s.index for s in sentences if shingles(s.text) & seen}


def training_part(
    corpora: dict[str, list[Sentence]],
    *,
    fold: int | None = None,
    shared: str = NEWSFANE_SHARED,
    held_out_too: bool = False,
) -> tuple[list[Sentence], list[Sentence]]:
    """(training sentences, scored sentences): the held-out part is scored, or, with `fold`, that
    cross-validation fold is, and the held-out part is left out of both.

    Never trained on: the scored sentences, the held-out part, and any
    sentence sharing a run of words with either, in any corpus (news repeats
    its stories: a held-out sentence's twin in a training block would score
    a memory, not a model). Where NewsFANE and ANERcorp share text, `shared`
    says which copy is trained on.

    `held_out_too`: the final fit, once the settings are chosen: every
    sentence is trained on, the held-out parts too, and nothing is scored.
    The committed model is trained so; its held-out figures are those of the
    same training without them.
    """
    every = [s for sentences in corpora.values() for s in sentences]
    if held_out_too:
        if fold is not None:
            raise ValueError("a cross-validation fold is scored: it cannot be trained on")
        candidates, scored, excluded = every, [], set()
    else:
        target = HELD_OUT_FOLD if fold is None else fold
        scored = [s for s in every if s.fold == target]
        unseen = [s for s in every if s.fold in (target, HELD_OUT_FOLD)]
        candidates = [s for s in every if s.fold not in (target, HELD_OUT_FOLD)]
        excluded = sharing(candidates, unseen)
    # A sentence without a letter (a lone full stop) teaches nothing, and is word for word one of
    # every corpus's held-out sentences.
    excluded |= {s.index for s in candidates if not _LETTERS_ONLY.search(s.text)}
    if "newsfane" in corpora and "anercorp" in corpora and shared != "both":
        drop, keep = ("newsfane", "anercorp") if shared == "anercorp" else ("anercorp", "newsfane")
        excluded |= sharing([s for s in candidates if s.corpus == drop], corpora[keep])
    return [s for s in candidates if s.index not in excluded], scored


# --- Editors' decisions as training sentences --------------------------------------------

KEEP, REJECT, SUGGESTED = "keep", "reject", "suggested"
# How many times each sentence an editor decided on is trained on: a few hundred
# decisions among some five thousand corpus sentences would otherwise barely move
# the model. Not tuned: bench/editor_learning.py --weight N compares other values.
EDITOR_WEIGHT = 3


def decided_sentences(
    documents: list[list[tuple[str, list[tuple[int, int, str, str]]]]],
    *,
    start_index: int,
    known: dict[str, int] | None = None,
    weight: int = EDITOR_WEIGHT,
    encyclopedic: Sequence[bool] = (),
) -> list[Sentence]:
    """Training sentences from editors' decisions.

    `documents` are articles, each a list of segments (text, spans), a span
    being (start, end, label, decision): `keep` (confirmed or added by an
    editor), `reject`, or `suggested` (a machine's, undecided). Every
    sentence holding a decision becomes a training sentence: kept and
    suggested spans are its names, a rejected span is text outside any name.
    Each sentence is repeated `weight` times, each repeat in its own copy of
    the article's document: the document pass learns from what the rest of
    a document said of a word, and a sentence's twin there would tell it
    the sentence's own reading.
    `encyclopedic[i]`: whether recognition read the i-th document as an
    encyclopedia article; its sentences then teach the encyclopedic weights
    (`arabic.ner.genre`), the others (and those not said) the news ones.
    """
    from ..tokens import tokens_with_offsets
    from .features import stem_of
    from .genre import EDITED_ENCYCLOPEDIAS, EDITED_NEWS

    if encyclopedic and len(encyclopedic) != len(documents):
        raise ValueError(f"{len(encyclopedic)} kinds for {len(documents)} documents")
    sentences: list[Sentence] = []
    index = start_index
    for number, segments in enumerate(documents):
        corpus = EDITED_ENCYCLOPEDIAS if encyclopedic and encyclopedic[number] else EDITED_NEWS
        for text, spans in segments:
            for words in tokens_with_offsets(text):
                low, high = words[0][1], words[-1][2]
                inside = [span for span in spans if low <= span[0] and span[1] <= high]
                if not any(decision != SUGGESTED for *_, decision in inside):
                    continue
                named = sorted(
                    (start, end, label)
                    for start, end, label, decision in inside
                    if decision in (KEEP, SUGGESTED) and label in ("PERS", "LOC", "ORG", "MISC")
                )
                labels = ["O"] * len(words)
                for start, end, label in named:
                    covered = [
                        i for i, (_, word_start, word_end) in enumerate(words) if word_start < end and start < word_end
                    ]
                    for position, word in enumerate(covered):
                        labels[word] = ("B-" if position == 0 else "I-") + label
                for repeat in range(weight):
                    sentences.append(
                        Sentence(
                            index=index,
                            text=text[low:high],
                            words=[(word, start - low, end - low) for word, start, end in words],
                            spans=[(start - low, end - low, label) for start, end, label in named],
                            labels=list(labels),
                            stems=[stem_of(normalize(word), known) or word for word, _, _ in words],
                            corpus=corpus,
                            fold=number % (HELD_OUT_EVERY - 1),
                            document=_DOCUMENTS_APART * (100 + repeat) + number,
                        )
                    )
                    index += 1
    return sentences
