"""The NER model the project ships: a CRF trained on NewsFANE, run offline.

camel-tools' BERT model is better when it can be downloaded; this one needs
nothing but python-crfsuite and a file of a few MB committed beside this
module (`data/ner-crf.model`, CC BY-SA 3.0 like the corpus it was trained
on, see `data/LICENSE-model.md`), with the stems seen in training beside it
(`ner-crf.stems.json`), which tell a proclitic from a name's first letter
(`وقال` is و + قال, `بغداد` is a name).

It tags words B-/I-/O for PERS, LOC, ORG and MISC from the features of
`features.py`, the project's gazetteer among them. A span starts after its
first word's proclitics, as the gazetteer's do, and carries a confidence:
the lowest marginal probability of its words' labels.
"""

import json
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from ..arabic import normalize, normalize_with_offsets
from .corpus import BLOCK
from .features import Featurizer, proclitic_length

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
            skipped = proclitic_length(folded, featurizer.known) if folded else 0
            if skipped and skipped < len(offsets):
                start += offsets[skipped]
            spans.append([start, end, kind, confidence])
        previous = kind
    return [Span(start, end, kind, round(confidence, 3)) for start, end, kind, confidence in spans]


class ShippedNER:
    """The trained CRF, ready to tag sentences of page words."""

    def __init__(self, model_path: Path):
        import pycrfsuite

        self.path = Path(model_path)
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(self.path))
        vocabulary = json.loads(stems_path(self.path).read_text(encoding="utf-8"))
        self.featurizer = Featurizer(vocabulary["stems"], vocabulary["lexicon"])
        self._lock = threading.Lock()  # a Tagger holds one sequence at a time

    def tag(self, words: list[tuple[str, int, int]], gazetteer: list[str]) -> list[Span]:
        """Spans in one sentence of (word, start, end), given the gazetteer's tag of each word."""
        if not words:
            return []
        features = self.featurizer.sentence([word for word, _, _ in words], gazetteer)
        with self._lock:
            self.tagger.set(features)
            labels = self.tagger.tag()
            confidences = [
                self.tagger.marginal(label, index) if label != "O" else 1.0 for index, label in enumerate(labels)
            ]
        return spans_from_labels(words, labels, confidences, self.featurizer)


_load_lock = threading.Lock()


@lru_cache(maxsize=4)
def _load(path: str) -> ShippedNER:
    logger.info("loading the shipped NER model from %s", path)
    return ShippedNER(Path(path))


def model_path() -> Path | None:
    path = Path(settings.CRF_MODEL_PATH)
    return path if path.is_file() and stems_path(path).is_file() else None


def load_model(path: Path | None = None) -> ShippedNER | None:
    """The shipped model, loaded once per process, or None when turned off or missing."""
    if not settings.CRF_MODEL_ENABLED:
        return None
    path = path or model_path()
    if path is None:
        return None
    with _load_lock:
        return _load(str(path))


def status() -> str:
    """One line for people: is the shipped model used, and if not, why."""
    if not settings.CRF_MODEL_ENABLED:
        return "shipped NER model: turned off (CRF_MODEL_ENABLED=0)"
    if model_path() is None:
        return f"shipped NER model: no model at {settings.CRF_MODEL_PATH} (rebuild it with `manage.py train_ner`)"
    return f"shipped NER model: {settings.CRF_MODEL_PATH}"


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


def crf_train(*, sentences, gazetteer_spans, output: Path, max_iterations: int | None = None) -> TrainingSummary:
    """Train the CRF on `sentences` (corpus.Sentence) and write the model and its stems to `output`.

    `gazetteer_spans(text)` gives the gazetteer's (start, end, type) in a
    sentence; the model learns how far to trust it.
    """
    import pycrfsuite

    started = time.perf_counter()
    known = stem_counts(sentences)
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    words = 0

    # Each fold's sentences see a lexicon built from the other folds only: a
    # sentence's own names never describe it, as they will not at run time.
    # Folds are blocks of 50 sentences, so a story's names stay in one fold.
    def fold_of(sentence):
        return (sentence.index // BLOCK) % FOLDS

    for fold in range(FOLDS):
        featurizer = Featurizer(known, type_lexicon([s for s in sentences if fold_of(s) != fold]))
        for sentence in (s for s in sentences if fold_of(s) == fold):
            tags = gazetteer_tags(sentence.words, gazetteer_spans(sentence.text))
            trainer.append(featurizer.sentence([word for word, _, _ in sentence.words], tags), sentence.labels)
            words += len(sentence.words)
    parameters = dict(TRAINING)
    if max_iterations is not None:
        parameters["max_iterations"] = max_iterations
    trainer.set_params(parameters)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_suffix(".partial")
    trainer.train(str(temporary))
    vocabulary = {"stems": known, "lexicon": type_lexicon(sentences)}
    stems_path(output).write_text(json.dumps(vocabulary, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    temporary.replace(output)
    _load.cache_clear()

    written = pycrfsuite.Tagger()
    written.open(str(output))
    return TrainingSummary(
        sentences=len(sentences),
        words=words,
        features=len(written.info().state_features),
        labels=sorted(written.labels()),
        size_bytes=output.stat().st_size + stems_path(output).stat().st_size,
        seconds=time.perf_counter() - started,
    )
