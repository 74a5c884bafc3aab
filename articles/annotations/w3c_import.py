"""Reading W3C Web Annotations written by us or by other tools.

`annotation_drafts` turns one annotation in any valid shape of the Web
Annotation Model into what our services take: plain IRI or object `body`
and `target`, `bodyValue`, TextualBody without `purpose` (its purpose is the
annotation's motivation), `motivation` as a string or a list, several
targets (one draft per target), SpecificResource `selector` as an object or
a list, RangeSelector of two quote or position selectors. A paragraph is
found from the path and `#p<position>` of the target's source, whatever the
host. Each draft is anchored by its selectors and checked with the admin's own
rules (`annotation_validate`); what cannot be used raises `DraftError` with
the reason. Our own orphans (`"orphaned": true`) come back as orphans.
"""

import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils.dateparse import parse_datetime

from arabic.anchoring import Quote, quote_at, reanchor

from ..entities.services import mention_add
from ..models import Annotation, Article, Entity, EntityType, Paragraph
from .services import AnnotationError, annotation_content_check, annotation_validate
from .w3c import ASSESSMENTS, KIND, ORPHANED_KEY


class DraftError(ValueError):
    """An annotation (or one of its targets) that cannot be used; the message says why."""


@dataclass
class Draft:
    """One annotation on one of our paragraphs (or articles), ready for the services."""

    article: Article
    paragraph: Paragraph | None
    kind: str
    body: str = ""
    proposed_text: str = ""
    correction_target: str = ""
    status: str = ""
    accepted: bool = False
    label: str = ""
    entity: Entity | None = None
    visibility: str = Annotation.Visibility.PUBLIC
    span: tuple[int, int] | None = None
    quote: Quote | None = None
    anchor: str = Annotation.Anchor.EXACT
    anchor_score: float | None = None
    orphaned: bool = False
    author: object = None
    creator_name: str = ""

    def content(self) -> dict:
        """The fields an update may change (`annotation_update`)."""
        return {
            "body": self.body,
            "proposed_text": self.proposed_text,
            "correction_target": self.correction_target,
            "status": self.status,
            "accepted": self.accepted,
            "label": self.label,
            "visibility": self.visibility,
        }


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(value: dict) -> list:
    return _as_list(value.get("type"))


# --- Bodies ---------------------------------------------------------------------


@dataclass
class _Body:
    purpose: str
    value: str = ""
    source: str = ""


def _bodies(item: dict, motivations: list[str]) -> list[_Body]:
    if "body" in item and "bodyValue" in item:
        raise DraftError("body and bodyValue cannot both be given")
    default_purpose = next((m for m in motivations if m in KIND), "commenting")
    if "bodyValue" in item:
        if not isinstance(item["bodyValue"], str):
            raise DraftError("bodyValue must be a string")
        return [_Body(default_purpose, value=item["bodyValue"])]
    bodies = []
    for body in _as_list(item.get("body")):
        if isinstance(body, str):  # a plain IRI: a link
            bodies.append(_Body(default_purpose, source=body))
            continue
        if not isinstance(body, dict):
            raise DraftError("a body must be an IRI or an object")
        purposes = [p.removeprefix("oa:") for p in _as_list(body.get("purpose")) if isinstance(p, str)]
        purposes = purposes or [default_purpose]
        if "value" in body:
            if not isinstance(body["value"], str):
                raise DraftError("a TextualBody's value must be a string")
            bodies += [_Body(purpose, value=body["value"]) for purpose in purposes]
        elif isinstance(body.get("source") or body.get("id"), str):
            bodies += [_Body(purpose, source=body.get("source") or body["id"]) for purpose in purposes]
        elif "items" in body:
            raise DraftError("Choice, Composite, List and Independents bodies are not supported")
        else:
            raise DraftError("a body has neither a value nor a source")
    return bodies


def _entity_from(url: str) -> Entity | None:
    match = _resolve(url)
    if match is None or match.view_name != "articles:entity":
        return None
    return Entity.objects.filter(pk=match.kwargs["pk"]).first()


def _resolve(url: str):
    try:
        return resolve(urlsplit(url).path)
    except Resolver404:
        return None


def _content(kind: str, bodies: list[_Body]) -> dict:
    def text(*purposes: str) -> str:
        return "\n\n".join(b.value or b.source for b in bodies if b.purpose in purposes and (b.value or b.source))

    fields = {"body": text("commenting")}
    if kind == Annotation.Kind.NOTE:
        # A note says what any body without a purpose of ours says (replying, linking, …).
        fields["body"] = text("commenting", *({b.purpose for b in bodies} - set(KIND)))
    elif kind == Annotation.Kind.GLOSS:
        fields["body"] = text("describing") or text("commenting")
    elif kind == Annotation.Kind.CORRECTION:
        assessment = text("assessing") or "open"
        if assessment not in ASSESSMENTS:
            raise DraftError(f"a correction's assessing body must be one of {', '.join(ASSESSMENTS)}")
        target = text("classifying") or Annotation.CorrectionTarget.SOURCE
        if target not in Annotation.CorrectionTarget.values:
            raise DraftError(
                f"a correction's classifying body must be one of {', '.join(Annotation.CorrectionTarget.values)}"
            )
        fields.update(
            proposed_text=text("editing"),
            status=Annotation.Status.OPEN if assessment == "open" else Annotation.Status.RESOLVED,
            accepted=assessment == "accepted",
            correction_target=target,
        )
    else:
        tags = [b.value for b in bodies if b.purpose == "tagging" and b.value]
        label = next((tag for tag in tags if tag in EntityType.values), tags[0] if tags else "")
        identifying = next((b.source for b in bodies if b.purpose == "identifying" and b.source), "")
        fields.update(label=label, entity=_entity_from(identifying) if identifying else None)
    return fields


# --- Targets --------------------------------------------------------------------


def _target_parts(target) -> tuple[str, list]:
    if isinstance(target, str):
        return target, []
    if not isinstance(target, dict):
        raise DraftError("a target must be an IRI or an object")
    source = target.get("source") or (target.get("id") if "selector" not in target else None)
    if not isinstance(source, str):
        raise DraftError("a target has no source IRI")
    return source, _as_list(target.get("selector"))


def _locate(source: str) -> tuple[Article, Paragraph | None]:
    parts = urlsplit(source)
    match = _resolve(source)
    if match is None or match.view_name != "articles:detail":
        raise DraftError(f"{parts.path!r} is not an article page of this site")
    # Exported before the article was renamed: its old slug still names it.
    slug = match.kwargs["slug"]
    article = Article.objects.filter(slug=slug).first() or Article.objects.filter(old_slugs__slug=slug).first()
    if article is None:
        raise DraftError(f"no article {match.kwargs['slug']!r}")
    if not parts.fragment:
        return article, None
    if not (parts.fragment.startswith("p") and parts.fragment[1:].isdigit()):
        raise DraftError(f"the fragment #{parts.fragment} names no paragraph")
    paragraph = article.paragraphs.filter(position=int(parts.fragment[1:])).first()
    if paragraph is None:
        raise DraftError(f"article {article.slug!r} has no paragraph #{parts.fragment}")
    return article, paragraph


@dataclass
class _Where:
    quote: Quote | None = None
    start: int | None = None
    end: int | None = None


def _selector_where(selector: dict, text: str) -> _Where:
    kind = _types(selector)
    if "TextQuoteSelector" in kind:
        exact = selector.get("exact")
        if not isinstance(exact, str):
            raise DraftError("a TextQuoteSelector needs its exact text")
        prefix, suffix = selector.get("prefix"), selector.get("suffix")
        return _Where(
            quote=Quote(exact, prefix if isinstance(prefix, str) else "", suffix if isinstance(suffix, str) else "")
        )
    if "TextPositionSelector" in kind:
        start, end = selector.get("start"), selector.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            raise DraftError("a TextPositionSelector needs integer start and end")
        return _Where(start=start, end=end)
    return _Where()


def _merge(parts: list[_Where]) -> _Where:
    where = _Where()
    for part in parts:
        where.quote = where.quote or part.quote
        if part.start is not None:
            where.start, where.end = part.start, part.end
    return where


def _anchor(where: _Where, text: str):
    quote = where.quote
    if quote is None and where.start is not None:
        if not 0 <= where.start < where.end <= len(text):
            raise DraftError(
                f"the position {where.start}–{where.end} is outside the paragraph ({len(text)} characters)"
            )
        quote = quote_at(text, where.start, where.end)
    if quote is None:
        raise DraftError("the target has neither a quote nor a position selector we can use")
    return quote, reanchor(text, quote=quote, start=where.start, end=where.end)


def _place(selectors: list, paragraph: Paragraph, draft: Draft, orphaned: bool) -> None:
    text = paragraph.text
    usable = [s for s in selectors if isinstance(s, dict)]
    ranges = [s for s in usable if "RangeSelector" in _types(s)]
    if ranges:
        start_selector, end_selector = ranges[0].get("startSelector"), ranges[0].get("endSelector")
        if not isinstance(start_selector, dict) or not isinstance(end_selector, dict):
            raise DraftError("a RangeSelector needs a startSelector and an endSelector")
        _, first = _anchor(_selector_where(start_selector, text), text)
        _, last = _anchor(_selector_where(end_selector, text), text)
        if not (first.found and last.found) or last.end <= first.start:
            raise DraftError(f"the range is not in paragraph {paragraph.position} any more")
        draft.span = (first.start, last.end)
        draft.anchor = Annotation.Anchor.EXACT if first.state == last.state == "exact" else Annotation.Anchor.QUOTE
        return
    where = _merge([_selector_where(s, text) for s in usable])
    if orphaned:
        if where.quote is None:
            raise DraftError("an orphaned annotation needs its old quote")
        draft.quote, draft.orphaned, draft.anchor = where.quote, True, Annotation.Anchor.ORPHANED
        return
    if not selectors:  # the whole paragraph
        draft.span, draft.anchor = (0, len(text)), Annotation.Anchor.EXACT
        return
    quote, result = _anchor(where, text)
    if not result.found:
        raise DraftError(f"«{quote.exact}» is not in paragraph {paragraph.position} any more")
    draft.span, draft.anchor, draft.anchor_score = (result.start, result.end), result.state, result.score


# --- Creators -------------------------------------------------------------------


def _creator(item: dict) -> tuple[object, str]:
    """The account behind `creator`, else the name it gives.

    By login name (`nickname`) first; by our agent URL only when the name
    given is that account's, since another site's user 3 is not ours.
    """
    creators = [c for c in _as_list(item.get("creator")) if isinstance(c, (dict, str))]
    if not creators:
        return None, ""
    creator = creators[0] if isinstance(creators[0], dict) else {"id": creators[0]}
    users = get_user_model().objects
    nickname = creator.get("nickname") if isinstance(creator.get("nickname"), str) else ""
    names = [n for n in _as_list(creator.get("name")) if isinstance(n, str)]
    if nickname:
        user = users.filter(username=nickname).first()
        if user is not None:
            return user, ""
    match = _resolve(creator["id"]) if isinstance(creator.get("id"), str) else None
    if match is not None and match.view_name == "articles:api-agent":
        user = users.filter(pk=match.kwargs["pk"]).first()
        if user is not None and names and names[0] in (user.get_full_name(), f"Editor {user.pk}", user.get_username()):
            return user, ""
    name = (names[0] if names else "") or nickname or (creator.get("id") if isinstance(creator.get("id"), str) else "")
    return None, name[:200]


# --- Drafts ---------------------------------------------------------------------


def annotation_drafts(item) -> list[Draft | DraftError]:
    """One draft per target of `item`; a target that cannot be used is a DraftError in its place."""
    if not isinstance(item, dict):
        raise DraftError("not a JSON object")
    if item.get("type") is not None and "Annotation" not in _types(item):
        raise DraftError(f"type {item.get('type')!r} is not an Annotation")
    motivations = [m.removeprefix("oa:") for m in _as_list(item.get("motivation")) if isinstance(m, str)]
    bodies = _bodies(item, motivations)
    kind = next((KIND[m] for m in motivations if m in KIND), None)
    if kind is None:
        kind = next((KIND[b.purpose] for b in bodies if b.purpose in KIND), Annotation.Kind.NOTE)
    content = _content(kind, bodies)
    audience = str(item.get("audience", ""))
    visibility = Annotation.Visibility.EDITORS if "editors" in audience else Annotation.Visibility.PUBLIC
    author, creator_name = _creator(item)
    orphaned = item.get(ORPHANED_KEY) is True
    targets = _as_list(item.get("target"))
    if not targets:
        raise DraftError("the annotation has no target")

    drafts: list[Draft | DraftError] = []
    for target in targets:
        try:
            source, selectors = _target_parts(target)
            article, paragraph = _locate(source)
            draft = Draft(
                article=article,
                paragraph=paragraph,
                kind=kind,
                visibility=visibility,
                author=author,
                creator_name=creator_name,
                **content,
            )
            if paragraph is not None:
                _place(selectors, paragraph, draft, orphaned)
            elif orphaned and selectors:
                quote = _merge([_selector_where(s, "") for s in selectors if isinstance(s, dict)]).quote
                draft.quote, draft.orphaned, draft.anchor = quote, True, Annotation.Anchor.ORPHANED
            draft_check(draft)
            drafts.append(draft)
        except (DraftError, AnnotationError) as error:
            drafts.append(DraftError(str(error)))
    return drafts


def draft_check(draft: Draft) -> None:
    """The admin's own rules; AnnotationError says what is wrong."""
    if draft.orphaned:
        annotation_content_check(
            draft.kind, body=draft.body, proposed_text=draft.proposed_text, label=draft.label, has_span=True
        )
        return
    start, end = draft.span if draft.span else (None, None)
    annotation_validate(
        kind=draft.kind,
        paragraph=draft.paragraph if draft.span else None,
        start=start,
        end=end,
        body=draft.body,
        proposed_text=draft.proposed_text,
        label=draft.label,
    )


# --- Import ---------------------------------------------------------------------


@dataclass
class W3CImportReport:
    created: int = 0
    updated: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def _items(data) -> list:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise ValueError("expected a W3C AnnotationCollection, AnnotationPage, list or Annotation")
    if "Annotation" in _types(data):
        return [data]
    page = data["first"] if isinstance(data.get("first"), dict) else data
    items = page.get("items")
    if not isinstance(items, list):
        raise ValueError("expected a W3C AnnotationCollection, AnnotationPage, list or Annotation: no list of items")
    return items


def _uuid_for(identifier: str, index: int, item) -> uuid.UUID:
    """Our own ids come back as themselves; others get a stable id per annotation and target."""
    key = identifier.rstrip("/").rsplit("/", 1)[-1].removeprefix("urn:uuid:") if identifier else ""
    if index == 0:
        try:
            return uuid.UUID(key)
        except ValueError:
            pass
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{identifier or repr(item)}#target{index}")


def _save_draft(draft: Draft, annotation_uuid: uuid.UUID, item: dict) -> bool:
    fields = {
        "article": draft.article,
        "paragraph": draft.paragraph,
        "kind": draft.kind,
        **draft.content(),
        "author": draft.author,
        "creator_name": draft.creator_name,
        "anchor": draft.anchor,
        "anchor_score": draft.anchor_score,
        "start": None,
        "end": None,
        "exact": "",
        "prefix": "",
        "suffix": "",
        "mention": None,
    }
    if draft.span is not None:
        selector = quote_at(draft.paragraph.text, *draft.span)
        fields.update(
            start=draft.span[0], end=draft.span[1], exact=selector.exact, prefix=selector.prefix, suffix=selector.suffix
        )
    elif draft.quote is not None:
        fields.update(exact=draft.quote.exact, prefix=draft.quote.prefix[-64:], suffix=draft.quote.suffix[:64])
    if draft.kind == Annotation.Kind.ENTITY and draft.span is not None:
        fields["mention"] = mention_add(
            paragraph=draft.paragraph,
            start=draft.span[0],
            end=draft.span[1],
            label=draft.label,
            entity=draft.entity,
            user=draft.author,
        )
    annotation, created = Annotation.objects.update_or_create(uuid=annotation_uuid, defaults=fields)
    # Keep the times the annotation was made and last changed, not the import's.
    times = {name: parse_datetime(item[name]) for name in ("created", "modified") if isinstance(item.get(name), str)}
    times = {name: value for name, value in times.items() if value is not None}
    if times:
        Annotation.objects.filter(pk=annotation.pk).update(**times)
    return created


def w3c_import(data) -> W3CImportReport:
    """Import W3C annotations; each one (per target) lands whole or is reported with its reason."""
    report = W3CImportReport()
    for index, item in enumerate(_items(data)):
        identifier = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else ""
        label = identifier or f"item {index + 1}"
        try:
            drafts = annotation_drafts(item)
        except DraftError as error:
            report.failed.append((label, str(error)))
            continue
        for number, draft in enumerate(drafts):
            where = label if len(drafts) == 1 else f"{label} (target {number + 1})"
            if isinstance(draft, DraftError):
                report.failed.append((where, str(draft)))
                continue
            try:
                with transaction.atomic():
                    created = _save_draft(draft, _uuid_for(identifier, number, item), item)
            except (AnnotationError, ValueError) as error:
                report.failed.append((where, str(error)))
                continue
            if created:
                report.created += 1
            else:
                report.updated += 1
    return report
