"""How annotations look in text: on the reader's page and in the editors' workspace."""

from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from arabic.tokens import sentence_spans

from ..models import Annotation, EntityType, Mention, Paragraph
from ..rendering import Span, highlight
from ..segments import SegmentKind
from .selectors import Workspace


def reader_note(annotation: Annotation) -> str:
    """What a reader is told about an annotation, in plain words."""
    if annotation.kind == Annotation.Kind.CORRECTION:
        label = _("Correction accepted by an editor") if annotation.accepted else _("Proposed correction")
        return f"{label}: {annotation.proposed_text}" + (f" — {annotation.body}" if annotation.body else "")
    if annotation.kind == Annotation.Kind.ENTITY:
        return f"{annotation.get_label_display()}" + (f": {annotation.body}" if annotation.body else "")
    return annotation.body


def annotation_span(annotation: Annotation, *, workspace: bool = False) -> Span:
    classes = ["annotation", f"annotation-{annotation.kind}"]
    if annotation.kind == Annotation.Kind.CORRECTION and annotation.accepted:
        classes.append("annotation-accepted")
    if annotation.visibility == Annotation.Visibility.EDITORS:
        classes.append("annotation-editors")
    attrs = {
        "class": " ".join(classes),
        "data-annotation": str(annotation.pk),
        "data-kind": annotation.kind,
        "data-kind-label": str(annotation.get_kind_display()),
    }
    if workspace:
        attrs["title"] = f"{annotation.get_kind_display()}: {reader_note(annotation)}"
    else:
        # The note itself is listed under the paragraph; the mark points to it.
        attrs["tabindex"] = "0"
        attrs["aria-describedby"] = f"note-{annotation.pk}"
        attrs["data-note"] = reader_note(annotation)
    return Span(annotation.start, annotation.end, "mark", attrs)


# --- The Annotate page ---------------------------------------------------------------


def mention_state(mention: Mention) -> str:
    """Where a mention stands, in the editor's words: suggested by which recogniser, confirmed,
    added by an editor, or rejected (the page's marks and the popover say the same)."""
    if mention.status == Mention.Status.SUGGESTED:
        return _("suggested by %(source)s") % {"source": mention.get_source_display()}
    if mention.status == Mention.Status.REJECTED:
        return str(_("Rejected"))
    return str(_("added by an editor") if mention.source == Mention.Source.EDITOR else _("confirmed"))


def workspace_mention_span(mention: Mention) -> Span:
    """A mention on the Annotate page: its colour, marked as a suggestion or a decision, and a
    control (click, or focus and Enter) that opens the decision popover."""
    status = mention_state(mention)
    entity = mention.entity
    entity_name = (entity.name_en or entity.name_ar) if entity is not None else ""
    return Span(
        mention.start,
        mention.end,
        "mark",
        {
            "class": f"entity ent-{mention.label} mention mention-{mention.status}",
            "data-mention": str(mention.pk),
            "data-status": mention.status,
            "data-state": status,
            "data-label": mention.label,
            "data-entity": str(entity.pk) if entity is not None else "",
            "data-entity-name": entity_name,
            "tabindex": "0",
            "role": "button",
            "aria-haspopup": "dialog",
            "title": " · ".join(filter(None, [str(EntityType(mention.label).label), str(status), entity_name])),
        },
    )


@dataclass(frozen=True)
class PageParagraph:
    paragraph: Paragraph
    html: SafeString
    annotations: list


@dataclass(frozen=True)
class SuggestionGroup:
    """The suggestions of one sentence, the sentence shown with them marked."""

    where: str  # "¶3", or the segment's name (title, related headline…)
    anchor: str  # the paragraph's id on the page, "" for other segments
    sentence: SafeString
    mentions: list


@dataclass(frozen=True)
class WorkspacePage:
    """The Annotate page as it is drawn: the marked paragraphs, the suggestions by sentence."""

    workspace: Workspace
    paragraphs: list
    suggestion_groups: list

    @property
    def orphans(self) -> list:
        return self.workspace.orphans

    @property
    def article_notes(self) -> list:
        return self.workspace.article_notes

    @property
    def suggestions(self) -> list:
        return self.workspace.suggestions

    @property
    def has_annotations(self) -> bool:
        return self.workspace.has_annotations


def _segment_text(mention: Mention, article) -> str:
    if mention.kind == SegmentKind.PARAGRAPH:
        return mention.paragraph.text
    if mention.kind == SegmentKind.TITLE:
        return article.title
    if mention.kind == SegmentKind.LEAD_CAPTION:
        return article.lead_caption
    return mention.related_story.title if mention.kind == SegmentKind.RELATED else mention.related_story.caption


def _suggestion_groups(workspace: Workspace) -> list[SuggestionGroup]:
    groups: dict[tuple, dict] = {}
    sentences: dict[tuple, list[tuple[int, int]]] = {}  # each segment's sentences, split once
    for mention in workspace.suggestions:
        text = _segment_text(mention, workspace.article)
        if mention.segment_key not in sentences:
            sentences[mention.segment_key] = sentence_spans(text)
        start, end = next(
            ((a, b) for a, b in sentences[mention.segment_key] if a <= mention.start < b),
            (0, len(text)),
        )
        group = groups.setdefault(
            (mention.segment_key, start),
            {"text": text[start:end], "start": start, "mentions": [], "first": mention},
        )
        group["mentions"].append(mention)
    result = []
    for group in groups.values():
        first = group["first"]
        paragraph = first.paragraph if first.kind == SegmentKind.PARAGRAPH else None
        spans = [
            Span(
                m.start - group["start"],
                m.end - group["start"],
                "mark",
                {"class": f"entity ent-{m.label} mention-suggested", "data-for": str(m.pk)},
            )
            for m in group["mentions"]
        ]
        result.append(
            SuggestionGroup(
                where=f"¶{paragraph.position}" if paragraph else str(first.get_kind_display()),
                anchor=f"annotate-p{paragraph.position}" if paragraph else "",
                sentence=highlight(group["text"], spans),
                mentions=group["mentions"],
            )
        )
    return result


def workspace_page(workspace: Workspace) -> WorkspacePage:
    """Each paragraph with its annotations and mentions marked (a note on an entity's words
    keeps both marks: the note's around the entity's), and the suggestions grouped by sentence."""
    paragraphs = [
        PageParagraph(
            paragraph=item.paragraph,
            html=highlight(
                item.paragraph.text,
                [annotation_span(a, workspace=True) for a in item.annotations]
                + [workspace_mention_span(m) for m in item.mentions],
            ),
            annotations=item.annotations,
        )
        for item in workspace.paragraphs
    ]
    return WorkspacePage(workspace=workspace, paragraphs=paragraphs, suggestion_groups=_suggestion_groups(workspace))
