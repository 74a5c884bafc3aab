"""Changes to entities and mentions: seeding the gazetteer, and editors' decisions.

Every decision records who made it and when, and recognition never undoes it.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from arabic.ner import names
from arabic.ner.linking import folded_name
from arabic.ner.seed import SeedEntity

from ..models import Article, Entity, EntityType, Mention, Paragraph
from ..models.entities import names_in
from ..search_tasks import entities_renamed_queue, search_refresh_queue


class MentionError(ValueError):
    """An editor's mention that cannot be saved; the message says why."""


SEEDED_FIELDS = ["name_ar", "name_en", "aliases", "aliases_en", "type"]


@dataclass
class SeedSummary:
    created: int = 0
    updated: int = 0
    kept: int = 0
    # Entities recognition had made that a seeded one now names: merged into it.
    absorbed: int = 0


@transaction.atomic
def gazetteer_seed_load(*, entries: list[SeedEntity]) -> SeedSummary:
    """Create or refresh seeded entities by key; entities an editor saved are left alone."""
    summary = SeedSummary()
    existing = {entity.key: entity for entity in Entity.objects.filter(key__in=[e.key for e in entries])}
    existing_names = {key: (entity.name_en, entity.aliases_en) for key, entity in existing.items()}
    to_create, to_update = [], []
    for entry in entries:
        entity = existing.get(entry.key)
        if entity is None:
            to_create.append(
                Entity(
                    key=entry.key,
                    name_ar=entry.name_ar,
                    name_en=entry.name_en,
                    aliases=entry.aliases,
                    aliases_en=entry.aliases_en,
                    type=entry.type,
                    source=entry.source,
                )
            )
        elif entity.edited_by_editor:
            summary.kept += 1
        else:
            seeded = {name: getattr(entry, name) for name in SEEDED_FIELDS}
            if any(getattr(entity, name) != value for name, value in seeded.items()):
                for name, value in seeded.items():
                    setattr(entity, name, value)
                to_update.append(entity)
    # bulk_update skips auto_now: set `modified` by hand, or workers would keep
    # the gazetteer they built before this reseed (it is keyed on `modified`).
    now = timezone.now()
    for entity in to_update:
        entity.modified = now
    Entity.objects.bulk_create(to_create, batch_size=500)
    Entity.objects.bulk_update(to_update, [*SEEDED_FIELDS, "modified"], batch_size=500)
    # Articles are found by their entities' English names: re-index those that mention a renamed one.
    entities_renamed_queue(
        entity_ids=[
            entity.pk for entity in to_update if (entity.name_en, entity.aliases_en) != existing_names[entity.key]
        ]
    )
    summary.created, summary.updated = len(to_create), len(to_update)
    summary.absorbed = recognised_absorb()
    return summary


def recognised_absorb() -> int:
    """Entities recognition made (and no editor kept) that a gazetteer entity of the same type now
    names (its name or an alias, folded): their mentions move to the gazetteer's entity and they go.

    Articles imported before the gazetteer was loaded, or before it learnt a name, would otherwise
    keep a second Istanbul beside the gazetteer's."""
    recognised = list(Entity.objects.filter(source=Entity.Source.RECOGNISED, edited_by_editor=False))
    if not recognised:
        return 0
    named: dict[tuple[str, str], Entity] = {}
    for entity in Entity.objects.exclude(source=Entity.Source.RECOGNISED).order_by("pk"):
        for name in [entity.name_ar, *entity.arabic_aliases]:
            named.setdefault((entity.type, folded_name(name)), entity)
    absorbed = 0
    for entity in recognised:
        target = named.get((entity.type, folded_name(entity.name_ar)))
        if target is None:
            continue
        with transaction.atomic():
            Mention.objects.filter(entity=entity).update(entity=target, modified=timezone.now())
            entity.delete()
        entities_renamed_queue(entity_ids=[target.pk])
        absorbed += 1
    return absorbed


def _decide(mention: Mention, user, *, refresh: bool = True, **changes) -> Mention:
    """Record an editor's decision on `mention`; with `refresh`, queue its article's search
    document (a caller deciding many mentions queues their articles once instead)."""
    for name, value in changes.items():
        setattr(mention, name, value)
    mention.decided_by = user
    mention.decided_at = timezone.now()
    mention.save()
    if refresh:
        # A mention rejected, linked or confirmed changes the entity names the article is found by.
        search_refresh_queue(article_ids=[mention.article_id])
    return mention


def mention_confirm(*, mention: Mention, user) -> Mention:
    return _decide(mention, user, status=Mention.Status.CONFIRMED)


def mention_reject(*, mention: Mention, user) -> Mention:
    """Rejected mentions stay stored, so that recognition never suggests that span again."""
    return _decide(mention, user, status=Mention.Status.REJECTED)


def mention_retype(*, mention: Mention, label: str, user) -> Mention:
    if label not in EntityType.values:
        raise MentionError(f"unknown entity type {label!r}")
    return _decide(mention, user, label=label, status=Mention.Status.CONFIRMED)


def mention_link(*, mention: Mention, entity: Entity | None, user) -> Mention:
    return _decide(mention, user, entity=entity, status=Mention.Status.CONFIRMED)


def span_check(*, paragraph: Paragraph, start: int, end: int, quote: str | None = None) -> str:
    """The text of a span, or MentionError saying why the span is not valid."""
    length = len(paragraph.text)
    if start < 0 or end > length:
        raise MentionError(f"the span {start}–{end} is outside the paragraph ({length} characters)")
    if start >= end:
        raise MentionError("the span is empty: select at least one character")
    text = paragraph.text[start:end]
    if not text.strip():
        raise MentionError("the span holds only spaces")
    if quote is not None and quote != text:
        raise MentionError(f"the selected text {quote!r} does not match the paragraph at {start}–{end} ({text!r})")
    return text


@transaction.atomic
def mention_add(
    *,
    paragraph: Paragraph,
    start: int,
    end: int,
    label: str,
    user,
    entity: Entity | None = None,
    quote: str | None = None,
) -> Mention:
    """An editor's mention; machine suggestions overlapping it give way."""
    text = span_check(paragraph=paragraph, start=start, end=end, quote=quote)
    if label not in EntityType.values:
        raise MentionError(f"unknown entity type {label!r}")
    overlapping = Mention.objects.filter(paragraph=paragraph, start__lt=end, end__gt=start)
    overlapping.filter(status=Mention.Status.SUGGESTED).exclude(source=Mention.Source.EDITOR).exclude(
        start=start, end=end
    ).delete()
    mention, _ = Mention.objects.update_or_create(
        paragraph=paragraph,
        start=start,
        end=end,
        defaults={
            "article_id": paragraph.article_id,
            "text": text,
            "label": label,
            "source": Mention.Source.EDITOR,
            "entity": entity,
            "status": Mention.Status.CONFIRMED,
            "decided_by": user,
            "decided_at": timezone.now(),
        },
    )
    search_refresh_queue(article_ids=[mention.article_id])
    return mention


def entity_names_changed(*, entity: Entity) -> None:
    """An editor changed the entity's English name or aliases: the articles that mention it are
    re-indexed in the background (a place may be mentioned in hundreds)."""
    entities_renamed_queue(entity_ids=[entity.pk])


def entities_deleting(*, entity_ids: list[int]) -> None:
    """Entities about to be deleted: their mentions lose them, and the articles their names."""
    entities_renamed_queue(entity_ids=entity_ids)


# --- Editors' choices about entities: rename, merge, split -----------------------------
# Each is recorded where recognition reads it, so that recognising again keeps
# it: names become aliases (recognition finds an entity by any of its names),
# moved mentions become editors' decisions, and the entity is marked as an
# editor's (`edited_by_editor`: reseeding leaves it alone, and one recognition
# made joins the gazetteer).


class EntityError(ValueError):
    """An editor's change to entities that cannot be made; the message says why."""


def entity_english_name(name_ar: str, kind: str) -> tuple[str, str]:
    """(English name, where it comes from) for a new entity: the names list's, else a romanisation."""
    listed = names.lookup(name_ar, kind)
    if listed:
        return listed, Entity.NameSource.NAMES
    return names.romanised_name(name_ar, kind), Entity.NameSource.ROMANISED


def _alias_add(entity: Entity, name: str) -> None:
    known = {folded_name(alias) for alias in [entity.name_ar, *entity.arabic_aliases]}
    if name and name.strip() and folded_name(name) not in known:
        entity.aliases = [*entity.arabic_aliases, name.strip()]


def entity_edited(*, entity: Entity, old_name_ar: str | None, name_en_changed: bool) -> Entity:
    """Record an editor's save of an entity (rename included): its old Arabic name stays an
    alias, so mentions written that way still find it; an English name they typed is theirs."""
    if old_name_ar and old_name_ar != entity.name_ar:
        _alias_add(entity, old_name_ar)
    if name_en_changed:
        entity.name_en_source = Entity.NameSource.EDITOR
    entity.edited_by_editor = True
    return entity


@transaction.atomic
def entities_merge(*, target: Entity, others: list[Entity], user) -> Entity:
    """Make `others` one entity with `target`: their mentions move to it (entity annotations follow their mentions),
    their names become its aliases, and they are deleted. Recognising again finds `target` by any
    of those names, so the merge holds."""
    others = [other for other in others if other.pk != target.pk]
    if not others:
        raise EntityError("choose at least two entities to merge")
    kinds = {target.type, *(other.type for other in others)}
    if len(kinds) > 1:
        raise EntityError(f"only entities of one type merge (these are {', '.join(sorted(kinds))})")
    for other in others:
        for name in [other.name_ar, *other.arabic_aliases]:
            _alias_add(target, name)
        english = list(target.english_names)
        target.aliases_en = [
            *names_in(target.aliases_en),
            *[name for name in other.english_names if name not in english],
        ]
    Mention.objects.filter(entity__in=others).update(entity=target, modified=timezone.now())
    target.edited_by_editor = True
    target.save()
    Entity.objects.filter(pk__in=[other.pk for other in others]).delete()
    # The articles that now mention `target` are searched by its English names and aliases.
    entities_renamed_queue(entity_ids=[target.pk])
    return target


@transaction.atomic
def mentions_split(*, mentions: list[Mention], user, name_ar: str = "") -> Entity:
    """Move `mentions` to a new entity of their type, named `name_ar` or as the first is written.

    They become editors' decisions (confirmed, by `user`), which recognition
    never changes: the split holds however often the articles are recognised."""
    if not mentions:
        raise EntityError("choose the mentions to move")
    labels = {mention.label for mention in mentions}
    if len(labels) > 1:
        raise EntityError(f"only mentions of one type move to one entity (these are {', '.join(sorted(labels))})")
    name_ar = (name_ar or mentions[0].text).strip()
    name_en, name_source = entity_english_name(name_ar, mentions[0].label)
    entity = Entity.objects.create(
        name_ar=name_ar,
        name_en=name_en,
        name_en_source=name_source,
        type=mentions[0].label,
        source=Entity.Source.EDITOR,
        edited_by_editor=True,
    )
    for mention in mentions:
        _alias_add(entity, mention.text)
        _decide(mention, user, entity=entity, status=Mention.Status.CONFIRMED)
    entity.save()
    return entity


def article_reading_choose(*, article: Article, encyclopedic: bool | None) -> None:
    """An editor's choice of how the article's names are read (as an encyclopedia names them, as
    news does, or None: as recognition judges the text), kept on the article and applied by a new
    recognition, queued: suggestions follow; decisions stay as the editor left them."""
    with transaction.atomic():
        # This column alone: `modified` stays (the text is unchanged).
        Article.objects.filter(pk=article.pk).update(encyclopedia_by_editor=encyclopedic)
        article.encyclopedia_by_editor = encyclopedic
        recognition_queue(article_ids=[article.pk])


def recognition_queue(*, article_ids: list[int]) -> None:
    """Queue entity recognition as background tasks, after the current transaction commits."""
    from .tasks import recognize_article

    for article_id in article_ids:
        transaction.on_commit(lambda article_id=article_id: recognize_article.enqueue(article_id))


# --- Editors' decisions on the Annotate page, in the text --------------------------------


def mentions_accept_name(*, mention: Mention, user, archive: bool = False) -> list[Mention]:
    """Accept `mention` and every other suggestion of the same words and type, in its article
    (or, with `archive`, in every article), giving them its entity when it has one.

    Returns the mentions decided, `mention` first. Each is an editor's decision like any other.
    """
    same = Mention.objects.filter(status=Mention.Status.SUGGESTED, text=mention.text, label=mention.label)
    if not archive:
        same = same.filter(article_id=mention.article_id)
    with transaction.atomic():
        decided = []
        if mention.status == Mention.Status.SUGGESTED:
            decided.append(_decide(mention, user, refresh=False, status=Mention.Status.CONFIRMED))
        for other in same.exclude(pk=mention.pk).select_for_update(of=("self",)).order_by("article_id", "pk"):
            changes = {"status": Mention.Status.CONFIRMED}
            if mention.entity_id is not None:
                changes["entity_id"] = mention.entity_id
            decided.append(_decide(other, user, refresh=False, **changes))
        # Their articles' search documents, once per article however many mentions each had.
        search_refresh_queue(article_ids=[m.article_id for m in decided])
    return decided or [mention]


@transaction.atomic
def entity_create_for_mention(
    *, mention: Mention, user, name_ar: str, name_en: str = "", wikidata_id: str = ""
) -> Entity:
    """A new entity of the mention's type, named as the editor says (its Wikidata id only as
    the editor gives it), linked to the mention, which is thereby confirmed."""
    from ..models.entities import wikidata_id_clean

    name_ar = " ".join((name_ar or mention.text).split())
    if not name_ar:
        raise MentionError("the new entity needs an Arabic name")
    try:
        wikidata_id = wikidata_id_clean(wikidata_id)
    except ValidationError as error:
        raise MentionError(" ".join(error.messages)) from None
    entity = Entity.objects.create(
        name_ar=name_ar,
        name_en=" ".join(name_en.split()),
        type=mention.label,
        wikidata_id=wikidata_id,
        source=Entity.Source.EDITOR,
        edited_by_editor=True,
    )
    mention_link(mention=mention, entity=entity, user=user)
    return entity
