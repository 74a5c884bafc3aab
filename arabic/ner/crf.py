"""The NER model the project ships: a CRF trained on the shared corpora, run offline.

camel-tools' BERT model is better when it can be downloaded; this one needs
nothing but python-crfsuite and files of a few MB committed beside this
module (`data/ner-crf.model`, CC BY-SA 4.0 like the corpora it was trained
on, see `data/LICENSE-model.md`), with the stems seen in training beside it
(`ner-crf.stems.json`), which tell a proclitic from a name's first letter
(`وقال` is و + قال, `بغداد` is a name), and the word lists of `wordlists.py`.

It tags words B-/I-/O for PERS, LOC, ORG and MISC from the features of
`features.py`, the project's gazetteer among them. A span starts after its
first word's proclitics, as the gazetteer's do, and carries a confidence:
the lowest marginal probability of its words' labels. A document that
reads as an encyclopedia article (`genre.py`, whose weights the stems file
also holds) is tagged with a second copy of every feature, which learnt
AQMAR's conventions apart from the news corpora's.

It can read a document (an article's segments) in two passes: the second
model (`ner-crf.doc.model`, when one was trained: `DOCUMENT_PASS`) sees what
the first said of the same words elsewhere in the document.
"""

import json
import logging
import lzma
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..text import normalize, normalize_with_offsets
from . import genre
from .corpus import fingerprint
from .features import Featurizer, document_features, proclitic_length
from .wordlists import FOREIGN_GIVEN_NAMES, person_names, word_lists  # noqa: F401 (the names tests and README use)

logger = logging.getLogger(__name__)

TYPES = ("PERS", "LOC", "ORG", "MISC")
# Training parameters; L-BFGS is deterministic, so the same corpus gives the same model.
# c1/c2 were chosen by cross-validation on the training blocks only (trained on
# three of their folds, scored on the fourth): 0.05/0.05 beat 0.1/0.01, 0.02/0.05,
# 0.05/0.2, 0/0.1 and 0.2/0.001.
TRAINING = {"c1": 0.05, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}
# Only stems seen this often are kept with the model (they decide clitic readings).
MIN_STEM_COUNT = 1
# Folds for the lexicon feature (see `crf_train`), and how often a word is seen to be common.
FOLDS = 5
COMMON = 5
# The document pass (see `ShippedNER`): whether to train it. Trained on ANERcorp and AQMAR
# it lost to the simpler surname rule (`pipeline.surname_candidates`) on cross-validation
# fold 3 (micro F1, ANERcorp / AQMAR: first pass and the rule 76.6 / 61.7, both passes and
# the rule 76.1 / 55.9: encyclopedia articles, read whole, suffered), so the shipped model
# has none; the code stays for a corpus where it pays.
DOCUMENT_PASS = False
# Whether encyclopedic documents (`genre`) get a copy of every feature: chosen by
# cross-validation (docs/entities.md, "Encyclopedias and news").
BY_GENRE = True
# How sure the genre model must be before a document is read as encyclopedic.
ENCYCLOPEDIC_AT = 0.8
# Fewer words than this are news; the genre model also learns from runs of GENRE_RUN sentences.
ENCYCLOPEDIC_WORDS = 150
GENRE_RUN = 15
DOCUMENT = 50
# Share of a form's uses in which another type counts in its lexicon entry (see `type_lexicon`).
ALSO_SHARE = 0.2


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    confidence: float


def stems_path(model_path: Path) -> Path:
    return Path(model_path).with_suffix(".stems.json")


def document_path(model_path: Path) -> Path:
    """The second-pass (document) model beside the first."""
    return Path(model_path).with_suffix(".doc.model")


def stored(path: Path) -> Path:
    """Where a model file is kept: xz-compressed, beside its name (a quarter of its size in the repository)."""
    path = Path(path)
    return path.with_name(path.name + ".xz")


def stored_read(path: Path) -> bytes:
    return lzma.decompress(stored(path).read_bytes())


def _store(raw: Path, path: Path) -> None:
    """Compress the file `raw` into `stored(path)` in one rename, and remove `raw`.
    The same bytes in give the same bytes out (xz writes no date)."""
    partial = stored(path).with_suffix(".partial")
    partial.write_bytes(lzma.compress(raw.read_bytes(), preset=9))
    partial.replace(stored(path))
    raw.unlink()


def gazetteer_tags(words: list[tuple[str, int, int]], matches: list[tuple[int, int, str]]) -> list[str]:
    """For each word: B-<type> where a gazetteer name starts, I-<type> inside one, else O."""
    tags = ["O"] * len(words)
    if not matches:
        return tags
    for start, end, kind in matches:
        for index, (_, word_start, word_end) in enumerate(words):
            if word_end <= start or word_start >= end:
                continue
            tags[index] = ("B-" if word_start <= start else "I-") + kind
    return tags


def spans_from_labels(
    words: list[tuple[str, int, int]], labels: list[str], confidences: list[float], featurizer: Featurizer
) -> list[Span]:
    """Character spans from word labels; a span starts after its first word's proclitics."""
    spans: list[list] = []
    previous = None
    for (word, start, end), label, confidence in zip(words, labels, confidences, strict=True):
        tag, _, kind = label.partition("-")
        if kind not in TYPES:
            previous = None
            continue
        if tag == "I" and previous == kind:
            spans[-1][1] = end
            spans[-1][3] = min(spans[-1][3], confidence)
        else:
            folded, offsets = normalize_with_offsets(word)
            # A listed given or family name keeps its first letter (ويليام is not و + يليام).
            skipped = proclitic_length(folded, featurizer.known) if folded and folded not in featurizer.names else 0
            if skipped and skipped < len(offsets):
                start += offsets[skipped]
            spans.append([start, end, kind, confidence])
        previous = kind
    return [Span(start, end, kind, round(confidence, 3)) for start, end, kind, confidence in spans]


class ShippedNER:
    """The trained CRF, ready to tag sentences of page words.

    With its document model beside it (`document_path`), it tags in two
    passes: the second reads what the first said of the same words elsewhere
    in the document.
    """

    def __init__(self, model_path: Path):
        import pycrfsuite

        self.path = Path(model_path)
        self.tagger = pycrfsuite.Tagger()
        # crfsuite reads a model in memory where it lies: the bytes are kept as long as the taggers.
        self._models = [stored_read(self.path)]
        self.tagger.open_inmemory(self._models[0])
        self.second = None
        if stored(document_path(self.path)).is_file():
            self._models.append(stored_read(document_path(self.path)))
            self.second = pycrfsuite.Tagger()
            self.second.open_inmemory(self._models[1])
        vocabulary = json.loads(stored_read(stems_path(self.path)))
        self.featurizer = featurizer_of(vocabulary)
        self.trained = frozenset(vocabulary.get("trained", ()))  # fingerprints of its training sentences
        self.genre = vocabulary.get("genre")  # absent: the model reads every document as news
        self._lock = threading.Lock()  # a Tagger holds one sequence at a time

    def tag(self, words: list[tuple[str, int, int]], gazetteer: list[str]) -> list[Span]:
        """Spans in one sentence of (word, start, end), given the gazetteer's tag of each word."""
        return self.tag_document([(words, gazetteer)])[0]

    def encyclopedic(self, texts: list[list[str]]) -> bool:
        """Whether a document (sentences of words) reads as an encyclopedia article, for this model.
        A document too short to tell is news, the reader's own kind."""
        return (
            bool(self.genre)
            and sum(map(len, texts)) >= ENCYCLOPEDIC_WORDS
            and genre.probability(self.genre, texts) >= ENCYCLOPEDIC_AT
        )

    def tag_document(
        self, sentences: list[tuple[list[tuple[str, int, int]], list[str]]], encyclopedic: bool | None = None
    ) -> list[list[Span]]:
        """Spans in each sentence of one document, given as (words, the gazetteer's tag of each word),
        read as an encyclopedia article or as news as `encyclopedic` says (None: as `encyclopedic()` judges)."""
        texts = [[word for word, _, _ in words] for words, _ in sentences]
        if encyclopedic is None:
            encyclopedic = self.encyclopedic(texts)
        rows = [
            self.featurizer.sentence(words, tags, encyclopedic) if words else []
            for words, (_, tags) in zip(texts, sentences, strict=True)
        ]
        with self._lock:
            tagger = self.tagger
            if self.second is not None:
                stems = [self.featurizer.stems(words) for words in texts]
                counts = Counter(stem for sentence in stems for stem in sentence)
                # The first pass matters only where a word recurs in the document; a
                # sentence whose recurring words are all plain common words is not
                # tagged: the first pass calls such words O (`Featurizer.plain`).
                labels = [
                    self.tagger.tag(row)
                    if any(
                        counts[stem] > 1 and not self.featurizer.plain(word)
                        for word, stem in zip(words, sentence, strict=True)
                    )
                    else ["O"] * len(row)
                    for row, words, sentence in zip(rows, texts, stems, strict=True)
                ]
                rows = stacked_rows(rows, labels, stems, [tags for _, tags in sentences])
                tagger = self.second
            results = []
            for (words, _), row in zip(sentences, rows, strict=True):
                if not words:
                    results.append([])
                    continue
                tagger.set(row)
                labels = tagger.tag()
                confidences = [
                    tagger.marginal(label, index) if label != "O" else 1.0 for index, label in enumerate(labels)
                ]
                results.append(spans_from_labels(words, labels, confidences, self.featurizer))
        return results


def stacked_rows(
    rows: list[list[list[str]]], labels: list[list[str]], stems: list[list[str]], gazetteer: list[list[str]]
) -> list[list[list[str]]]:
    """The second pass's features: the first pass's, and what the document said of the word elsewhere.

    `rows` (the first pass's features) are extended in place and returned.
    The word's own first-pass label is left out: given it, the second pass
    learnt to copy the first and lost organisations (cross-validation).
    """
    for sentence_rows, sentence_context in zip(rows, document_features(stems, labels, gazetteer), strict=True):
        for row, extra in zip(sentence_rows, sentence_context, strict=True):
            row += extra
    return rows


_load_lock = threading.Lock()


@lru_cache(maxsize=4)
def _load(path: str) -> ShippedNER:
    logger.info("loading the shipped NER model from %s", path)
    return ShippedNER(Path(path))


def model_files_exist(path: Path) -> bool:
    """Whether a model is stored at `path` (the model and its stems; the document model is optional)."""
    return stored(path).is_file() and stored(stems_path(path)).is_file()


def load(path: Path) -> ShippedNER:
    """The model at `path`, loaded once per process."""
    with _load_lock:
        return _load(str(path))


# --- Training -----------------------------------------------------------------------


@dataclass
class TrainingSummary:
    sentences: int
    words: int
    features: int
    labels: list[str]
    size_bytes: int
    seconds: float


def stem_counts(sentences) -> dict[str, int]:
    """How often each clitic-free token appears in the training sentences (folded)."""
    counts: dict[str, int] = {}
    for sentence in sentences:
        for stem in sentence.stems:
            folded = normalize(stem)
            counts[folded] = counts.get(folded, 0) + 1
    return {stem: count for stem, count in sorted(counts.items()) if count >= MIN_STEM_COUNT}


def type_lexicon(sentences) -> dict[str, str]:
    """The label (O, B-PERS, I-ORG…) each clitic-free form has most often in `sentences`.

    After a `|`, the other entity types the form had in at least a fifth of
    its uses (`نصر` is mostly "victory" and often a name: `O+|PERS`).
    """
    uses: dict[str, Counter] = {}
    for sentence in sentences:
        for stem, label in zip(sentence.stems, sentence.labels, strict=True):
            uses.setdefault(normalize(stem), Counter())[label] += 1
    # The label, and "+" when the form is common (seen five times or more).
    # A rare word seen only outside names says little ("الحية" is "the
    # snake" and a family name): it is left out, as an unseen word, and
    # context decides, unless it was a name in a fifth of its uses.
    lexicon = {}
    for stem, counter in sorted(uses.items()):
        label, total = counter.most_common(1)[0][0], sum(counter.values())
        shares = Counter()
        for other, count in counter.items():
            if other != "O":
                shares[other[2:]] += count
        also = sorted(kind for kind, count in shares.items() if count >= ALSO_SHARE * total and kind != label[2:])
        if label != "O" or total >= COMMON or also:
            lexicon[stem] = "|".join([label + ("+" if total >= COMMON else ""), *also])
    return lexicon


def featurizer_of(vocabulary: dict) -> Featurizer:
    """The featurizer a model's stored vocabulary describes."""
    return Featurizer(
        vocabulary["stems"],
        vocabulary["lexicon"],
        vocabulary.get("names"),
        vocabulary.get("freq"),
        vocabulary.get("people"),
    )


def _fold_of(sentence) -> int:
    # Folds are the corpora's own (blocks of 50 sentences, or whole articles),
    # so a story's names stay in one fold.
    return sentence.fold % FOLDS


def _document_of(sentence) -> int:
    return sentence.document


def _encyclopedic(sentence) -> bool:
    """Whether a training sentence is read with the encyclopedic copy of its features: its corpus
    says so (AQMAR's, and editors' decisions on articles recognition read as encyclopedias)."""
    return BY_GENRE and sentence.corpus in genre.ENCYCLOPEDIC_CORPORA


def genre_model(sentences) -> dict | None:
    """The genre model, trained on the training sentences' documents, whole and in runs of
    `GENRE_RUN` sentences (an article may be short); None without both kinds of text."""
    documents: dict[int, list] = {}
    for sentence in sentences:
        if sentence.corpus not in (genre.EDITED_NEWS, genre.EDITED_ENCYCLOPEDIAS):
            documents.setdefault(_document_of(sentence), []).append(sentence)
    texts, kinds = [], []
    for members in documents.values():
        words = [[word for word, _, _ in s.words] for s in members]
        pieces = [words]
        if len(words) > GENRE_RUN:
            pieces += [words[start : start + GENRE_RUN] for start in range(0, len(words), GENRE_RUN)]
        texts += pieces
        kinds += [_encyclopedic(members[0])] * len(pieces)
    if not BY_GENRE or all(kinds) or not any(kinds):
        return None
    return genre.train(texts, kinds)


def _first_pass_rows(
    sentences, tags: dict[int, list[str]], known: dict[str, int], stems: dict | None = None
) -> dict[int, list[list[str]]]:
    """The first pass's training features of each sentence, by sentence index.

    Each fold's sentences see a lexicon built from the other folds only: a
    sentence's own names never describe it, as they will not at run time.
    `stems`, when given, receives what the document pass matches each word on.
    """
    rows = {}
    for fold in sorted({_fold_of(s) for s in sentences}):
        featurizer = featurizer_of(
            {"stems": known, "lexicon": type_lexicon([s for s in sentences if _fold_of(s) != fold]), **word_lists()}
        )
        for sentence in (s for s in sentences if _fold_of(s) == fold):
            words = [word for word, _, _ in sentence.words]
            rows[sentence.index] = featurizer.sentence(words, tags[sentence.index], _encyclopedic(sentence))
            if stems is not None:
                stems[sentence.index] = featurizer.stems(words)
    return rows


def _fit(rows, labels, path: Path, parameters: dict) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for row, sentence_labels in zip(rows, labels, strict=True):
        trainer.append(row, sentence_labels)
    trainer.set_params(parameters)
    trainer.train(str(path))


def _first_pass_train(sentences, tags, path: Path, parameters: dict, known_more: dict | None = None) -> dict:
    """Train the first pass on `sentences` into `path`; return its vocabulary (stems and lexicon)."""
    known = stem_counts(sentences)
    for stem, count in (known_more or {}).items():
        known[stem] = known.get(stem, 0) + count
    known = dict(sorted(known.items()))
    rows = _first_pass_rows(sentences, tags, known)
    ordered = sorted(sentences, key=lambda s: (_fold_of(s), s.index))
    _fit([rows[s.index] for s in ordered], [s.labels for s in ordered], path, parameters)
    model = genre_model(sentences)
    return {
        "stems": known,
        "lexicon": type_lexicon(sentences),
        **word_lists(),
        **({"genre": model} if model else {}),
        # What it was trained on, so that scoring another corpus leaves those sentences out.
        "trained": sorted({fingerprint(s.text) for s in sentences}),
    }


def _out_of_fold_labels(
    sentences, tags, parameters: dict, folder: Path, known_more: dict | None = None
) -> dict[int, list[str]]:
    """First-pass labels of every sentence from a model trained without its fold (a jackknife).

    The second pass learns how far to trust the first on text the first has
    not seen, as at run time.
    """
    import pycrfsuite

    labels = {}
    for fold in sorted({_fold_of(s) for s in sentences}):
        inside = [s for s in sentences if _fold_of(s) == fold]
        rest = [s for s in sentences if _fold_of(s) != fold]
        path = folder / f"fold{fold}.model"
        vocabulary = _first_pass_train(rest, tags, path, parameters, known_more)
        featurizer = featurizer_of(vocabulary)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        for sentence in inside:
            labels[sentence.index] = tagger.tag(
                featurizer.sentence(
                    [word for word, _, _ in sentence.words], tags[sentence.index], _encyclopedic(sentence)
                )
            )
        tagger.close()
    return labels


def crf_train(
    *, sentences, gazetteer_spans, output: Path, max_iterations: int | None = None, known: dict | None = None
) -> TrainingSummary:
    """Train the CRF on `sentences` (corpus.Sentence) and write the model and its stems to `output`.

    `gazetteer_spans(text)` gives the gazetteer's (start, end, type) in a
    sentence; the model learns how far to trust it. With sentences from more
    than one fold, a second (document) model is trained on the first pass's
    out-of-fold labels, documents being runs of `DOCUMENT` consecutive
    sentences (the corpus marks no article boundaries). `known`: clitic-free
    forms and their counts from a segmented corpus (NewsFANE), added to the
    training sentences' own; they decide how a word's first letters are read
    (proclitic or name: `ويليام` is a name, `وقال` و + قال), in training and
    at run time alike.
    """
    import pycrfsuite

    started = time.perf_counter()
    parameters = dict(TRAINING)
    if max_iterations is not None:
        parameters["max_iterations"] = max_iterations
    tags = {s.index: gazetteer_tags(s.words, gazetteer_spans(s.text)) for s in sentences}
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_suffix(".partial")
    vocabulary = _first_pass_train(sentences, tags, temporary, parameters, known)

    second = document_path(output)
    if DOCUMENT_PASS and len({_fold_of(s) for s in sentences}) > 1:
        with tempfile.TemporaryDirectory(dir=output.parent) as folder:
            first = _out_of_fold_labels(sentences, tags, parameters, Path(folder), known)
        stems: dict[int, list[str]] = {}
        rows = _first_pass_rows(sentences, tags, vocabulary["stems"], stems)
        ordered, stacked = [], []
        for document in sorted({_document_of(s) for s in sentences}):
            members = [s for s in sentences if _document_of(s) == document]
            stacked += stacked_rows(
                [rows[s.index] for s in members],
                [first[s.index] for s in members],
                [stems[s.index] for s in members],
                [tags[s.index] for s in members],
            )
            ordered += members
        partial = second.with_suffix(".partial")
        _fit(stacked, [s.labels for s in ordered], partial, parameters)
        _store(partial, second)
    else:
        stored(second).unlink(missing_ok=True)
    vocabulary_file = stems_path(output).with_suffix(".partial")
    vocabulary_file.write_text(json.dumps(vocabulary, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    _store(vocabulary_file, stems_path(output))
    _store(temporary, output)
    _load.cache_clear()

    model = stored_read(output)
    written = pycrfsuite.Tagger()
    written.open_inmemory(model)
    size = sum(stored(path).stat().st_size for path in (output, stems_path(output), second) if stored(path).is_file())
    return TrainingSummary(
        sentences=len(sentences),
        words=sum(len(s.words) for s in sentences),
        features=len(written.info().state_features),
        labels=sorted(written.labels()),
        size_bytes=size,
        seconds=time.perf_counter() - started,
    )
