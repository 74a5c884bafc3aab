"""Recognising entities in an article: gazetteer and model, combined with
editors' decisions.

Precedence is editor, then gazetteer, then model; among candidates of the
same rank the longer span wins, then the earlier one, then the label in
alphabetical order, so overlaps are resolved the same way every time.
Recognition replaces only machine suggestions: a rejected span never comes
back, and a confirmed or editor-added mention is never dropped.
"""

import logging
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max

from ..models import Article, Entity, EntityType, Mention
from ..segments import article_segments
from . import camel
from .gazetteer import Gazetteer

logger = logging.getLogger(__name__)

PRECEDENCE = {Mention.Source.EDITOR: 0, Mention.Source.GAZETTEER: 1, Mention.Source.MODEL: 2}
_SENTENCE_END = re.compile(r"(?<=[.!?؟…])\s+")


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    label: str
    source: str
    score: float | None = None
    entity_id: int | None = None

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


# --- The gazetteer, built once per change of the entity table -------------------

_gazetteer_cache: dict = {}


def _entity_rank(source: str, key: str | None) -> tuple[int, int]:
    by_source = {"editor": 0, "curated": 1, "cldr": 2, "iso": 3}.get(source, 4)
    # Countries and regions before cities: a name both claim is the country's.
    return by_source, 1 if (key or "").startswith("city:") else 0


def current_gazetteer() -> tuple[Gazetteer, dict[int, str]]:
    """The trie of every entity's names, and each entity's type, rebuilt only after changes."""
    version = tuple(Entity.objects.aggregate(count=Count("id"), modified=Max("modified")).values())
    if _gazetteer_cache.get("version") != version:
        rows = sorted(
            Entity.objects.values_list("pk", "name_ar", "aliases", "type", "source", "key"),
            key=lambda row: (*_entity_rank(row[4], row[5]), row[0]),
        )
        gazetteer = Gazetteer()
        for pk, name, aliases, _type, _source, _key in rows:
            for alias in [name, *(aliases or [])]:
                gazetteer.add(alias, pk)
        _gazetteer_cache.update(version=version, gazetteer=gazetteer, types={row[0]: row[3] for row in rows})
    return _gazetteer_cache["gazetteer"], _gazetteer_cache["types"]


def gazetteer_candidates(text: str, gazetteer: Gazetteer, types: dict[int, str]) -> list[Candidate]:
    return [
        Candidate(m.start, m.end, types[m.entity_id], Mention.Source.GAZETTEER, 1.0, m.entity_id)
        for m in gazetteer.find(text)
    ]


# --- The model ------------------------------------------------------------------


def tokens_with_offsets(text: str) -> list[list[tuple[str, int, int]]]:
    """Sentences of (word, start, end), words as camel-tools' simple_word_tokenize cuts them."""
    from camel_tools.tokenizers.word import simple_word_tokenize

    sentences = []
    position = 0
    for sentence in _SENTENCE_END.split(text):
        words = []
        for word in simple_word_tokenize(sentence):
            start = text.find(word, position)
            if start < 0:  # the tokenizer changed the word; skip it rather than guess
                continue
            words.append((word, start, start + len(word)))
            position = start + len(word)
        if words:
            sentences.append(words)
    return sentences


def spans_from_bio(words: list[tuple[str, int, int]], labels: list[str]) -> list[tuple[int, int, str]]:
    """Character spans from per-word B-/I- labels; an I- after another type starts a span."""
    spans: list[list] = []
    previous = None
    for (_, start, end), label in zip(words, labels, strict=True):
        tag, _, kind = label.partition("-")
        if not kind or kind not in EntityType.values:
            previous = None
            continue
        if tag == "I" and previous == kind:
            spans[-1][1] = end
        else:
            spans.append([start, end, kind])
        previous = kind
    return [(start, end, kind) for start, end, kind in spans]


def model_candidates(texts: list[str], model: "camel.BatchedNER", batch_size: int = 32) -> list[list[Candidate]]:
    """Model mentions for each text, predicted in one batched run."""
    per_text = [tokens_with_offsets(text) for text in texts]
    sentences = [sentence for sentences in per_text for sentence in sentences]
    labels = model.predict([[word for word, _, _ in sentence] for sentence in sentences], batch_size=batch_size)
    results: list[list[Candidate]] = []
    cursor = 0
    for sentences_of_text in per_text:
        found = []
        for sentence in sentences_of_text:
            for start, end, kind in spans_from_bio(sentence, labels[cursor]):
                found.append(Candidate(start, end, kind, Mention.Source.MODEL))
            cursor += 1
        results.append(found)
    return results


# --- Combining ------------------------------------------------------------------


def resolve(candidates: list[Candidate], decisions: list[Mention]) -> list[Candidate]:
    """The machine candidates to keep beside the editors' decisions."""
    kept = [(m.start, m.end) for m in decisions if m.status != Mention.Status.REJECTED]
    rejected = {(m.start, m.end) for m in decisions if m.status == Mention.Status.REJECTED}
    chosen: list[Candidate] = []
    for candidate in sorted(
        candidates,
        key=lambda c: (PRECEDENCE[c.source], -(c.end - c.start), c.start, c.label, c.entity_id or 0),
    ):
        if (candidate.start, candidate.end) in rejected:
            continue
        if any(candidate.overlaps(start, end) for start, end in kept):
            continue
        if any(candidate.overlaps(other.start, other.end) for other in chosen):
            continue
        chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


@dataclass
class RecognitionSummary:
    recognizers: list[str] = field(default_factory=list)
    articles: int = 0
    suggested: int = 0
    kept_decisions: int = 0
    by_source: dict = field(default_factory=dict)

    def add(self, other: "RecognitionSummary") -> None:
        self.articles += other.articles
        self.suggested += other.suggested
        self.kept_decisions += other.kept_decisions
        for source, count in other.by_source.items():
            self.by_source[source] = self.by_source.get(source, 0) + count


def recognizers_available() -> tuple[list[str], "camel.BatchedNER | None"]:
    """Names of the recognisers that will run, and the model if it is one of them."""
    model = None
    try:
        model = camel.load_model()
    except Exception:  # noqa: BLE001 - a broken model must not stop the gazetteer
        logger.exception("the camel-tools NER model could not be loaded; using the gazetteer only")
    names = ["gazetteer"] + (["camel-tools model"] if model is not None else [])
    return names, model


@transaction.atomic
def article_recognize(*, article: Article, model: "camel.BatchedNER | None" = None) -> RecognitionSummary:
    """Replace the article's machine suggestions by a fresh recognition of every segment."""
    gazetteer, types = current_gazetteer()
    segments = article_segments(article)
    by_model = model_candidates([s.text for s in segments], model) if model else [[] for _ in segments]
    existing = list(Mention.objects.select_for_update(of=("self",)).filter(article=article).order_by("pk"))

    summary = RecognitionSummary(articles=1)
    to_create: list[Mention] = []
    to_delete: list[int] = []
    live_keys = {segment.key for segment in segments}
    to_delete += [m.pk for m in existing if m.segment_key not in live_keys and not m.is_editor_decision]
    for segment, model_found in zip(segments, by_model, strict=True):
        mine = [m for m in existing if m.segment_key == segment.key]
        decisions = [m for m in mine if m.is_editor_decision]
        summary.kept_decisions += len(decisions)
        found = gazetteer_candidates(segment.text, gazetteer, types)
        found += [_linked(candidate, segment.text, gazetteer) for candidate in model_found]
        chosen = resolve(found, decisions)

        current = {(m.start, m.end, m.label, m.source, m.entity_id): m for m in mine if not m.is_editor_decision}
        wanted = {(c.start, c.end, c.label, c.source, c.entity_id): c for c in chosen}
        to_delete += [m.pk for key, m in current.items() if key not in wanted]
        for key, candidate in wanted.items():
            summary.by_source[candidate.source] = summary.by_source.get(candidate.source, 0) + 1
            if key not in current:
                to_create.append(
                    Mention(
                        article=article,
                        kind=segment.kind,
                        paragraph=segment.paragraph,
                        related_story=segment.related_story,
                        start=candidate.start,
                        end=candidate.end,
                        text=segment.text[candidate.start : candidate.end],
                        label=candidate.label,
                        source=candidate.source,
                        score=candidate.score,
                        entity_id=candidate.entity_id,
                    )
                )
        summary.suggested += len(chosen)
    Mention.objects.filter(pk__in=to_delete).delete()
    Mention.objects.bulk_create(to_create)
    return summary


def _linked(candidate: Candidate, text: str, gazetteer: Gazetteer) -> Candidate:
    """A model mention whose whole text is a gazetteer name is linked to that entity."""
    matches = gazetteer.find(text[candidate.start : candidate.end])
    if len(matches) == 1 and matches[0].end - matches[0].start == candidate.end - candidate.start:
        return Candidate(
            candidate.start, candidate.end, candidate.label, candidate.source, candidate.score, matches[0].entity_id
        )
    return candidate
