"""Writing imported articles to the database.

Each file is one transaction: it lands whole or not at all. An article is
keyed by its source id, so importing the same file again changes nothing and a
changed file updates the same article, keeping the rows (and everything
attached to them) of the paragraphs that did not change.
"""

import logging
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from ..annotations.services import paragraph_removing
from ..models import Article, Paragraph, RelatedStory
from ..services import article_change_begin, article_text_changed
from ..untrusted_json import text_problem
from .formats import parse_file
from .language import record_language_check
from .records import ArticleRecord, ImportFailure
from .slugs import article_slug_new

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


def _check_characters(record: ArticleRecord) -> None:
    """Refuse text no database can store or page show (a NUL, a lone surrogate), whichever way it came in."""
    fields = [record.category, record.section, record.dateline, record.author, record.source_id, record.source]
    for text in [*record.texts(), *fields]:
        problem = text_problem(text)
        if problem:
            raise ImportFailure(f"text {problem}")


def _check_lengths(record: ArticleRecord) -> None:
    """Refuse, rather than truncate, a value longer than its column, and an
    article too large to read (more paragraphs or characters than the limits)."""
    limit = settings.IMPORT_MAX_PARAGRAPHS
    if len(record.paragraphs) > limit:
        raise ImportFailure(
            f"the article has {len(record.paragraphs):,} paragraphs; "
            f"at most {limit:,} are allowed (IMPORT_MAX_PARAGRAPHS)"
        )
    characters = sum(len(text) for text in record.texts())
    limit = settings.IMPORT_MAX_CHARACTERS
    if characters > limit:
        raise ImportFailure(
            f"the article has {characters:,} characters; at most {limit:,} are allowed (IMPORT_MAX_CHARACTERS)"
        )
    # The model's own validation (full_clean's field checks), so that what
    # SQLite would store and PostgreSQL refuse is refused on every database.
    names = ["title", "category", "section", "dateline", "author", "lead_caption", "source", "source_id"]
    article = Article(**{name: getattr(record, name) for name in names}, published=record.published)
    checks = [("", article, [name for name in names if getattr(record, name)])]
    for index, story in enumerate(record.related):
        row = RelatedStory(title=story.title, caption=story.caption, section=story.section)
        checks.append((f"related[{index}].", row, ["title", "caption", "section"]))
    for where, instance, fields in checks:
        try:
            instance.clean_fields(exclude=[f.name for f in instance._meta.fields if f.name not in fields])
        except ValidationError as error:
            problems = "; ".join(
                f"{where}{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
            )
            raise ImportFailure(problems) from None


# The article's columns an import never writes: its key, and what recognition and editors set on their own.
_NOT_IMPORTED = frozenset({"id", "read_as_encyclopedia", "encyclopedia_by_editor"})


@transaction.atomic
def article_import(
    *,
    record: ArticleRecord,
    source_id: str,
    source: str = "",
    status: str | None = None,
    overwrite_edits: bool = False,
    by_editor: bool = False,
) -> ImportResult:
    """Create or update the article keyed by `source_id` from `record`.

    An unchanged record writes nothing. `status` applies to a new article
    only (a draft unless told otherwise, whichever way it comes in: a
    reader sees it once a curator publishes it): re-importing never
    republishes what an admin unpublished. A changed
    record does not replace an article edited in the admin since its last
    import, unless `overwrite_edits`. `by_editor`: the record is an editor's
    edit (the API's PUT), recorded as such, not as an import.
    """
    if not record.title:
        raise ImportFailure("the article has no title")
    if not record.paragraphs:
        raise ImportFailure("the article has no body paragraph")
    _check_characters(record)
    # Every way in (a file, an upload, a web page, a feed, the API) reads Arabic only.
    record_language_check(record=record)
    _check_lengths(record)
    content_hash = record.content_hash()
    article = Article.objects.filter(source_id=source_id).first()
    if article is not None and article.content_hash == content_hash and not by_editor:
        return ImportResult(path=None, action="unchanged", article=article)

    if article is not None and article.has_unimported_edits and not (overwrite_edits or by_editor):
        raise ImportFailure(
            f"the article was edited in the admin on {article.edited_at:%Y-%m-%d %H:%M} UTC, after its last "
            "import; importing this changed file would overwrite those edits (use --overwrite-edits to replace them)"
        )
    action = "updated" if article else "created"
    before = article_change_begin(article)
    if article is None:
        article = Article(
            source_id=source_id,
            slug=article_slug_new(title=record.title, source=record.source or source, source_id=source_id),
            status=status or Article.Status.DRAFT,
        )
    for name in ("title", "category", "section", "dateline", "author", "published", "lead_caption", "tags"):
        setattr(article, name, getattr(record, name))
    article.source = record.source or source or article.source
    if not by_editor:
        article.content_hash = content_hash
        article.imported_at = timezone.now()
    if article.pk is None:
        article.save()
    else:
        # Columns recognition and editors write on their own stay as they are now, not as this
        # import read them a moment ago.
        article.save(update_fields=[f.name for f in Article._meta.concrete_fields if f.name not in _NOT_IMPORTED])

    changed = _rows_sync(
        list(article.paragraphs.order_by("position")),
        [{"text": text} for text in record.paragraphs],
        key="text",
        model=Paragraph,
        article=article,
        before_delete=lambda paragraph: paragraph_removing(paragraph=paragraph),
    )
    _rows_sync(
        list(article.related_stories.order_by("position")),
        [{"title": story.title, "caption": story.caption, "section": story.section} for story in record.related],
        key="title",
        model=RelatedStory,
        article=article,
    )
    # Editors' annotations and entity decisions follow their words into the
    # new text, by the same rule as an edit in the admin.
    article_text_changed(article=article, before=before, by_editor=by_editor)
    return ImportResult(
        path=None,
        action=action,
        article=article,
        changed_paragraphs=[ParagraphChange(paragraph=row, old_text=old) for row, old in changed],
    )


def _file_read(path: Path) -> bytes:
    """The bytes of a regular file, refusing links and special files, and
    refusing a file over the size limit before reading it."""
    if path.is_symlink():
        raise ImportFailure("is a symbolic link; only regular files are imported")
    # O_NOFOLLOW: a link swapped in after the check above is still refused;
    # O_NONBLOCK: opening a FIFO never waits for a writer.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ImportFailure("is not a regular file (a device, pipe, socket or folder)")
        limit = settings.IMPORT_MAX_BYTES
        if info.st_size > limit:
            raise ImportFailure(f"file is too large: {info.st_size:,} bytes, the limit is {limit:,} bytes")
        # A file that grows while it is read is cut at the limit and refused by decode().
        return handle.read(limit + 1)


def _source_id_for(*, record: ArticleRecord, path: Path) -> str:
    """The record's own source id, else the file's name without its suffix, refused when too long."""
    if record.source_id:
        return record.source_id  # checked with the record's other fields
    max_length = Article._meta.get_field("source_id").max_length
    if len(path.stem) > max_length:
        raise ImportFailure(f"source_id: the file name gives {len(path.stem)} characters; at most {max_length}")
    return path.stem


def _bytes_import(
    *, path: Path, read: Callable[[], bytes], status: str | None, fmt: str, overwrite_edits: bool
) -> ImportResult:
    """Import one file's bytes (from disk or an upload) keyed by its name; a bad file gives a failed
    result and writes nothing.

    Whatever goes wrong with one file (its bytes, its shape, its name, the
    database) is that file's failure, with a reason; nothing raises out of here.
    """
    try:
        record = parse_file(path, read(), fmt)
        result = article_import(
            record=record,
            source_id=_source_id_for(record=record, path=path),
            source=path.name,
            status=status,
            overwrite_edits=overwrite_edits,
        )
    except ImportFailure as error:
        return ImportResult(path=path, action="failed", error=str(error))
    except OSError as error:
        return ImportResult(path=path, action="failed", error=f"cannot read the file: {error.strerror or error}")
    except DatabaseError as error:
        return ImportResult(path=path, action="failed", error=f"the database refused the article: {error}")
    except Exception as error:  # noqa: BLE001 - one file's bug must not stop the batch
        logger.exception("import of %s failed unexpectedly", path)
        return ImportResult(path=path, action="failed", error=f"unexpected error: {type(error).__name__}: {error}")
    result.path = path
    return result


def file_import(
    *, path: Path, status: str | None = None, fmt: str = "auto", overwrite_edits: bool = False
) -> ImportResult:
    """Import one file; a bad file gives a failed result and writes nothing (nothing raises out of here)."""
    return _bytes_import(
        path=path, read=lambda: _file_read(path), status=status, fmt=fmt, overwrite_edits=overwrite_edits
    )


def paths_expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the importable entries inside folders, in name order.

    Links and special files inside a folder are listed too (never followed),
    so that the import reports them as refused instead of skipping them silently.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            files.extend(
                sorted(
                    child
                    for child in path.rglob("*")
                    if (child.is_symlink() or not child.is_dir())
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
        if not path.exists() and not path.is_symlink():
            result = ImportResult(path=path, action="failed", error="no such file or folder")
        else:
            result = file_import(path=path, status=status, fmt=fmt, overwrite_edits=overwrite_edits)
        if result.failed and on_result is None:  # a caller with on_result reports failures itself, once
            logger.warning("import failed: %s: %s", path, result.error)
        results.append(result)
        if on_result:
            on_result(result)
    return results


def upload_import(
    *,
    name: str,
    chunks: Iterable[bytes],
    size: int,
    status: str | None = None,
    fmt: str = "auto",
    overwrite_edits: bool = False,
) -> ImportResult:
    """Import an uploaded file as `file_import` imports one on disk: keyed by its name, same checks,
    same reasons, same report; nothing raises out of here.

    An oversized upload is refused before it is read.
    """
    path = Path(name)
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        return ImportResult(
            path=path, action="failed", error=f"file is too large: {size:,} bytes, the limit is {limit:,} bytes"
        )
    return _bytes_import(
        path=path, read=lambda: b"".join(chunks), status=status, fmt=fmt, overwrite_edits=overwrite_edits
    )
