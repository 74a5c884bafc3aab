"""Finding an entity by name as an editor types it: Arabic folded (hamza forms, ta
marbuta, alef maqsura, harakat), English without case or accents, every alias too.

An entity's names live in four fields, two of them JSON lists that SQLite stores with
escaped Arabic, so the database cannot compare them: the names are read once per
search (a few thousand short rows) and matched here. Best matches first: a name equal
to the query, then one that starts with it, then one that contains it; the most
mentioned first among equals.
"""

import unicodedata
from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When

from arabic.text import fold_latin, normalize

from ..models import Entity, EntityType
from ..models.entities import names_in

# At most this many entities are ranked and returned (the autocomplete pages 20 at a time).
MAX_MATCHES = 200


def folded(text: str) -> str:
    """A name as it is compared: Arabic folded, Latin lower case without accents (`fold_latin` first:
    NFKD leaves `ı`, `ł`, `ø`, `đ` as they are)."""
    decomposed = unicodedata.normalize("NFKD", fold_latin(normalize(text)).casefold())
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())


@dataclass(frozen=True)
class EntityMatch:
    pk: int
    rank: int  # 0: a name equals the query, 1: starts with it, 2: contains it
    article_count: int


def _rank(query: str, names: list[str]) -> int | None:
    best = None
    for name in names:
        name = folded(name)
        rank = 0 if name == query else 1 if name.startswith(query) else 2 if query in name else None
        if rank is not None and (best is None or rank < best):
            best = rank
    return best


def entity_matches(*, query: str, entity_type: str = "") -> list[EntityMatch]:
    """Entities with a name (Arabic or English, or an alias) that contains every word of
    `query`, best first; of `entity_type` only when it is one."""
    query = folded(query)
    if not query:
        return []
    rows = Entity.objects.all()
    if entity_type in EntityType.values:
        rows = rows.filter(type=entity_type)
    matches = []
    for pk, name_ar, name_en, aliases, aliases_en, count in rows.values_list(
        "pk", "name_ar", "name_en", "aliases", "aliases_en", "article_count"
    ).iterator(chunk_size=2000):
        rank = _rank(query, [name_ar, name_en, *names_in(aliases), *names_in(aliases_en)])
        if rank is not None:
            matches.append(EntityMatch(pk=pk, rank=rank, article_count=count))
    matches.sort(key=lambda match: (match.rank, -match.article_count, match.pk))
    return matches[:MAX_MATCHES]


def entities_matching(*, queryset: QuerySet, query: str, entity_type: str = "") -> QuerySet:
    """`queryset` narrowed to the entities `entity_matches` finds, in its order."""
    matches = entity_matches(query=query, entity_type=entity_type)
    order = Case(
        *(When(pk=match.pk, then=Value(index)) for index, match in enumerate(matches)),
        default=Value(len(matches)),
        output_field=IntegerField(),
    )
    return queryset.filter(pk__in=[match.pk for match in matches]).order_by(order)
