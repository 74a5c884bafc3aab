"""The history of an article's text, kept by django-reversion: every change recorded, any
version brought back, so that an edit that orphaned annotations can be undone.

A revision holds the article's text as it was after a change: the fields an editor or an
import writes (title, metadata, lead caption, tags), every paragraph and related story, and
editors' entity decisions (machine suggestions are not history: recognition makes them
again). `articles.services.article_text_changed`, the one rule every change of text
follows, records it; the admin's History lists the revisions.

Bringing a revision back (`articles.services.article_version_restore`) writes its text
as an editor's edit would, through the same rule: annotations orphaned by the change
being undone find their words again.
"""

import datetime
from dataclasses import dataclass, field

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from reversion.models import Revision, Version

from .models import Article, Mention, Paragraph, RelatedStory

ARTICLE_FIELDS = ("title", "category", "section", "dateline", "author", "published", "lead_caption", "tags")
PARAGRAPH_FIELDS = ("article", "position", "text")
RELATED_FIELDS = ("article", "position", "title", "caption", "section")
MENTION_FIELDS = (
    "article",
    "kind",
    "paragraph",
    "related_story",
    "start",
    "end",
    "text",
    "label",
    "source",
    "entity",
    "status",
    "decided_by",
    "decided_at",
)


class Change:
    """What a revision records, as its comment: a word, translated when shown."""

    BEFORE = "before"  # the text as a change found it (editors' decisions made since the last change included)
    IMPORTED = "imported"
    EDITED = "edited"
    RESTORED = "restored"


def history_register() -> None:
    """Tell django-reversion what an article's text is (called once, when the app is ready)."""
    for model, fields, follow in (
        (Article, ARTICLE_FIELDS, ("paragraphs", "related_stories")),
        (Paragraph, PARAGRAPH_FIELDS, ()),
        (RelatedStory, RELATED_FIELDS, ()),
        (Mention, MENTION_FIELDS, ()),
    ):
        if not reversion.is_registered(model):
            reversion.register(model, fields=fields, follow=follow)


def _editor_decisions(article: Article):
    return article.mentions.filter(~Q(status=Mention.Status.SUGGESTED) | Q(source=Mention.Source.EDITOR))


def article_version_record(*, article: Article, comment: str, user=None) -> None:
    """Record the article's text as it now is in the database, as one revision."""
    stored = Article.objects.get(pk=article.pk)
    with reversion.create_revision():
        reversion.set_comment(comment)
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.add_to_revision(stored)
        for mention in _editor_decisions(stored):
            reversion.add_to_revision(mention)


def article_has_revision(*, article: Article, revision_id: int) -> bool:
    return _article_versions(article).filter(revision_id=revision_id).exists()


def _article_versions(article: Article):
    return Version.objects.get_for_object_reference(Article, article.pk)


def article_version_before_change(*, article: Article) -> None:
    """Before a change of the article's text: record it as it is, unless its newest revision
    holds exactly that (the same text, the same editors' decisions). Then an undo of the
    change brings back what it replaced, decisions made since the last change included, and
    an article imported before history was kept can be undone too."""
    if article.pk is None:
        return
    newest = _article_versions(article).order_by("-revision_id").values_list("revision_id", flat=True).first()
    if newest is not None and _same(revision_states([newest])[newest], _current(article)):
        return
    article_version_record(article=article, comment=Change.BEFORE)


def _current(article: Article) -> "TextState":
    stored = Article.objects.filter(pk=article.pk).values(*ARTICLE_FIELDS).get()
    return TextState(
        revision=None,
        article=stored,
        paragraphs={
            pk: {"position": position, "text": text}
            for pk, position, text in Paragraph.objects.filter(article=article).values_list("pk", "position", "text")
        },
        related={
            row.pop("pk"): row
            for row in RelatedStory.objects.filter(article=article).values(
                "pk", "position", "title", "caption", "section"
            )
        },
        mentions={row.pop("pk"): row for row in _editor_decisions(article).values("pk", *DECISION_KEY)},
    )


# What tells two states of an editor's decision apart (its time is stored to the millisecond only).
DECISION_KEY = ("start", "end", "label", "status", "entity_id")


def _same(old: "TextState", new: "TextState") -> bool:
    decisions = {pk: tuple(values.get(name) for name in DECISION_KEY) for pk, values in old.mentions.items()}
    return (
        all(old.article.get(name) == new.article.get(name) for name in ARTICLE_FIELDS)
        and {pk: (v["position"], v["text"]) for pk, v in old.paragraphs.items()}
        == {pk: (v["position"], v["text"]) for pk, v in new.paragraphs.items()}
        and {
            pk: tuple(v[name] for name in ("position", "title", "caption", "section")) for pk, v in old.related.items()
        }
        == {pk: tuple(v[name] for name in ("position", "title", "caption", "section")) for pk, v in new.related.items()}
        and decisions == {pk: tuple(values[name] for name in DECISION_KEY) for pk, values in new.mentions.items()}
    )


# --- Reading the history -----------------------------------------------------------


@dataclass
class TextState:
    """An article's text in one revision."""

    revision: Revision
    article: dict = field(default_factory=dict)
    paragraphs: dict = field(default_factory=dict)  # pk → {"position", "text"}
    related: dict = field(default_factory=dict)  # pk → {"position", "title", "caption", "section"}
    mentions: dict = field(default_factory=dict)  # pk → the fields of an editor's decision


@dataclass(frozen=True)
class TextVersion:
    """One line of the article's History: when, who, what kind of change, what changed."""

    revision_id: int
    created: datetime.datetime
    user: object
    change: str
    changed: list  # what differs from the version before: "title", "¶3", "¶5 removed"…
    current: bool


def revision_states(revision_ids: list[int]) -> dict[int, TextState]:
    """The article texts the revisions hold, by revision id (two queries)."""
    revisions = Revision.objects.filter(pk__in=revision_ids).select_related("user")
    states = {revision.pk: TextState(revision=revision) for revision in revisions}
    models = {
        ContentType.objects.get_for_model(model).pk: (model, name)
        for model, name in (
            (Article, "article"),
            (Paragraph, "paragraphs"),
            (RelatedStory, "related"),
            (Mention, "mentions"),
        )
    }
    for version in Version.objects.filter(revision_id__in=states).order_by("pk"):
        model, name = models.get(version.content_type_id, (None, None))
        if model is None:
            continue
        values = dict(version.field_dict)
        state = states[version.revision_id]
        if name == "article":
            state.article = values
        else:
            getattr(state, name)[int(version.object_id)] = values
    return states


def _differences(old: TextState | None, new: TextState) -> list[str]:
    if old is None:
        return []
    changed = [name for name in ARTICLE_FIELDS if old.article.get(name) != new.article.get(name)]
    for pk, values in sorted(new.paragraphs.items(), key=lambda item: item[1]["position"]):
        before = old.paragraphs.get(pk)
        if before is None:
            changed.append(f"¶{values['position']}+")
        elif before["text"] != values["text"]:
            changed.append(f"¶{values['position']}")
    changed += [f"¶{values['position']}−" for pk, values in old.paragraphs.items() if pk not in new.paragraphs]
    if old.related != new.related:
        changed.append("related")
    return changed


def article_versions(*, article: Article, limit: int = 20) -> list[TextVersion]:
    """The newest `limit` revisions of the article's text, newest first, each with what it
    changed from the one before (five queries however long the history)."""
    ids = list(_article_versions(article).order_by("-revision_id").values_list("revision_id", flat=True)[: limit + 1])
    states = revision_states(ids)
    versions = []
    for index, revision_id in enumerate(ids[:limit]):
        state = states[revision_id]
        older = states.get(ids[index + 1]) if index + 1 < len(ids) else None
        versions.append(
            TextVersion(
                revision_id=revision_id,
                created=state.revision.date_created,
                user=state.revision.user,
                change=state.revision.comment.split(" ", 1)[0],
                changed=_differences(older, state),
                current=index == 0,
            )
        )
    return versions


def article_undo_target(*, article: Article) -> int | None:
    """The revision an undo of the last change brings back: the one before the newest."""
    ids = list(_article_versions(article).order_by("-revision_id").values_list("revision_id", flat=True)[:2])
    return ids[1] if len(ids) == 2 else None
