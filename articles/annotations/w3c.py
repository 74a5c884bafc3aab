"""Annotations as W3C Web Annotations (JSON-LD), out and back in.

Each annotation targets its paragraph by URL (the article page with the
fragment `#p<position>`, which is also the paragraph's row id on the page)
and carries both selectors: TextPositionSelector (start, end: Unicode code
points over the paragraph's original text, logical order, end exclusive) and
TextQuoteSelector (exact, prefix, suffix). Bodies are TextualBody objects
whose purpose says what they are: commenting (a note), describing (a gloss),
editing (a correction's proposed text, with an assessing body for its status
and a classifying body for what it corrects) or tagging (an entity type).
Editors-only annotations carry an `audience`.

Importing finds the paragraph from the path and fragment of `target.source`
whatever the host, anchors by the selectors (position, then quote, then a
fuzzy match), and reports what it could not anchor without failing the rest.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils.dateparse import parse_datetime

from ..anchoring import Quote, quote_at, reanchor
from ..entities.services import mention_add
from ..models import Annotation, Article, Entity

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
OFFSETS = "TextPositionSelector offsets count Unicode code points over the paragraph's original text, in logical order"
PURPOSE = {
    Annotation.Kind.NOTE: "commenting",
    Annotation.Kind.GLOSS: "describing",
    Annotation.Kind.CORRECTION: "editing",
    Annotation.Kind.ENTITY: "tagging",
}
KIND = {purpose: kind for kind, purpose in PURPOSE.items()}
EDITORS_AUDIENCE = {"type": "schema:Audience", "schema:audienceType": "editors"}


def _text_body(value: str, purpose: str) -> dict:
    return {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}


def _bodies(annotation: Annotation, base_url: str) -> list[dict]:
    kind = annotation.kind
    if kind in (Annotation.Kind.NOTE, Annotation.Kind.GLOSS):
        return [_text_body(annotation.body, PURPOSE[kind])]
    bodies = []
    if kind == Annotation.Kind.CORRECTION:
        bodies.append(_text_body(annotation.proposed_text, "editing"))
        status = "accepted" if annotation.accepted else ("declined" if annotation.status == "resolved" else "open")
        bodies.append(_text_body(status, "assessing"))
        bodies.append(_text_body(annotation.correction_target or "source", "classifying"))
    else:
        bodies.append(_text_body(annotation.label, "tagging"))
        mention = annotation.mention
        if mention is not None and mention.entity_id:
            bodies.append(
                {
                    "type": "SpecificResource",
                    "purpose": "identifying",
                    "source": base_url + mention.entity.get_absolute_url(),
                }
            )
    if annotation.body:
        bodies.append(_text_body(annotation.body, "commenting"))
    return bodies


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def annotation_to_w3c(annotation: Annotation, base_url: str) -> dict:
    article_url = base_url + annotation.article.get_absolute_url()
    data = {
        "id": f"urn:uuid:{annotation.uuid}",
        "type": "Annotation",
        "motivation": annotation.motivation,
        "created": _iso(annotation.created),
        "modified": _iso(annotation.modified),
    }
    if annotation.author is not None:
        author = annotation.author
        data["creator"] = {
            "type": "Person",
            "nickname": author.get_username(),
            "name": author.get_full_name() or author.get_username(),
        }
    bodies = _bodies(annotation, base_url)
    data["body"] = bodies[0] if len(bodies) == 1 else bodies
    if annotation.paragraph_id and annotation.is_span:
        data["target"] = {
            "source": f"{article_url}#{annotation.paragraph.anchor}",
            "selector": [
                {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
                {
                    "type": "TextQuoteSelector",
                    "exact": annotation.exact,
                    "prefix": annotation.prefix,
                    "suffix": annotation.suffix,
                },
            ],
        }
    else:
        data["target"] = {"source": article_url}
    if annotation.visibility == Annotation.Visibility.EDITORS:
        data["audience"] = EDITORS_AUDIENCE
    return data


def collection(annotations, *, collection_id: str, label: str, base_url: str) -> dict:
    items = [annotation_to_w3c(annotation, base_url) for annotation in annotations]
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "summary": OFFSETS,
        "total": len(items),
        "first": {"id": f"{collection_id}#page1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def exportable(queryset):
    """Annotations in export order, with what the export reads."""
    return queryset.select_related("article", "paragraph", "author", "mention__entity").order_by(
        "article__id", "paragraph__position", "start", "created", "id"
    )


# --- Import ---------------------------------------------------------------------


@dataclass
class W3CImportReport:
    created: int = 0
    updated: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


class _Unanchored(Exception):
    pass


def _items(data) -> list[dict]:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise ValueError("expected a W3C AnnotationCollection, AnnotationPage, list or Annotation")
    if data.get("type") == "Annotation":
        return [data]
    if "first" in data:
        return list(data["first"].get("items", []))
    return list(data.get("items", []))


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _locate_target(target: dict):
    parts = urlsplit(target.get("source", ""))
    try:
        match = resolve(parts.path)
    except Resolver404:
        raise _Unanchored(f"no article page at {parts.path!r}") from None
    if match.view_name != "articles:detail":
        raise _Unanchored(f"{parts.path!r} is not an article page")
    # Exported before the article was renamed: its old slug still names it.
    slug = match.kwargs["slug"]
    article = Article.objects.filter(slug=slug).first() or Article.objects.filter(old_slugs__slug=slug).first()
    if article is None:
        raise _Unanchored(f"no article {match.kwargs['slug']!r}")
    if not parts.fragment:
        return article, None
    if not (parts.fragment.startswith("p") and parts.fragment[1:].isdigit()):
        raise _Unanchored(f"the fragment #{parts.fragment} names no paragraph")
    paragraph = article.paragraphs.filter(position=int(parts.fragment[1:])).first()
    if paragraph is None:
        raise _Unanchored(f"article {article.slug!r} has no paragraph #{parts.fragment}")
    return article, paragraph


def _selectors(target: dict) -> tuple[Quote | None, int | None, int | None]:
    quote, start, end = None, None, None
    for selector in _as_list(target.get("selector")):
        if selector.get("type") == "TextQuoteSelector":
            quote = Quote(selector.get("exact", ""), selector.get("prefix", ""), selector.get("suffix", ""))
        elif selector.get("type") == "TextPositionSelector":
            start, end = selector.get("start"), selector.get("end")
    return quote, start, end


def _entity_from(url: str) -> Entity | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    if match.view_name != "articles:entity":
        return None
    return Entity.objects.filter(pk=match.kwargs["pk"]).first()


def _import_one(item: dict, report: W3CImportReport) -> None:
    identifier = item.get("id", "")
    target = _as_list(item.get("target"))[0] if item.get("target") else {}
    article, paragraph = _locate_target(target)
    kind = KIND.get(item.get("motivation", ""))
    bodies = _as_list(item.get("body"))
    by_purpose = {body.get("purpose"): body for body in bodies}
    if kind is None:
        kind = next((KIND[b.get("purpose")] for b in bodies if b.get("purpose") in KIND), Annotation.Kind.NOTE)

    fields = {
        "article": article,
        "paragraph": paragraph,
        "kind": kind,
        "visibility": Annotation.Visibility.EDITORS
        if _as_list(item.get("audience")) and "editors" in str(item.get("audience"))
        else Annotation.Visibility.PUBLIC,
        "body": by_purpose.get("commenting", {}).get("value", ""),
        "proposed_text": "",
        "correction_target": "",
        "status": "",
        "accepted": False,
        "label": "",
    }
    if kind in (Annotation.Kind.NOTE, Annotation.Kind.GLOSS):
        fields["body"] = by_purpose.get(PURPOSE[kind], by_purpose.get("commenting", {})).get("value", "")
    elif kind == Annotation.Kind.CORRECTION:
        assessment = by_purpose.get("assessing", {}).get("value", "open")
        fields.update(
            proposed_text=by_purpose.get("editing", {}).get("value", ""),
            status=Annotation.Status.OPEN if assessment == "open" else Annotation.Status.RESOLVED,
            accepted=assessment == "accepted",
            correction_target=by_purpose.get("classifying", {}).get("value", "source"),
        )
    else:
        fields["label"] = by_purpose.get("tagging", {}).get("value", "")

    span = None
    if paragraph is not None:
        quote, start, end = _selectors(target)
        if quote is None and start is not None and end is not None:
            quote = quote_at(paragraph.text, start, end) if 0 <= start < end <= len(paragraph.text) else None
        if quote is None:
            raise _Unanchored("the target has neither a quote nor a valid position")
        result = reanchor(paragraph.text, quote=quote, start=start, end=end)
        if not result.found:
            raise _Unanchored(f"«{quote.exact}» is not in paragraph {paragraph.position} any more")
        span = (result.start, result.end)
        selector = quote_at(paragraph.text, *span)
        fields.update(
            start=span[0],
            end=span[1],
            exact=selector.exact,
            prefix=selector.prefix,
            suffix=selector.suffix,
            anchor=result.state,
            anchor_score=result.score,
        )

    creator = _as_list(item.get("creator"))
    nickname = creator[0].get("nickname") if creator and isinstance(creator[0], dict) else None
    fields["author"] = get_user_model().objects.filter(username=nickname).first() if nickname else None

    if kind == Annotation.Kind.ENTITY:
        if span is None:
            raise _Unanchored("an entity label needs a span")
        identifying = by_purpose.get("identifying", {}).get("source")
        fields["mention"] = mention_add(
            paragraph=paragraph,
            start=span[0],
            end=span[1],
            label=fields["label"],
            entity=_entity_from(identifying) if identifying else None,
            user=fields["author"],
        )

    key = identifier.removeprefix("urn:uuid:")
    try:
        annotation_uuid = uuid.UUID(key)
    except ValueError:
        annotation_uuid = uuid.uuid5(uuid.NAMESPACE_URL, identifier or repr(item))
    annotation, created = Annotation.objects.update_or_create(uuid=annotation_uuid, defaults=fields)
    # Keep the times the annotation was made and last changed, not the import's.
    times = {name: parse_datetime(item[name]) for name in ("created", "modified") if item.get(name)}
    if times:
        Annotation.objects.filter(pk=annotation.pk).update(**times)
    if created:
        report.created += 1
    else:
        report.updated += 1


def w3c_import(data) -> W3CImportReport:
    """Import W3C annotations; each one lands whole or is reported, never failing the others."""
    report = W3CImportReport()
    for item in _items(data):
        label = item.get("id", "(no id)") if isinstance(item, dict) else "(not an object)"
        try:
            with transaction.atomic():
                if not isinstance(item, dict):
                    raise _Unanchored("not a JSON object")
                _import_one(item, report)
        except _Unanchored as error:
            report.failed.append((label, str(error)))
        except (KeyError, TypeError, ValueError) as error:
            report.failed.append((label, f"malformed annotation: {error}"))
    return report
