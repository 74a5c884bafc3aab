"""Scoring recognisers on the corpus's held-out part, as the README reports them.

Exact span and type over the text as a page writes it (clitics joined, spans
without the proclitic): a mention counts only when its start, end and type
are all right, except that a name with or without its one- or two-letter
proclitic is the same name (`وأنقرة` as a corpus that tags words whole
writes it, `أنقرة` as our spans start), as the independent tests count.
Precision, recall and F1 per type; micro scores over PERS,
LOC and ORG, with MISC reported apart (the gazetteer knows no MISC and
camel-tools' convention tags few). Sentences are read in their documents
(`Sentence.document`), as the shipped model was trained.
"""

from collections import Counter
from dataclasses import dataclass, field

from ..clitics import PREFIXES
from ..text import normalize
from ..tokens import tokens_with_offsets
from .corpus import Sentence
from .pipeline import resolve, texts_candidates

MAIN_TYPES = ("PERS", "LOC", "ORG")


@dataclass
class Scores:
    name: str
    sentences: int = 0
    true: Counter = field(default_factory=Counter)
    false_pos: Counter = field(default_factory=Counter)
    false_neg: Counter = field(default_factory=Counter)
    # Documents the shipped model read as encyclopedia articles, and all documents (None: no shipped model).
    encyclopedic: tuple[int, int] | None = None

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
        if self.encyclopedic is not None:
            lines.append(f"  read as encyclopedia articles: {self.encyclopedic[0]} of {self.encyclopedic[1]} documents")
        return lines


def recognizers_score(*, name: str, sentences: list[Sentence], gazetteer, types, model=None, shipped=None) -> Scores:
    """Run the recognisers as article recognition does (same precedence) and score them."""
    scores = Scores(name=name, sentences=len(sentences))
    found, read = recognized(sentences, gazetteer=gazetteer, types=types, model=model, shipped=shipped)
    if shipped is not None:
        scores.encyclopedic = (sum(read), len(read))
    for sentence, predicted in found:
        spans_score(scores, sentence.text, sentence.spans, predicted)
    return scores


def recognized(
    sentences: list[Sentence], *, gazetteer, types, model=None, shipped=None
) -> tuple[list[tuple[Sentence, list[tuple[int, int, str]]]], list[bool]]:
    """Each sentence with the spans recognition gives it, in document order, and for each document
    whether the shipped model read it as an encyclopedia article.

    Each sentence's document (an article, or where a corpus marks none a block
    of 50 consecutive sentences) is read together, as in training and as an
    article's paragraphs are."""
    documents: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        documents.setdefault(sentence.document, []).append(sentence)
    candidates, read = [], []
    for members in documents.values():
        texts = [s.text for s in members]
        per_text = [tokens_with_offsets(text) for text in texts]
        # Judged once, as recognition judges an article.
        encyclopedic = None
        if shipped is not None:
            encyclopedic = shipped.encyclopedic([[word for word, _, _ in words] for part in per_text for words in part])
            read.append(encyclopedic)
        candidates += texts_candidates(
            texts,
            gazetteer=gazetteer,
            types=types,
            model=model,
            shipped=shipped,
            per_text=per_text,
            encyclopedic=encyclopedic,
        )
    ordered = [s for members in documents.values() for s in members]
    return [
        (sentence, [(c.start, c.end, c.label) for c in resolve(found, [])])
        for sentence, found in zip(ordered, candidates, strict=True)
    ], read


# What may stand before a name and still be the same name: one or two letters
# of conjunction and preposition (و ب ل وب فل…), never the article.
_PROCLITICS = frozenset(prefix for prefix in PREFIXES if len(prefix) <= 2 and "ال" not in prefix)


def same_name(text: str, one: tuple[int, int, str], other: tuple[int, int, str]) -> bool:
    """Whether two spans are the same name: the same end and type, and starts apart by at most a proclitic."""
    if one[1:] != other[1:]:
        return False
    low, high = sorted((one[0], other[0]))
    return low == high or (normalize(text[low:high]) in _PROCLITICS and high < one[1])


def spans_score(scores: "Scores", text: str, gold: list, predicted: list) -> None:
    """Count true and false spans of one text into `scores` (each gold span matched once)."""
    unmatched = list(dict.fromkeys(gold))
    for span in dict.fromkeys(predicted):
        match = next((g for g in unmatched if same_name(text, g, span)), None)
        if match is None:
            scores.false_pos[span[2]] += 1
        else:
            unmatched.remove(match)
            scores.true[span[2]] += 1
    for span in unmatched:
        scores.false_neg[span[2]] += 1


def fold_score(*, sentences: list[Sentence], fold: int, folder) -> list[Scores]:
    """Cross-validation on the training blocks: train on all but `fold`, score on `fold`.

    Blocks of 50 sentences whose number modulo 5 is `fold` (0–3; 4 is the
    held-out part, never touched here) are scored; the rest of the training
    blocks train a model in `folder`, with the seed gazetteer as `train_ner`
    uses it. Scored as recognition runs; with a document pass
    (`crf.DOCUMENT_PASS`), the first pass alone and both passes, so a setting
    is chosen without looking at the held-out part.
    """
    from pathlib import Path

    from . import crf
    from .corpus import HELD_OUT_EVERY
    from .pipeline import gazetteer_candidates, seed_gazetteer

    if not 0 <= fold < HELD_OUT_EVERY - 1:
        raise ValueError(f"fold {fold}: choose 0–{HELD_OUT_EVERY - 2} (fold {HELD_OUT_EVERY - 1} is the held-out part)")
    training = [s for s in sentences if not s.held_out and s.fold != fold]
    scored = [s for s in sentences if s.fold == fold]
    gazetteer, types = seed_gazetteer()

    def gazetteer_spans(text):
        return [(c.start, c.end, c.label) for c in gazetteer_candidates(text, gazetteer, types)]

    path = Path(folder) / "fold.model"
    crf.crf_train(sentences=training, gazetteer_spans=gazetteer_spans, output=path)
    model = crf.ShippedNER(path)
    if model.second is None:  # no document pass (`crf.DOCUMENT_PASS`): one run says it all
        return [
            recognizers_score(
                name=f"fold {fold}: as recognition runs",
                sentences=scored,
                gazetteer=gazetteer,
                types=types,
                shipped=model,
            )
        ]
    both = recognizers_score(
        name=f"fold {fold}: both passes", sentences=scored, gazetteer=gazetteer, types=types, shipped=model
    )
    model.second = None
    first = recognizers_score(
        name=f"fold {fold}: first pass alone", sentences=scored, gazetteer=gazetteer, types=types, shipped=model
    )
    return [first, both]


def corpora_fold_score(
    *,
    corpora: dict,
    fold: int | None,
    folder,
    shared: str | None = None,
    first_pass_only: bool = False,
    train_on: tuple[str, ...] | None = None,
) -> dict[str, list["Scores"]]:
    """Train on the corpora's training part but `fold` (0–3) and score each corpus's `fold`, first
    pass alone and both passes; with `fold` None, train on every training fold and score the
    held-out part (the shipped model's training with the held-out parts set aside). `corpora` as
    `corpora.read_corpora` gives them."""
    from pathlib import Path

    from . import crf, pipeline
    from .corpora import NEWSFANE_SHARED, newsfane_known, training_part
    from .pipeline import gazetteer_candidates, seed_gazetteer

    training, scored = training_part(corpora, fold=fold, shared=shared or NEWSFANE_SHARED)
    if train_on is not None:
        training = [s for s in training if s.corpus in train_on]
    gazetteer, types = seed_gazetteer()

    def gazetteer_spans(text):
        return [(c.start, c.end, c.label) for c in gazetteer_candidates(text, gazetteer, types)]

    path = Path(folder) / "fold.model"
    document_pass = crf.DOCUMENT_PASS
    crf.DOCUMENT_PASS = document_pass and not first_pass_only
    try:
        known = newsfane_known(corpora["newsfane"]) if "newsfane" in corpora else None
        crf.crf_train(sentences=training, gazetteer_spans=gazetteer_spans, output=path, known=known)
    finally:
        crf.DOCUMENT_PASS = document_pass
    model = crf.ShippedNER(path)
    results: dict[str, list[Scores]] = {}
    label = "held-out part" if fold is None else f"fold {fold}"
    second = model.second
    # The runs, each (name, document pass, the surname rule): the last is what recognition does.
    variants = [("first pass alone", False, False)]
    if second is not None:
        variants += [("both passes, no surname rule", True, False), ("both passes", True, True)]
    else:
        variants += [("first pass and the surname rule", False, True)]
    surnames = pipeline.SURNAMES_AGAIN
    try:
        for name in corpora:
            mine = [s for s in scored if s.corpus == name]
            runs = []
            for variant, document, rule in variants:
                model.second = second if document else None
                pipeline.SURNAMES_AGAIN = rule
                runs.append(
                    recognizers_score(
                        name=f"{name}, {label}: {variant}",
                        sentences=mine,
                        gazetteer=gazetteer,
                        types=types,
                        shipped=model,
                    )
                )
            results[name] = runs
    finally:
        model.second, pipeline.SURNAMES_AGAIN = second, surnames
    return results
