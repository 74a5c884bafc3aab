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
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max

from arabic.ner import camel, crf, names, phrases, store
from arabic.ner.gazetteer import Gazetteer
from arabic.ner.linking import article_links, folded_name
from arabic.ner.pipeline import Candidate, Decision, entity_rank, gazetteer_of, resolve, texts_candidates
from arabic.tokens import tokens_with_offsets

from ..models import Article, Entity, Mention
from ..models.entities import names_in
from ..search import article_search_refresh
from ..segments import SegmentKind, article_segments
from .services import entity_english_name

logger = logging.getLogger(__name__)


# --- The gazetteer and the names index, built once per change of the entity table ----

_gazetteer_cache: dict = {}


class GazetteerEmpty(LookupError):
    """The entity table holds no entity: nothing can be matched until it is seeded."""

    def __init__(self):
        super().__init__(
            "the gazetteer is empty: no entity to match. Load it with `manage.py load_gazetteer` "
            "(offline: CLDR, iso-codes and the curated list), then recognise again."
        )


def _in_gazetteer(source: str, edited: bool) -> bool:
    """Seeded and editors' entities are matched in every text; one recognition alone made is not
    (a model's slip must not be found everywhere), until an editor keeps it."""
    return source != Entity.Source.RECOGNISED or edited


# Head nouns of the names of news organisations, left out where they credit a photo or a story: the
# set phrases' (`arabic.ner.phrases`), and شبكة, which in a known entity's name is its network.
_MEDIA_HEADS = phrases.MEDIA_HEADS | {folded_name("شبكة")}


@dataclass
class NamesIndex:
    """Every entity by its folded names, for linking what the models find.

    `by_name`: (type, folded name or alias) → entity ids, best ranked first.
    `surnames`: folded last word → ids of the people whose identity someone
    vouched for (seeded, an editor's, or named by the names list), the only
    ones a surname alone may link to across articles.
    """

    by_name: dict = field(default_factory=dict)
    surnames: dict = field(default_factory=dict)

    def add(self, pk: int, names: list[str], kind: str, source: str, edited: bool, name_source: str) -> None:
        vouched = source != Entity.Source.RECOGNISED or edited or name_source == Entity.NameSource.NAMES
        for name in names:
            folded = folded_name(name)
            if not folded:
                continue
            self.by_name.setdefault((kind, folded), []).append(pk)
            head, _, rest = folded.partition(" ")
            if kind == "ORG" and head in _MEDIA_HEADS and rest:
                # A credit names the agency without its head noun: (الأناضول) is وكالة الأناضول.
                self.by_name.setdefault((kind, rest), []).append(pk)
            if kind == "PERS" and vouched and len(folded.split()) > 1:
                self.surnames.setdefault(folded.split()[-1], set()).add(pk)


def _table_version() -> tuple:
    """The entity table's version as the cache reads it: (count, latest `modified`)."""
    return tuple(Entity.objects.aggregate(count=Count("id"), modified=Max("modified")).values())


def _load_entities() -> None:
    """Refresh the cached gazetteer and names index when the entity table changed.

    The version is the entity count and the latest `modified`: every write to
    the table (the admin, reseeding with `load_gazetteer`, recognition) moves it.
    The trie is rebuilt only when an entity it holds changed.
    """
    version = _table_version()
    if _gazetteer_cache.get("version") == version:
        return
    rows = sorted(
        Entity.objects.values_list(
            "pk", "name_ar", "aliases", "type", "source", "key", "edited_by_editor", "name_en_source", "modified"
        ),
        key=lambda row: (*entity_rank(row[4], row[5]), row[0]),
    )
    listed = [row for row in rows if _in_gazetteer(row[4], row[6])]
    trie_version = (len(listed), max((row[8] for row in listed), default=None))
    if _gazetteer_cache.get("trie_version") != trie_version:
        _gazetteer_cache.update(
            trie_version=trie_version,
            gazetteer=gazetteer_of((pk, name, aliases) for pk, name, aliases, *_ in listed),
            types={row[0]: row[3] for row in listed},
        )
    index = NamesIndex()
    for pk, name, aliases, kind, source, _key, edited, name_source, _ in rows:
        index.add(pk, [name, *names_in(aliases)], kind, source, edited, name_source)
    _gazetteer_cache.update(version=version, names=index)


def _names_index_grown(index: NamesIndex, entities: list[Entity]) -> None:
    """After the transaction that made `entities` commits: add them to the cached names index, so
    that the next article does not read the whole entity table again, if nothing else changed
    the table since the index was read: no other entity is newer than the newest the index saw,
    and the count grew by exactly these. Otherwise (another worker's recognition, an editor's
    rename) the index is dropped and read again at next use, as any change makes it."""
    if _gazetteer_cache.get("names") is not index or not entities:
        return
    count, modified = _gazetteer_cache["version"]
    others = Entity.objects.exclude(pk__in=[entity.pk for entity in entities])
    if modified is not None:
        others = others.filter(modified__gt=modified)
    now = _table_version()
    if now[0] != count + len(entities) or others.exists():
        _gazetteer_cache.pop("version", None)
        return
    for entity in entities:
        index.add(entity.pk, [entity.name_ar], entity.type, entity.source, False, entity.name_en_source)
    _gazetteer_cache["version"] = now


def current_gazetteer() -> tuple[Gazetteer, dict[int, str]]:
    """The trie of the names of every entity the gazetteer holds, and each entity's type."""
    _load_entities()
    return _gazetteer_cache["gazetteer"], _gazetteer_cache["types"]


def current_names() -> NamesIndex:
    _load_entities()
    return _gazetteer_cache["names"]


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
    """The model in use: the newest that `train_ner` retrained (NER_TRAINED_DIR), else the committed one.

    Looked up at every use, so that every process takes a new model, or goes
    back after `train_ner --undo`, at its next article."""
    path = store.active_model(Path(settings.NER_TRAINED_DIR), Path(settings.CRF_MODEL_PATH))
    return path if crf.model_files_exist(path) else None


def shipped_status() -> str:
    """One line for people: is the shipped model used, and if not, why."""
    if not settings.CRF_MODEL_ENABLED:
        return "shipped NER model: turned off (CRF_MODEL_ENABLED=0)"
    path = shipped_model_path()
    if path is None:
        return f"shipped NER model: no model at {settings.CRF_MODEL_PATH} (rebuild it with `manage.py train_ner`)"
    return f"shipped NER model: {path}"


def shipped_model_description() -> dict:
    """The model in use's description (`arabic.ner.store`): where it is, when it was trained, on how
    many editors' decisions; {} when the shipped model is off or missing."""
    if not settings.CRF_MODEL_ENABLED:
        return {}
    path = shipped_model_path()
    if path is None:
        return {}
    committed = path.resolve() == Path(settings.CRF_MODEL_PATH).resolve()
    return {"path": str(path), "committed": committed, **store.meta_read(path)}


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


# --- Linking what the models found to entities ------------------------------------


def _entity_named(index: NamesIndex, kind: str, folded: str, display: str, created: dict) -> int:
    """The entity of that type and (folded) name or alias, made if none has it (source: recognised;
    `created` keeps it by name, and under None the list of those made)."""
    found = index.by_name.get((kind, folded))
    if found:
        return found[0]
    if (kind, folded) not in created:
        name_en, name_source = entity_english_name(display, kind)
        entity = Entity.objects.create(
            name_ar=display, name_en=name_en, name_en_source=name_source, type=kind, source=Entity.Source.RECOGNISED
        )
        created[(kind, folded)] = entity.pk
        created.setdefault(None, []).append(entity)
    return created[(kind, folded)]


def _person_by_surname(index: NamesIndex, surname: str, display: str, created: dict) -> int | None:
    """The one person a surname alone can mean across articles, or None: exactly one vouched-for
    person (seeded, an editor's, or from the names list) or listed person has that last word; with
    none, a name rare enough to be its own (`_a_name_of_its_own`) is the entity of that one word."""
    people = {("entity", pk) for pk in index.surnames.get(surname, ())}
    for folded in names.surname_owners(surname):
        known = index.by_name.get(("PERS", folded))
        people.add(("entity", known[0]) if known else ("listed", folded))
    if not people and _a_name_of_its_own(surname):
        return _entity_named(index, "PERS", surname, display, created)
    if len(people) != 1:
        return None
    what, value = people.pop()
    if what == "entity":
        return value
    return _entity_named(index, "PERS", value, names.arabic_spelling(value, "PERS"), created)


# Where an article imported from these sites (or their subdomains: `ar.m.wikipedia.org`) comes from
# says its kind better than its style can: a football player's biography reads much like sports news.
ENCYCLOPEDIA_SITES = ("wikipedia.org",)


def _from_an_encyclopedia(source: str) -> bool:
    host = (urlsplit(source).hostname or "") if "://" in source else ""
    return any(host == site or host.endswith(f".{site}") for site in ENCYCLOPEDIA_SITES)


def _read_as_encyclopedia(shipped: "crf.ShippedNER", article: Article, segments, per_text) -> bool:
    """Whether `shipped` reads the article of these segments (and their sentences of words) as an
    encyclopedia article. When the model reads the two kinds apart: as an editor chose, if one did;
    one imported from an encyclopedia's site always; otherwise as the genre model judges its
    paragraphs, the running text it learnt from: a title is no sentence of it (an encyclopedia's
    first sentence defines its subject; a title never does), nor are captions and related headlines."""
    if shipped.genre and article.encyclopedia_by_editor is not None:
        return article.encyclopedia_by_editor
    if shipped.genre and _from_an_encyclopedia(article.source):
        return True
    body = [
        [word for word, _, _ in sentence]
        for segment, sentences in zip(segments, per_text, strict=True)
        if segment.kind == SegmentKind.PARAGRAPH
        for sentence in sentences
    ]
    return shipped.encyclopedic(body)


def _kind_store(article: Article, encyclopedic: bool) -> None:
    if article.read_as_encyclopedia != encyclopedic:
        # This column alone: `modified` stays (it is a machine's judgement, not an edit).
        Article.objects.filter(pk=article.pk).update(read_as_encyclopedia=encyclopedic)
        article.read_as_encyclopedia = encyclopedic


def _shipped_model_if_sound() -> "crf.ShippedNER | None":
    """The model in use, or None when there is none or its files are broken: a broken model must not
    stop linking or the workspace (`recognizers_available` says so)."""
    try:
        return shipped_model()
    except Exception:  # noqa: BLE001 - reported by recognizers_available
        return None


def reads_kinds_apart() -> bool:
    """Whether the model in use reads encyclopedias and news apart (it has a genre model): only then
    does an editor's choice of an article's kind change anything."""
    shipped = _shipped_model_if_sound()
    return bool(shipped is not None and shipped.genre)


def article_read_as_encyclopedia(*, article: Article) -> bool | None:
    """Whether the shipped model reads the article as an encyclopedia article, whose conventions
    differ from news (a people or a dynasty may be a person): as recognition stored it, or, for an
    article recognised before the judgement was kept, judged now and stored. None when no model
    can say."""
    if article.read_as_encyclopedia is not None:
        return article.read_as_encyclopedia
    shipped = _shipped_model_if_sound()
    if shipped is None:
        return None
    segments = article_segments(article, kinds=(SegmentKind.PARAGRAPH,))
    encyclopedic = _read_as_encyclopedia(shipped, article, segments, [tokens_with_offsets(s.text) for s in segments])
    _kind_store(article, encyclopedic)
    return encyclopedic


def _a_name_of_its_own(word: str) -> bool:
    """Whether one (folded) word alone names one person well enough to be an entity by itself: no
    given or family name of the lists, and rarer in Arabic at large than the shipped model's word
    lists keep (a transcribed foreign surname: `هيغسيث`), so that the same word in another article
    is the same person as surely as a full name would be. `عباس` or `ترامب` alone is not."""
    model = _shipped_model_if_sound()
    return model is not None and word not in model.featurizer.names and word not in model.featurizer.frequencies


def candidates_link(items: list[tuple[str, Candidate | Mention]]) -> dict[int, int]:
    """Entity ids for the machine candidates of one article that have none, by position in `items`.

    `items` are (segment text, candidate or kept editor mention) in reading
    order. A person's surname or first name links to the full name found in
    the same article (`arabic.ner.linking`); a full name, a place or an
    organisation to the entity of that name, made if none has it; a surname
    alone, only as `_person_by_surname` allows.
    """
    index = current_names()
    mentions = []
    for text, item in items:
        words = text[item.start : item.end] if isinstance(item, Candidate) else item.text
        mentions.append((words, item.label, item.entity_id))
    links = article_links(mentions)
    created: dict = {}
    linked: dict[int, int] = {}
    for position, link in enumerate(links):
        _, label, entity_id = mentions[position]
        if link is None or link.same is not None:
            continue
        if entity_id is not None:
            linked[position] = entity_id
        elif link.alone:
            found = _person_by_surname(index, link.name, link.display, created)
            if found is not None:
                linked[position] = found
        else:
            linked[position] = _entity_named(index, label, link.name, link.display, created)
    if created.get(None):
        made = created[None]
        transaction.on_commit(lambda: _names_index_grown(index, made))
    # A name may point to one that itself points to the full name (طيب → طيب أردوغان → رجب طيب أردوغان).
    for _ in range(3):
        for position, link in enumerate(links):
            if link is not None and link.same is not None and link.same in linked:
                linked[position] = linked[link.same]
    return {
        position: entity_id
        for position, entity_id in linked.items()
        if isinstance(items[position][1], Candidate) and items[position][1].entity_id is None
    }


@transaction.atomic
def article_recognize(
    *,
    article: Article,
    model: "camel.BatchedNER | None" = None,
    shipped: "crf.ShippedNER | None" = None,
) -> RecognitionSummary:
    """Replace the article's machine suggestions by a fresh recognition of every segment.

    The gazetteer always runs; `model` (camel-tools) and `shipped` (the CRF)
    when given, as `recognizers_available()` returns them. Every person,
    place and organisation found is linked to an entity (`candidates_link`).
    With `shipped`, whether it read the article as an encyclopedia article is
    stored on the article (`read_as_encyclopedia`); without, the last such
    judgement stays.
    """
    gazetteer, types = current_gazetteer()
    segments = article_segments(article)
    per_text = [tokens_with_offsets(segment.text) for segment in segments]
    # Judged once, used by the model for every segment, and kept (`article_read_as_encyclopedia`).
    encyclopedic = _read_as_encyclopedia(shipped, article, segments, per_text) if shipped is not None else None
    by_segment = texts_candidates(
        [s.text for s in segments],
        gazetteer=gazetteer,
        types=types,
        model=model,
        shipped=shipped,
        batch_size=settings.NER_BATCH_SIZE,
        per_text=per_text,
        encyclopedic=encyclopedic,
    )
    if encyclopedic is not None:
        _kind_store(article, encyclopedic)
    existing = list(Mention.objects.select_for_update(of=("self",)).filter(article=article).order_by("pk"))

    summary = RecognitionSummary(articles=1)
    to_create: list[Mention] = []
    to_delete: list[int] = []
    live_keys = {segment.key for segment in segments}
    to_delete += [m.pk for m in existing if m.segment_key not in live_keys and not m.is_editor_decision]
    chosen_by_segment = []
    items: list[tuple[str, Candidate | Mention]] = []
    for segment, found in zip(segments, by_segment, strict=True):
        mine = [m for m in existing if m.segment_key == segment.key]
        decisions = [m for m in mine if m.is_editor_decision]
        summary.kept_decisions += len(decisions)
        chosen = resolve(
            found, [Decision(m.start, m.end, rejected=m.status == Mention.Status.REJECTED) for m in decisions]
        )
        kept = [m for m in decisions if m.status != Mention.Status.REJECTED]
        items += [(segment.text, item) for item in sorted([*chosen, *kept], key=lambda item: item.start)]
        chosen_by_segment.append((segment, mine, chosen))
    entity_of = {id(items[position][1]): entity for position, entity in candidates_link(items).items()}

    for segment, mine, chosen in chosen_by_segment:
        chosen = [
            Candidate(c.start, c.end, c.label, c.source, c.score, entity_of[id(c)]) if id(c) in entity_of else c
            for c in chosen
        ]
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
    deleted = set(to_delete)
    left = {m.entity_id for m in existing if m.pk in deleted and m.entity_id is not None}
    Mention.objects.filter(pk__in=to_delete).delete()
    Mention.objects.bulk_create(to_create)
    recognised_unused_delete(entity_ids=left)
    # The article is found by the English names of the entities it now shows.
    article_search_refresh(article=article)
    return summary


def recognised_unused_delete(*, entity_ids) -> int:
    """Remove the entities recognition made that no mention names any more (an editor's are kept)."""
    deleted, _ = (
        Entity.objects.filter(pk__in=entity_ids, source=Entity.Source.RECOGNISED, edited_by_editor=False)
        .exclude(mentions__isnull=False)
        .delete()
    )
    return deleted
