"""Creating, changing and re-anchoring annotations.

An annotation is validated against the paragraph's text before anything is
written (span inside the text, not empty, quote matching), and a change of a
paragraph's text re-anchors every annotation and every editor's entity
decision on it: nothing is deleted by a change of text.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from arabic.anchoring import ORPHANED, Quote, quote_at, reanchor

from ..entities.services import MentionError, mention_add, mention_retype, span_check
from ..models import Annotation, Article, Entity, EntityType, Mention, Paragraph
from ..search_tasks import search_refresh_queue
from ..untrusted_json import text_problem


class AnnotationError(ValueError):
    """An annotation that cannot be saved; the message says why, for the editor."""


def _locate(paragraph: Paragraph, start, end, quote: str | None, occurrence: int) -> tuple[int, int]:
    if start is not None or end is not None:
        if start is None or end is None:
            raise AnnotationError("give both the start and the end of the span")
        try:
            span_check(paragraph=paragraph, start=int(start), end=int(end), quote=quote)
        except MentionError as error:
            raise AnnotationError(str(error)) from None
        return int(start), int(end)
    if not quote or not quote.strip():
        raise AnnotationError("select the words to annotate (the selection is empty)")
    index = -1
    for _ in range(max(occurrence, 1)):
        index = paragraph.text.find(quote, index + 1)
        if index < 0:
            raise AnnotationError(
                f"the text {quote!r} is not in paragraph {paragraph.position} (occurrence {occurrence})"
            )
    return index, index + len(quote)


def annotation_content_check(kind: str, *, body: str, proposed_text: str, label: str, has_span: bool) -> None:
    """What each kind of annotation needs (its text, proposed text, entity type, a span), and
    text every page can carry: at most ANNOTATION_MAX_CHARACTERS, no NUL or lone surrogate."""
    if kind not in Annotation.Kind.values:
        raise AnnotationError(f"unknown kind of annotation {kind!r}")
    limit = settings.ANNOTATION_MAX_CHARACTERS
    for name, text in (("text", body), ("proposed text", proposed_text)):
        if len(text) > limit:
            raise AnnotationError(
                f"the {name} has {len(text):,} characters; an annotation's may have at most {limit:,}"
            )
        problem = text_problem(text)
        if problem:
            raise AnnotationError(f"the {name} {problem}")
    if kind in (Annotation.Kind.NOTE, Annotation.Kind.GLOSS) and not body.strip():
        raise AnnotationError(f"a {kind} needs its text")
    if kind == Annotation.Kind.CORRECTION and not proposed_text.strip():
        raise AnnotationError("a correction needs the proposed text")
    if kind == Annotation.Kind.ENTITY:
        if label not in EntityType.values:
            raise AnnotationError("choose the entity's type (PERS, LOC, ORG or MISC)")
        if not has_span:
            raise AnnotationError("an entity label needs a span of text")
    if kind != Annotation.Kind.NOTE and not has_span:
        raise AnnotationError("only notes can be about the whole article; select words for the others")


def annotation_validate(
    *,
    kind: str,
    paragraph: Paragraph | None,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    occurrence: int = 1,
    body: str = "",
    proposed_text: str = "",
    label: str = "",
) -> tuple[int, int] | None:
    """The annotation's span (None for a whole-article note), or AnnotationError saying what is wrong."""
    span = _locate(paragraph, start, end, quote, occurrence) if paragraph is not None else None
    annotation_content_check(kind, body=body, proposed_text=proposed_text, label=label, has_span=span is not None)
    return span


@transaction.atomic
def annotation_create(
    *,
    article: Article,
    user,
    kind: str,
    paragraph: Paragraph | None = None,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    occurrence: int = 1,
    body: str = "",
    proposed_text: str = "",
    correction_target: str = "",
    label: str = "",
    entity: Entity | None = None,
    visibility: str = Annotation.Visibility.PUBLIC,
) -> Annotation:
    """Save an annotation after checking it against the text; on error nothing is written."""
    if paragraph is not None and paragraph.article_id != article.pk:
        raise AnnotationError("the paragraph belongs to another article")
    span = annotation_validate(
        kind=kind,
        paragraph=paragraph,
        start=start,
        end=end,
        quote=quote,
        occurrence=occurrence,
        body=body,
        proposed_text=proposed_text,
        label=label,
    )
    if visibility not in Annotation.Visibility.values:
        raise AnnotationError(f"unknown visibility {visibility!r}")

    annotation = Annotation(
        article=article,
        paragraph=paragraph,
        kind=kind,
        body=body.strip(),
        proposed_text=proposed_text.strip() if kind == Annotation.Kind.CORRECTION else "",
        correction_target=(correction_target or Annotation.CorrectionTarget.SOURCE)
        if kind == Annotation.Kind.CORRECTION
        else "",
        status=Annotation.Status.OPEN if kind == Annotation.Kind.CORRECTION else "",
        label=label if kind == Annotation.Kind.ENTITY else "",
        visibility=visibility,
        author=user,
    )
    if span is not None:
        selector = quote_at(paragraph.text, *span)
        annotation.start, annotation.end = span
        annotation.exact, annotation.prefix, annotation.suffix = selector.exact, selector.prefix, selector.suffix
    if kind == Annotation.Kind.ENTITY:
        annotation.mention = mention_add(
            paragraph=paragraph, start=span[0], end=span[1], label=label, entity=entity, user=user
        )
    annotation.save()
    return annotation


ANNOTATION_FIELDS = ("body", "proposed_text", "correction_target", "status", "accepted", "label", "visibility")


@transaction.atomic
def annotation_update(*, annotation: Annotation, user, **changes) -> Annotation:
    """Change an annotation's content (not its anchor); the entity type follows to its mention."""
    unknown = set(changes) - set(ANNOTATION_FIELDS)
    if unknown:
        raise AnnotationError(f"cannot change {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(annotation, name, value)
    annotation_content_check(
        annotation.kind,
        body=annotation.body,
        proposed_text=annotation.proposed_text,
        label=annotation.label,
        has_span=annotation.is_span,
    )
    if annotation.kind == Annotation.Kind.CORRECTION and annotation.status == Annotation.Status.OPEN:
        annotation.accepted = False
    if annotation.kind == Annotation.Kind.ENTITY and annotation.mention_id and "label" in changes:
        mention_retype(mention=annotation.mention, label=annotation.label, user=user)
    annotation.save()
    if annotation.kind == Annotation.Kind.ENTITY:
        # Its visibility decides whether readers see the mention, and so find the entity's names.
        search_refresh_queue(article_ids=[annotation.article_id])
    return annotation


@transaction.atomic
def annotation_move(
    *, annotation: Annotation, paragraph: Paragraph | None, start: int | None, end: int | None, user
) -> Annotation:
    """Anchor the annotation on other words (or, for a note, on the whole article); an orphan found again.

    Checked like a new annotation; an entity label takes its editor's mention along.
    """
    if paragraph is not None and paragraph.article_id != annotation.article_id:
        raise AnnotationError("the paragraph belongs to another article")
    span = annotation_validate(
        kind=annotation.kind,
        paragraph=paragraph,
        start=start,
        end=end,
        body=annotation.body,
        proposed_text=annotation.proposed_text,
        label=annotation.label,
    )
    if annotation.kind == Annotation.Kind.ENTITY:
        old_mention = annotation.mention_id
        annotation.mention = mention_add(
            paragraph=paragraph, start=span[0], end=span[1], label=annotation.label, entity=None, user=user
        )
        if old_mention and old_mention != annotation.mention_id:
            Mention.objects.filter(pk=old_mention, source=Mention.Source.EDITOR).delete()
            search_refresh_queue(article_ids=[annotation.article_id])
    annotation.paragraph = paragraph
    annotation.start, annotation.end = span if span else (None, None)
    selector = quote_at(paragraph.text, *span) if span else Quote("")
    annotation.exact, annotation.prefix, annotation.suffix = selector.exact, selector.prefix, selector.suffix
    annotation.anchor, annotation.anchor_score = Annotation.Anchor.EXACT, None
    annotation.save()
    return annotation


@transaction.atomic
def annotation_delete(*, annotation: Annotation) -> None:
    """Delete an annotation; an entity label takes its editor's mention with it."""
    if annotation.kind == Annotation.Kind.ENTITY and annotation.mention_id:
        Mention.objects.filter(pk=annotation.mention_id, source=Mention.Source.EDITOR).delete()
        search_refresh_queue(article_ids=[annotation.article_id])
    annotation.delete()


# --- Keeping anchors when the text changes --------------------------------------


@dataclass
class ReanchorSummary:
    by_state: dict = field(default_factory=dict)
    orphaned: list = field(default_factory=list)

    def count(self, state: str) -> None:
        self.by_state[state] = self.by_state.get(state, 0) + 1


def _orphan_decision(mention: Mention) -> Annotation:
    """An editor's entity decision whose text is gone, kept as an orphaned annotation."""
    return Annotation.objects.create(
        article_id=mention.article_id,
        paragraph_id=mention.paragraph_id,
        kind=Annotation.Kind.ENTITY,
        label=mention.label,
        body=f"{mention.get_status_display()} {mention.label} mention, kept when its text disappeared.",
        exact=mention.text,
        start=mention.start,
        end=mention.end,
        anchor=Annotation.Anchor.ORPHANED,
        visibility=Annotation.Visibility.EDITORS,
        author=mention.decided_by,
    )


@transaction.atomic
def paragraph_text_changed(*, paragraph: Paragraph, old_text: str) -> ReanchorSummary:
    """Re-anchor the paragraph's annotations and editors' entity decisions to its new text.

    Machine suggestions on it are dropped (recognition runs again); nothing an
    editor made is deleted: what cannot be found is orphaned and listed.
    """
    summary = ReanchorSummary()
    text = paragraph.text
    for annotation in (
        Annotation.objects.select_for_update(of=("self",))
        .filter(paragraph=paragraph, start__isnull=False)
        .order_by("pk")
    ):
        result = reanchor(
            text,
            quote=Quote(annotation.exact, annotation.prefix, annotation.suffix),
            start=annotation.start,
            end=annotation.end,
        )
        summary.count(result.state)
        annotation.anchor = result.state
        annotation.anchor_score = result.score
        if result.found:
            selector = quote_at(text, result.start, result.end)
            annotation.start, annotation.end = result.start, result.end
            annotation.exact, annotation.prefix, annotation.suffix = selector.exact, selector.prefix, selector.suffix
        else:
            summary.orphaned.append(annotation)
        annotation.save()

    summary.orphaned += mentions_reanchor(
        mentions=Mention.objects.filter(paragraph=paragraph), old_text=old_text, text=text
    )
    return summary


@transaction.atomic
def mentions_reanchor(*, mentions, old_text: str, text: str) -> list[Annotation]:
    """Follow a segment's text change with its mentions; returns the orphans made.

    Machine suggestions are dropped (recognition runs again). An editor's
    decision moves with its words; one whose words are gone is kept as an
    orphaned annotation for editors (a rejection of vanished words needs none).
    """
    mentions = list(mentions.select_for_update(of=("self",)).order_by("pk"))
    Mention.objects.filter(pk__in=[m.pk for m in mentions if not m.is_editor_decision]).delete()
    orphans = []
    for mention in (m for m in mentions if m.is_editor_decision):
        result = reanchor(
            text, quote=quote_at(old_text, mention.start, mention.end), start=mention.start, end=mention.end
        )
        clash = (
            result.found
            and Mention.objects.filter(
                kind=mention.kind,
                article_id=mention.article_id,
                paragraph_id=mention.paragraph_id,
                related_story_id=mention.related_story_id,
                start=result.start,
                end=result.end,
            )
            .exclude(pk=mention.pk)
            .exists()
        )
        if result.found and not clash:
            Mention.objects.filter(pk=mention.pk).update(
                start=result.start, end=result.end, text=text[result.start : result.end]
            )
            Annotation.objects.filter(mention=mention).update(start=result.start, end=result.end)
            continue
        if mention.status != Mention.Status.REJECTED and not Annotation.objects.filter(mention=mention).exists():
            orphans.append(_orphan_decision(mention))
        Annotation.objects.filter(mention=mention).update(anchor=Annotation.Anchor.ORPHANED, mention=None)
        mention.delete()
    return orphans


@transaction.atomic
def paragraph_removing(*, paragraph: Paragraph) -> None:
    """Before a paragraph is deleted: its annotations and editors' decisions become orphans."""
    for mention in Mention.objects.filter(paragraph=paragraph):
        decided = mention.is_editor_decision and mention.status != Mention.Status.REJECTED
        if decided and not Annotation.objects.filter(mention=mention).exists():
            _orphan_decision(mention)
    Annotation.objects.filter(paragraph=paragraph).update(anchor=ORPHANED, mention=None)
