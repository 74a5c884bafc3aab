"""Annotations as W3C Web Annotations (JSON-LD): the shapes we serve and export.

Every annotation's id is a URL on this site that answers
(`/api/annotations/<uuid>/`). A span annotation targets its paragraph by URL
(the article page with the fragment `#p<position>`, which is also the
paragraph's row id on the page) and carries both selectors:
TextPositionSelector (start, end: Unicode code points over the paragraph's
original text, logical order, end exclusive) and TextQuoteSelector (exact,
prefix, suffix). An orphaned annotation (its words are gone) carries only its
old quote and `"orphaned": true`: a position would point at other words.

Bodies are TextualBody objects whose purpose says what they are: commenting
(a note), describing (a gloss), editing (a correction's proposed text, with an
assessing body for its status and a classifying body for what it corrects) or
tagging (an entity type). Editors-only annotations carry an `audience`.
`creator` is an agent with an id (a URL per user on this site) and a display
name; the login name (`nickname`) is shown to editors only.

Keys the W3C context does not define (`orphaned`, `summary`) are defined in
our own context, served at `/ns/newsreader.jsonld`.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db.models import F
from django.urls import reverse

from ..models import Annotation

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
OFFSETS = "TextPositionSelector offsets count Unicode code points over the paragraph's original text, in logical order"
ORPHANED_KEY = "orphaned"
PURPOSE = {
    Annotation.Kind.NOTE: "commenting",
    Annotation.Kind.GLOSS: "describing",
    Annotation.Kind.CORRECTION: "editing",
    Annotation.Kind.ENTITY: "tagging",
}
KIND = {purpose: kind for kind, purpose in PURPOSE.items()}
EDITORS_AUDIENCE = {"type": "schema:Audience", "schema:audienceType": "editors"}
ASSESSMENTS = ("open", "accepted", "declined")


@dataclass(frozen=True)
class Site:
    """Where links point and who is looking: `editor` views see login names."""

    base_url: str
    editor: bool = False

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    @property
    def context(self) -> list[str]:
        return [ANNO_CONTEXT, self.url(reverse("articles:jsonld-context"))]


def context_document(site: Site) -> dict:
    """Our JSON-LD context: the terms we add to the W3C's, with full IRIs."""
    namespace = site.url(reverse("articles:jsonld-context")) + "#"
    return {
        "@context": {
            ORPHANED_KEY: {"@id": namespace + ORPHANED_KEY, "@type": "http://www.w3.org/2001/XMLSchema#boolean"},
            "summary": {"@id": "http://www.w3.org/ns/activitystreams#summary"},
        },
        "rdfs:comment": {
            ORPHANED_KEY: "true when the annotated words are no longer in the text: the annotation keeps only "
            "its old quote (TextQuoteSelector) and no position, and readers' pages do not show it.",
            "summary": "a human-readable note on the collection, e.g. how offsets are counted.",
        },
    }


def annotation_url(annotation: Annotation, site: Site) -> str:
    return site.url(reverse("articles:api-annotation", kwargs={"uuid": annotation.uuid}))


def agent_url(user_id: int, site: Site) -> str:
    return site.url(reverse("articles:api-agent", kwargs={"pk": user_id}))


def agent(user, site: Site) -> dict:
    """A user as a W3C Agent: never their login name, except to editors."""
    data = {"id": agent_url(user.pk, site), "type": "Person", "name": user.get_full_name() or f"Editor {user.pk}"}
    if site.editor:
        data["nickname"] = user.get_username()
        data["name"] = user.get_full_name() or user.get_username()
    return data


def _text_body(value: str, purpose: str) -> dict:
    return {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}


def _assessment(annotation: Annotation) -> str:
    if annotation.accepted:
        return "accepted"
    return "declined" if annotation.status == Annotation.Status.RESOLVED else "open"


def _bodies(annotation: Annotation, site: Site) -> list[dict]:
    kind = annotation.kind
    if kind in (Annotation.Kind.NOTE, Annotation.Kind.GLOSS):
        return [_text_body(annotation.body, PURPOSE[kind])]
    bodies = []
    if kind == Annotation.Kind.CORRECTION:
        bodies.append(_text_body(annotation.proposed_text, "editing"))
        bodies.append(_text_body(_assessment(annotation), "assessing"))
        bodies.append(_text_body(annotation.correction_target or "source", "classifying"))
    else:
        bodies.append(_text_body(annotation.label, "tagging"))
        mention = annotation.mention
        if mention is not None and mention.entity_id:
            bodies.append(
                {
                    "type": "SpecificResource",
                    "purpose": "identifying",
                    "source": site.url(mention.entity.get_absolute_url()),
                }
            )
    if annotation.body:
        bodies.append(_text_body(annotation.body, "commenting"))
    return bodies


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _quote_selector(annotation: Annotation) -> dict:
    return {
        "type": "TextQuoteSelector",
        "exact": annotation.exact,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
    }


def _target(annotation: Annotation, site: Site) -> dict:
    article_url = site.url(annotation.article.get_absolute_url())
    source = f"{article_url}#{annotation.paragraph.anchor}" if annotation.paragraph_id else article_url
    if annotation.is_orphaned:
        return {"source": source, "selector": _quote_selector(annotation)} if annotation.exact else {"source": source}
    if annotation.paragraph_id and annotation.is_span:
        position = {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end}
        return {"source": source, "selector": [position, _quote_selector(annotation)]}
    return {"source": article_url}


def annotation_to_w3c(annotation: Annotation, site: Site) -> dict:
    """The annotation as a W3C Web Annotation (without `@context`: the caller's document has it)."""
    data = {
        "id": annotation_url(annotation, site),
        "type": "Annotation",
        "motivation": annotation.motivation,
        "created": _iso(annotation.created),
        "modified": _iso(annotation.modified),
    }
    if annotation.author_id is not None:
        data["creator"] = agent(annotation.author, site)
    elif annotation.creator_name:
        data["creator"] = {"type": "Person", "name": annotation.creator_name}
    bodies = _bodies(annotation, site)
    data["body"] = bodies[0] if len(bodies) == 1 else bodies
    data["target"] = _target(annotation, site)
    if annotation.is_orphaned:
        data[ORPHANED_KEY] = True
    if annotation.visibility == Annotation.Visibility.EDITORS:
        data["audience"] = EDITORS_AUDIENCE
    return data


def annotation_document(annotation: Annotation, site: Site) -> dict:
    """One annotation as a JSON-LD document of its own."""
    return {"@context": site.context, **annotation_to_w3c(annotation, site)}


def annotation_etag(annotation: Annotation) -> str:
    """A strong ETag: changes whenever anything served about the annotation changes, whoever asks."""
    data = annotation_to_w3c(annotation, Site(base_url="", editor=True))
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f'"{digest[:32]}"'


def collection(annotations, *, collection_id: str, label: str, site: Site) -> dict:
    """Every annotation in one document (an export): a collection whose first page holds them all."""
    items = [annotation_to_w3c(annotation, site) for annotation in annotations]
    return {
        "@context": site.context,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "summary": OFFSETS,
        "total": len(items),
        "first": {"id": f"{collection_id}#all", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def exportable(queryset):
    """Annotations in export order, with what the export reads.

    Orphans (no paragraph or offsets) come first in their article on every
    database: SQLite sorts NULL first and PostgreSQL last, unless told."""
    return queryset.select_related("article", "paragraph", "author", "mention__entity").order_by(
        "article__id",
        F("paragraph__position").asc(nulls_first=True),
        F("start").asc(nulls_first=True),
        "created",
        "id",
    )
