"""Recognising an article's entities: the recognisers of `arabic.ner` run over its
segments with the gazetteer the entity table makes, combined with editors' decisions,
and stored as mentions.

Recognition replaces only machine suggestions: a rejected span never comes
back, and a confirmed or editor-added mention is never dropped (the rules are
`arabic.ner.pipeline.resolve`'s).
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max

from arabic.ner import camel, crf
from arabic.ner.gazetteer import Gazetteer
from arabic.ner.pipeline import Decision, entity_rank, gazetteer_of, resolve, texts_candidates

from ..models import Article, Entity, Mention
from ..search import article_search_refresh
from ..segments import article_segments

logger = logging.getLogger(__name__)


# --- The gazetteer, built once per change of the entity table -------------------

_gazetteer_cache: dict = {}


class GazetteerEmpty(LookupError):
    """The entity table holds no entity: nothing can be matched until it is seeded."""

    def __init__(self):
        super().__init__(
            "the gazetteer is empty: no entity to match. Load it with `manage.py load_gazetteer` "
            "(offline: CLDR, iso-codes and the curated list), then recognise again."
        )


def current_gazetteer() -> tuple[Gazetteer, dict[int, str]]:
    """The trie of every entity's names, and each entity's type, rebuilt only after changes.

    The version is the entity count and the latest `modified`: every write to
    the gazetteer (the admin, reseeding with `load_gazetteer`) moves it.
    """
    version = tuple(Entity.objects.aggregate(count=Count("id"), modified=Max("modified")).values())
    if _gazetteer_cache.get("version") != version:
        rows = sorted(
            Entity.objects.values_list("pk", "name_ar", "aliases", "type", "source", "key"),
            key=lambda row: (*entity_rank(row[4], row[5]), row[0]),
        )
        gazetteer = gazetteer_of((pk, name, aliases) for pk, name, aliases, *_ in rows)
        _gazetteer_cache.update(version=version, gazetteer=gazetteer, types={row[0]: row[3] for row in rows})
    return _gazetteer_cache["gazetteer"], _gazetteer_cache["types"]


# --- The models, loaded once per process -------------------------------------------


def camel_model_path() -> Path | None:
    """Where camel-tools' NER model is, if its data is installed."""
    return camel.model_path(camel.data_dir())


def bert_extra_missing() -> str | None:
    """Why camel-tools' model cannot run in this install (its packages, the BERT extra, are not
    here), or None when they are."""
    missing = camel.bert_missing()
    if not missing:
        return None
    verb = "is" if len(missing) == 1 else "are"
    return (
        f"it needs the BERT extra, and {' and '.join(missing)} {verb} not installed "
        "(`make bert` installs requirements-bert.txt and the model)"
    )


def camel_status() -> str:
    """One line for people: is camel-tools' model used, and if not, why."""
    if not settings.NER_MODEL_ENABLED:
        return "camel-tools NER model: turned off (NER_MODEL_ENABLED=0)"
    missing = bert_extra_missing()
    if missing:
        return f"camel-tools NER model: not used: {missing}"
    path = camel_model_path()
    if path is None:
        return (
            f"camel-tools NER model: not installed in {camel.data_dir()} "
            "(install it with `manage.py install_ner_model` when online)"
        )
    return f"camel-tools NER model: {path}"


def camel_model() -> "camel.BatchedNER | None":
    """camel-tools' model, loaded once per process, or None when turned off, not installed or its
    packages (the BERT extra) are missing."""
    if not settings.NER_MODEL_ENABLED or bert_extra_missing():
        return None
    path = camel_model_path()
    return camel.load_model(path, batch_size=settings.NER_BATCH_SIZE) if path else None


def shipped_model_path() -> Path | None:
    path = Path(settings.CRF_MODEL_PATH)
    return path if crf.model_files_exist(path) else None


def shipped_status() -> str:
    """One line for people: is the shipped model used, and if not, why."""
    if not settings.CRF_MODEL_ENABLED:
        return "shipped NER model: turned off (CRF_MODEL_ENABLED=0)"
    if shipped_model_path() is None:
        return f"shipped NER model: no model at {settings.CRF_MODEL_PATH} (rebuild it with `manage.py train_ner`)"
    return f"shipped NER model: {settings.CRF_MODEL_PATH}"


def shipped_model() -> "crf.ShippedNER | None":
    """The shipped model, loaded once per process, or None when turned off or missing."""
    if not settings.CRF_MODEL_ENABLED:
        return None
    path = shipped_model_path()
    return crf.load(path) if path else None


# --- Recognising an article -------------------------------------------------------


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


@dataclass
class Recognizers:
    """The recognisers that will run beside the gazetteer, and why others will not."""

    model: "camel.BatchedNER | None" = None
    shipped: "crf.ShippedNER | None" = None
    notes: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [
            "gazetteer",
            *(["camel-tools model"] if self.model is not None else []),
            *(["shipped model (CRF)"] if self.shipped is not None else []),
        ]


def recognizers_available() -> Recognizers:
    """The recognisers that will run: the gazetteer always, the models when they load."""
    recognizers = Recognizers()
    try:
        recognizers.model = camel_model()
    except Exception:  # noqa: BLE001 - a broken model must not stop the gazetteer
        logger.exception("the camel-tools NER model could not be loaded")
    if recognizers.model is None:
        recognizers.notes.append(camel_status())
    try:
        recognizers.shipped = shipped_model()
    except Exception:  # noqa: BLE001 - a broken model file must not stop the gazetteer
        logger.exception("the shipped NER model could not be loaded")
        recognizers.notes.append(f"shipped NER model: could not be loaded from {shipped_model_path()} (see the log)")
    else:
        if recognizers.shipped is None:
            recognizers.notes.append(shipped_status())
    if not Entity.objects.exists():
        recognizers.notes.append(str(GazetteerEmpty()))
    return recognizers


@transaction.atomic
def article_recognize(
    *,
    article: Article,
    model: "camel.BatchedNER | None" = None,
    shipped: "crf.ShippedNER | None" = None,
) -> RecognitionSummary:
    """Replace the article's machine suggestions by a fresh recognition of every segment.

    The gazetteer always runs; `model` (camel-tools) and `shipped` (the CRF)
    when given, as `recognizers_available()` returns them.
    """
    gazetteer, types = current_gazetteer()
    segments = article_segments(article)
    by_segment = texts_candidates(
        [s.text for s in segments],
        gazetteer=gazetteer,
        types=types,
        model=model,
        shipped=shipped,
        batch_size=settings.NER_BATCH_SIZE,
    )
    existing = list(Mention.objects.select_for_update(of=("self",)).filter(article=article).order_by("pk"))

    summary = RecognitionSummary(articles=1)
    to_create: list[Mention] = []
    to_delete: list[int] = []
    live_keys = {segment.key for segment in segments}
    to_delete += [m.pk for m in existing if m.segment_key not in live_keys and not m.is_editor_decision]
    for segment, found in zip(segments, by_segment, strict=True):
        mine = [m for m in existing if m.segment_key == segment.key]
        decisions = [m for m in mine if m.is_editor_decision]
        summary.kept_decisions += len(decisions)
        chosen = resolve(
            found, [Decision(m.start, m.end, rejected=m.status == Mention.Status.REJECTED) for m in decisions]
        )

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
    # The article is found by the English names of the entities it now shows.
    article_search_refresh(article=article)
    return summary
