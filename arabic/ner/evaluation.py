"""Scoring recognisers on the corpus's held-out part, as the README reports them.

Exact span and type over the text as a page writes it (clitics joined, spans
without the proclitic): a mention counts only when its start, end and type
are all right. Precision, recall and F1 per type; micro scores over PERS,
LOC and ORG, with MISC reported apart (the gazetteer knows no MISC and
camel-tools' convention tags few). Sentences are read in documents of
`crf.DOCUMENT` consecutive sentences, as the shipped model was trained.
"""

from collections import Counter
from dataclasses import dataclass, field

from .corpus import Sentence
from .crf import DOCUMENT
from .pipeline import resolve, texts_candidates

MAIN_TYPES = ("PERS", "LOC", "ORG")


@dataclass
class Scores:
    name: str
    sentences: int = 0
    true: Counter = field(default_factory=Counter)
    false_pos: Counter = field(default_factory=Counter)
    false_neg: Counter = field(default_factory=Counter)

    def row(self, types: tuple[str, ...]) -> tuple[float, float, float, int]:
        tp = sum(self.true[t] for t in types)
        fp = sum(self.false_pos[t] for t in types)
        fn = sum(self.false_neg[t] for t in types)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return 100 * precision, 100 * recall, 100 * f1, tp + fn

    def table(self) -> list[str]:
        lines = [f"{self.name} ({self.sentences} sentences)", "  type     P      R      F1   gold"]
        for label, types in [*((t, (t,)) for t in MAIN_TYPES), ("micro", MAIN_TYPES), ("MISC", ("MISC",))]:
            precision, recall, f1, gold = self.row(types)
            lines.append(f"  {label:5} {precision:6.1f} {recall:6.1f} {f1:6.1f} {gold:6d}")
        return lines


def recognizers_score(*, name: str, sentences: list[Sentence], gazetteer, types, model=None, shipped=None) -> Scores:
    """Run the recognisers as article recognition does (same precedence) and score them."""
    scores = Scores(name=name, sentences=len(sentences))
    # The corpus marks no article boundaries: runs of consecutive sentences
    # stand for documents, as in training (`crf.DOCUMENT`).
    documents: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        documents.setdefault(sentence.index // DOCUMENT, []).append(sentence)
    candidates = []
    for members in documents.values():
        candidates += texts_candidates(
            [s.text for s in members], gazetteer=gazetteer, types=types, model=model, shipped=shipped
        )
    sentences = [s for members in documents.values() for s in members]
    for sentence, found in zip(sentences, candidates, strict=True):
        gold = set(sentence.spans)
        predicted = {(c.start, c.end, c.label) for c in resolve(found, [])}
        for *_, label in predicted & gold:
            scores.true[label] += 1
        for *_, label in predicted - gold:
            scores.false_pos[label] += 1
        for *_, label in gold - predicted:
            scores.false_neg[label] += 1
    return scores


def fold_score(*, sentences: list[Sentence], fold: int, folder) -> list[Scores]:
    """Cross-validation on the training blocks: train on all but `fold`, score on `fold`.

    Blocks of 50 sentences whose number modulo 5 is `fold` (0–3; 4 is the
    held-out part, never touched here) are scored; the rest of the training
    blocks train a model in `folder`, with the seed gazetteer as `train_ner`
    uses it. The first pass alone and both passes are scored, so a setting
    is chosen without looking at the held-out part.
    """
    from pathlib import Path

    from . import crf
    from .corpus import BLOCK, HELD_OUT_EVERY
    from .pipeline import gazetteer_candidates, seed_gazetteer

    if not 0 <= fold < HELD_OUT_EVERY - 1:
        raise ValueError(f"fold {fold}: choose 0–{HELD_OUT_EVERY - 2} (fold {HELD_OUT_EVERY - 1} is the held-out part)")
    training = [s for s in sentences if not s.held_out and (s.index // BLOCK) % HELD_OUT_EVERY != fold]
    scored = [s for s in sentences if (s.index // BLOCK) % HELD_OUT_EVERY == fold]
    gazetteer, types = seed_gazetteer()

    def gazetteer_spans(text):
        return [(c.start, c.end, c.label) for c in gazetteer_candidates(text, gazetteer, types)]

    path = Path(folder) / "fold.model"
    crf.crf_train(sentences=training, gazetteer_spans=gazetteer_spans, output=path)
    model = crf.ShippedNER(path)
    both = recognizers_score(
        name=f"fold {fold}: both passes", sentences=scored, gazetteer=gazetteer, types=types, shipped=model
    )
    model.second = None
    first = recognizers_score(
        name=f"fold {fold}: first pass alone", sentences=scored, gazetteer=gazetteer, types=types, shipped=model
    )
    return [first, both]
