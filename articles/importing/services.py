"""Writing imported articles to the database.

Each file is one transaction: it lands whole or not at all. An article is
keyed by its source id, so importing the same file again changes nothing and a
changed file updates the same article, keeping the rows (and everything
attached to them) of the paragraphs that did not change.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify

from ..annotations.services import mentions_reanchor, paragraph_removing, paragraph_text_changed
from ..entities.services import recognition_queue
from ..models import Article, Paragraph, RelatedStory
from ..search import article_search_refresh
from ..segments import SegmentKind
from ..translation.services import segments_sync, translation_queue
from .formats import parse_file
from .records import ArticleRecord, ImportFailure

logger = logging.getLogger(__name__)

IMPORTABLE_SUFFIXES = {".txt", ".json", ".text", ".md"}


@dataclass
class ParagraphChange:
    """A paragraph whose text an import replaced; `old_text` is what it was."""

    paragraph: Paragraph
    old_text: str


@dataclass
class ImportResult:
    path: Path | None
    action: str  # "created", "updated", "unchanged" or "failed"
    article: Article | None = None
    error: str = ""
    changed_paragraphs: list[ParagraphChange] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.action == "failed"


def _unique_slug(base: str, *, exclude_pk: int | None) -> str:
    base = slugify(base)[:180] or "article"
    slug, counter = base, 2
    while Article.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _aligned(old: list[str], new: list[str]):
    """Pair old and new items in order: (old_index | None, new_index | None).

    Unchanged items pair with themselves wherever they moved; an edited item
    pairs with the item it replaced, so its row (and what hangs on it) stays.
    """
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or tag == "replace":
            common = min(i2 - i1, j2 - j1)
            for k in range(common):
                yield i1 + k, j1 + k
            for k in range(i1 + common, i2):
                yield k, None
            for k in range(j1 + common, j2):
                yield None, k
        elif tag == "delete":
            for k in range(i1, i2):
                yield k, None
        else:  # insert
            for k in range(j1, j2):
                yield None, k


def _rows_sync(
    rows: list, new_values: list[dict], *, key: str, model, article: Article, before_delete=None
) -> list[tuple]:
    """Make `rows` (ordered by position) hold `new_values`, reusing rows.

    Returns (row, old_value_of_key) for every kept row whose `key` changed.
    `before_delete(row)` runs before a row that is no longer wanted is deleted.
    """
    pairs = list(_aligned([getattr(row, key) for row in rows], [value[key] for value in new_values]))
    kept, created, changed = [], [], []
    for old_index, new_index in pairs:
        if old_index is None:
            created.append(model(article=article, position=new_index + 1, **new_values[new_index]))
        elif new_index is None:
            if before_delete:
                before_delete(rows[old_index])
            rows[old_index].delete()
        else:
            row = rows[old_index]
            old_key_value = getattr(row, key)
            for name, value in new_values[new_index].items():
                setattr(row, name, value)
            row.position = new_index + 1
            kept.append(row)
            if old_key_value != getattr(row, key):
                changed.append((row, old_key_value))
    if kept:
        # Positions are unique per article: park the kept rows out of the
        # way first so that moving one never collides with another.
        parking = max(len(rows), len(new_values)) + 1
        final = {row.pk: row.position for row in kept}
        for row in kept:
            row.position = parking + final[row.pk]
        model.objects.bulk_update(kept, ["position"])
        for row in kept:
            row.position = final[row.pk]
        model.objects.bulk_update(kept, ["position", *new_values[0].keys()])
    model.objects.bulk_create(created)
    return changed


def _check_lengths(record: ArticleRecord) -> None:
    """Refuse, rather than truncate, a value longer than its column."""
    values = [(name, getattr(record, name), Article) for name in ("title", "category", "section", "dateline", "author")]
    for index, story in enumerate(record.related):
        values += [(f"related[{index}].title", story.title, RelatedStory)]
        values += [(f"related[{index}].section", story.section, RelatedStory)]
    for label, value, model in values:
        max_length = model._meta.get_field(label.rsplit(".", 1)[-1]).max_length
        if len(value) > max_length:
            raise ImportFailure(f"{label} is {len(value)} characters long; at most {max_length} are allowed")


@transaction.atomic
def article_import(
    *,
    record: ArticleRecord,
    source_id: str,
    source: str = "",
    status: str | None = None,
    overwrite_edits: bool = False,
) -> ImportResult:
    """Create or update the article keyed by `source_id` from `record`.

    An unchanged record writes nothing. `status` applies to a new article
    only: re-importing never republishes what an admin unpublished. A changed
    record does not replace an article edited in the admin since its last
    import, unless `overwrite_edits`.
    """
    if not record.paragraphs:
        raise ImportFailure("the article has no body paragraph")
    _check_lengths(record)
    content_hash = record.content_hash()
    article = Article.objects.filter(source_id=source_id).first()
    if article is not None and article.content_hash == content_hash:
        return ImportResult(path=None, action="unchanged", article=article)

    if article is not None and article.has_unimported_edits and not overwrite_edits:
        raise ImportFailure(
            f"the article was edited in the admin on {article.edited_at:%Y-%m-%d %H:%M} UTC, after its last "
            "import; importing this changed file would overwrite those edits (use --overwrite-edits to replace them)"
        )
    action = "updated" if article else "created"
    old_texts = {
        SegmentKind.TITLE: article.title if article else "",
        SegmentKind.LEAD_CAPTION: article.lead_caption if article else "",
    }
    if article is None:
        article = Article(
            source_id=source_id,
            slug=_unique_slug(source_id, exclude_pk=None),
            status=status or Article.Status.PUBLISHED,
        )
    for name in ("title", "category", "section", "dateline", "author", "published", "lead_caption", "tags"):
        setattr(article, name, getattr(record, name))
    article.source = record.source or source
    article.content_hash = content_hash
    article.imported_at = timezone.now()
    article.save()

    changed = _rows_sync(
        list(article.paragraphs.order_by("position")),
        [{"text": text} for text in record.paragraphs],
        key="text",
        model=Paragraph,
        article=article,
        before_delete=lambda paragraph: paragraph_removing(paragraph=paragraph),
    )
    # Editors' annotations and entity decisions follow their words into the new text.
    for paragraph, old_text in changed:
        paragraph_text_changed(paragraph=paragraph, old_text=old_text)
    for kind, old_text in old_texts.items():
        new_text = article.title if kind == SegmentKind.TITLE else article.lead_caption
        if action == "updated" and new_text != old_text:
            mentions_reanchor(mentions=article.mentions.filter(kind=kind), old_text=old_text, text=new_text)
    old_related = {story.pk: (story.title, story.caption) for story in article.related_stories.all()}
    _rows_sync(
        list(article.related_stories.order_by("position")),
        [{"title": story.title, "caption": story.caption, "section": story.section} for story in record.related],
        key="title",
        model=RelatedStory,
        article=article,
    )
    for story in article.related_stories.filter(pk__in=old_related):
        for kind, old_text, new_text in (
            (SegmentKind.RELATED, old_related[story.pk][0], story.title),
            (SegmentKind.RELATED_CAPTION, old_related[story.pk][1], story.caption),
        ):
            if new_text != old_text:
                mentions_reanchor(mentions=story.mentions.filter(kind=kind), old_text=old_text, text=new_text)
    # What the import changed must be translated again; this also flags
    # editors' translations whose source changed.
    segments_sync(article=article)
    article_search_refresh(article=article)
    translation_queue(article_ids=[article.pk])
    recognition_queue(article_ids=[article.pk])
    return ImportResult(
        path=None,
        action=action,
        article=article,
        changed_paragraphs=[ParagraphChange(paragraph=row, old_text=old) for row, old in changed],
    )


def file_import(
    *, path: Path, status: str | None = None, fmt: str = "auto", overwrite_edits: bool = False
) -> ImportResult:
    """Import one file; a bad file gives a failed result and writes nothing."""
    try:
        record = parse_file(path, path.read_bytes(), fmt)
        source_id = record.source_id or path.stem
        result = article_import(
            record=record, source_id=source_id, source=path.name, status=status, overwrite_edits=overwrite_edits
        )
    except ImportFailure as error:
        return ImportResult(path=path, action="failed", error=str(error))
    except OSError as error:
        return ImportResult(path=path, action="failed", error=f"cannot read the file: {error.strerror}")
    except DatabaseError as error:
        return ImportResult(path=path, action="failed", error=f"the database refused the article: {error}")
    result.path = path
    return result


def paths_expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the importable files inside folders, in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    child
                    for child in path.rglob("*")
                    if child.is_file()
                    and child.suffix.lower() in IMPORTABLE_SUFFIXES
                    and not any(part.startswith(".") for part in child.relative_to(path).parts)
                )
            )
        else:
            files.append(path)
    return files


def paths_import(
    *,
    paths: Iterable[Path],
    status: str | None = None,
    fmt: str = "auto",
    overwrite_edits: bool = False,
    on_result: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Import files and folders, each file on its own; failures do not stop the rest."""
    results = []
    for path in paths_expand(paths):
        if not path.exists():
            result = ImportResult(path=path, action="failed", error="no such file or folder")
        else:
            result = file_import(path=path, status=status, fmt=fmt, overwrite_edits=overwrite_edits)
        if result.failed:
            logger.warning("import failed: %s: %s", path, result.error)
        results.append(result)
        if on_result:
            on_result(result)
    return results
