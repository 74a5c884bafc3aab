"""Which mentions of one article name the same entity, and by what name to find it elsewhere.

News names a person in full once and by surname (or first name) after:
`رجب طيب أردوغان` … `أردوغان`. Within one article, a name that is the last
word, the first word, or the end of a longer person's name found in the
same article is that person, when exactly one such name is there; with two
(`محمد بن سلمان` and `سلمان العودة` for `سلمان`), it is left unlinked. A
place or an organisation is its own name.

Across articles, the app finds an entity by the folded full name (the same
spelling, whatever the hamza, ya or ta marbuta, is the same entity). A
surname with no full name in its article says little: the app links it
only where exactly one known person has that surname (see
`articles.entities.recognition`), never to a full name recognition alone
made; a surname nobody is known by and too rare to be a common word or a
listed name (`هيغسيث`) is an entity of its own.

Nothing here knows the database: the app gives the mentions and stores the links.
"""

from dataclasses import dataclass

from ..text import normalize

LINKED_TYPES = ("PERS", "LOC", "ORG")


def folded_name(text: str) -> str:
    """The name as entities are matched: folded words, single spaces."""
    return " ".join(normalize(text).split())


@dataclass(frozen=True)
class Link:
    """How one mention finds its entity.

    `same`: the index of another mention of this article whose entity it
    shares (`أردوغان` → `رجب طيب أردوغان`); else `name`, the folded name to
    find or create an entity by, `display` the name as written; `alone` when
    it is one word of a person's name with no full name in the article.
    """

    same: int | None = None
    name: str = ""
    display: str = ""
    alone: bool = False


def article_links(mentions: list[tuple[str, str, int | None]]) -> list[Link | None]:
    """For each (text, label, entity id or None) mention of one article, in reading order, its Link,
    or None when it takes no entity (MISC, or ambiguous)."""
    folded = [folded_name(text) for text, _, _ in mentions]
    people = [i for i, (_, label, _) in enumerate(mentions) if label == "PERS" and folded[i]]
    # The full names: each person's longest spelling in the article, first mention kept.
    full: dict[str, int] = {}
    for index in people:
        if len(folded[index].split()) > 1:
            full.setdefault(folded[index], index)
    links: list[Link | None] = []
    for index, (text, label, _entity_id) in enumerate(mentions):
        name = folded[index]
        if label not in LINKED_TYPES or not name:
            links.append(None)
            continue
        if label != "PERS":
            links.append(Link(name=name, display=text.strip()))
            continue
        words = name.split()
        owners = {
            owner
            for owner in full
            if owner != name
            and len(owner.split()) > len(words)
            and (owner.split()[-len(words) :] == words or (len(words) == 1 and owner.split()[0] == name))
        }
        # A longer name that itself belongs to a longer one (طيب أردوغان in رجب طيب أردوغان) counts once.
        owners = {owner for owner in owners if not any(other != owner and owner in other for other in owners)}
        if len(owners) == 1:
            links.append(Link(same=full[owners.pop()]))
        elif owners:
            links.append(None)
        elif len(words) == 1:
            links.append(Link(name=name, display=text.strip(), alone=True))
        else:
            links.append(Link(name=name, display=text.strip()))
    return links
