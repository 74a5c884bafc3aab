"""The W3C Web Annotation Protocol over our annotations: containers, pages, writes.

An article's annotations are an LDP BasicContainer that is also an
AnnotationCollection, paged with AnnotationPage (`?page=N`, from 0). A client
may ask for a minimal container or for pages of IRIs only with `Prefer`.
Editors create (POST to the container), replace (PUT with If-Match) and
delete annotations through it; writes go through the same services and
validation as the admin and are recorded in the admin's history.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.paginator import EmptyPage, Paginator
from django.db import transaction

from ..models import Annotation, Article
from .services import annotation_create, annotation_delete, annotation_move, annotation_update
from .w3c import OFFSETS, Site, annotation_to_w3c, annotation_url
from .w3c_import import Draft, DraftError, annotation_drafts

LDP_BASIC_CONTAINER = "http://www.w3.org/ns/ldp#BasicContainer"
LDP_RESOURCE = "http://www.w3.org/ns/ldp#Resource"
LDP_CONSTRAINED_BY = "http://www.w3.org/ns/ldp#constrainedBy"
PROTOCOL_SPEC = "http://www.w3.org/TR/annotation-protocol/"
PREFER_MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
PREFER_DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions"
# Defines BasicContainer, which anno.jsonld does not.
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"


@dataclass(frozen=True)
class Preference:
    """What a client asked for with `Prefer: return=representation; include="…"`."""

    minimal: bool = False
    iris: bool = False

    @classmethod
    def parse(cls, header: str) -> "Preference":
        includes = set()
        for part in header.split(";"):
            name, _, value = part.strip().partition("=")
            if name.strip().lower() == "include":
                includes.update(value.strip().strip('"').split())
        return cls(
            minimal=PREFER_MINIMAL in includes, iris=PREFER_IRIS in includes and PREFER_DESCRIPTIONS not in includes
        )


def _page_url(container_url: str, number: int, iris: bool) -> str:
    query = {"iris": 1, "page": number} if iris else {"page": number}
    return f"{container_url}{'&' if '?' in container_url else '?'}{urlencode(query)}"


def _paginator(annotations) -> Paginator:
    return Paginator(annotations, settings.ANNOTATIONS_PAGE_SIZE, allow_empty_first_page=True)


def _page(paginator: Paginator, number: int, *, container_url: str, site: Site, iris: bool, embedded: bool) -> dict:
    page = paginator.page(number + 1)
    items = [annotation_url(a, site) if iris else annotation_to_w3c(a, site) for a in page.object_list]
    data = {
        "id": _page_url(container_url, number, iris),
        "type": "AnnotationPage",
        "startIndex": page.start_index() - 1 if paginator.count else 0,
        "items": items,
    }
    if not embedded:
        data = {"@context": site.context, **data, "partOf": {"id": container_url, "total": paginator.count}}
    if page.has_next():
        data["next"] = _page_url(container_url, number + 1, iris)
    if page.has_previous():
        data["prev"] = _page_url(container_url, number - 1, iris)
    return data


def container_document(annotations, *, container_url: str, label: str, site: Site, preference: Preference) -> dict:
    """The container: an AnnotationCollection with its first page embedded (unless minimal) and its last."""
    paginator = _paginator(annotations)
    last = max(paginator.num_pages - 1, 0)
    anno, *ours = site.context
    data = {
        "@context": [anno, LDP_CONTEXT, *ours],
        "id": container_url,
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": label,
        "summary": OFFSETS,
        "total": paginator.count,
    }
    if preference.minimal:
        data["first"] = _page_url(container_url, 0, preference.iris)
    else:
        data["first"] = _page(paginator, 0, container_url=container_url, site=site, iris=preference.iris, embedded=True)
    data["last"] = _page_url(container_url, last, preference.iris)
    return data


def page_document(annotations, *, number: int, container_url: str, site: Site, iris: bool) -> dict:
    """One AnnotationPage of the container; LookupError when there is no such page."""
    paginator = _paginator(annotations)
    try:
        return _page(paginator, number, container_url=container_url, site=site, iris=iris, embedded=False)
    except EmptyPage:
        raise LookupError(f"there is no page {number}") from None


# --- Writes ---------------------------------------------------------------------


class ProtocolError(ValueError):
    """A request the Protocol endpoint refuses (400); the message says why."""


def _one_draft(data, *, article: Article, orphan_allowed: bool = False) -> Draft:
    try:
        drafts = annotation_drafts(data)
    except DraftError as error:
        raise ProtocolError(str(error)) from None
    if len(drafts) != 1:
        raise ProtocolError("give one target per annotation")
    draft = drafts[0]
    if isinstance(draft, DraftError):
        raise ProtocolError(str(draft))
    if draft.article.pk != article.pk:
        raise ProtocolError("the target is not in this container's article")
    if draft.orphaned and not orphan_allowed:
        raise ProtocolError("an orphaned annotation cannot be written; target words that are in the text")
    return draft


def _history(user, annotation: Annotation, flag: int, message) -> None:
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[annotation], action_flag=flag, change_message=message, single_object=True
    )


@transaction.atomic
def protocol_annotation_create(*, article: Article, data, user) -> Annotation:
    """Create what `data` (a W3C annotation) describes on `article`, by `user`.

    ProtocolError or AnnotationError (the admin's rules) say why not; nothing is written then.
    """
    draft = _one_draft(data, article=article)
    start, end = draft.span if draft.span else (None, None)
    annotation = annotation_create(
        article=article,
        user=user,
        kind=draft.kind,
        paragraph=draft.paragraph if draft.span else None,
        start=start,
        end=end,
        body=draft.body,
        proposed_text=draft.proposed_text,
        correction_target=draft.correction_target,
        label=draft.label,
        entity=draft.entity,
        visibility=draft.visibility,
    )
    _history(user, annotation, ADDITION, [{"added": {}}])
    return annotation


@transaction.atomic
def protocol_annotation_replace(*, annotation: Annotation, data, user) -> Annotation:
    """Replace the annotation with what `data` says: its content and where it is (an orphan can be
    anchored again this way); its kind stays."""
    draft = _one_draft(data, article=annotation.article, orphan_allowed=annotation.is_orphaned)
    if draft.kind != annotation.kind:
        raise ProtocolError(f"the annotation is a {annotation.kind}: its motivation cannot change")
    same_place = (draft.orphaned and annotation.is_orphaned) or (
        not annotation.is_orphaned
        and draft.paragraph == annotation.paragraph
        and ((draft.span is None and not annotation.is_span) or draft.span == (annotation.start, annotation.end))
    )
    moved = not same_place
    if moved:
        start, end = draft.span if draft.span else (None, None)
        annotation_move(
            annotation=annotation, paragraph=draft.paragraph if draft.span else None, start=start, end=end, user=user
        )
    changes = {name: value for name, value in draft.content().items() if getattr(annotation, name) != value}
    if annotation.kind == Annotation.Kind.CORRECTION and changes.get("status") == Annotation.Status.OPEN:
        changes.pop("accepted", None)
    if changes:
        annotation_update(annotation=annotation, user=user, **changes)
    if changes or moved:
        fields = sorted(changes) + (["target"] if moved else [])
        _history(user, annotation, CHANGE, [{"changed": {"fields": fields}}])
    return annotation


@transaction.atomic
def protocol_annotation_delete(*, annotation: Annotation, user) -> None:
    _history(user, annotation, DELETION, "")
    annotation_delete(annotation=annotation)
