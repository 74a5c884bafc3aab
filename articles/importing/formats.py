"""From a file's bytes to an `ArticleRecord`: checks, format detection, the
plain-text and JSON readers. The news-page reader lives in `page.py`.
"""

import datetime
from pathlib import Path

from django.conf import settings

from ..untrusted_json import UntrustedJSONError, json_parse
from .page import looks_like_page, parse_page
from .records import ArticleRecord, ImportFailure, RelatedRecord

FORMATS = ("auto", "page", "plain", "json")


def decode(data: bytes) -> str:
    """Bytes to text, refusing what is not a UTF-8 text file of sane size."""
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportFailure(f"file is too large: {len(data):,} bytes, the limit is {limit:,} bytes")
    if not data.strip():
        raise ImportFailure("file is empty")
    if b"\x00" in data:
        raise ImportFailure("file is binary (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportFailure(
            f"file is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def parse_plain(text: str) -> ArticleRecord:
    """First non-empty line is the title; blank-line separated paragraphs follow."""
    lines = [line.strip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        raise ImportFailure("file is empty")
    title, body = lines[0], lines[1:]
    paragraphs, current = [], []
    for line in body + [""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return ArticleRecord(title=title, paragraphs=paragraphs)


def _string(data: dict, key: str, where: str = "") -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ImportFailure(f"JSON: {where}{key} must be a string, not {type(value).__name__}")
    return value.strip()


def parse_json(raw: str | bytes) -> ArticleRecord:
    """The shape of `GET /api/articles/<slug>/`, so that export → import round-trips.

    Read by the bounded parser: no text in the record holds a NUL or a lone surrogate."""
    try:
        data = json_parse(raw, max_bytes=settings.IMPORT_MAX_BYTES)
    except UntrustedJSONError as error:
        raise ImportFailure(str(error)) from None
    if not isinstance(data, dict):
        raise ImportFailure("JSON: the top level must be an object describing one article")

    published = None
    if data.get("published"):
        try:
            published = datetime.date.fromisoformat(_string(data, "published"))
        except ValueError:
            raise ImportFailure(
                f"JSON: published must be an ISO date (YYYY-MM-DD), not {data['published']!r}"
            ) from None

    raw_paragraphs = data.get("paragraphs") or []
    if not isinstance(raw_paragraphs, list):
        raise ImportFailure("JSON: paragraphs must be a list")
    paragraphs = []
    for index, item in enumerate(raw_paragraphs):
        where = f"paragraphs[{index}]."
        if isinstance(item, str):
            paragraphs.append((index + 1, item.strip()))
        elif isinstance(item, dict):
            position = item.get("position", index + 1)
            if not isinstance(position, int):
                raise ImportFailure(f"JSON: {where}position must be an integer")
            paragraphs.append((position, _string(item, "text", where)))
        else:
            raise ImportFailure(f"JSON: {where[:-1]} must be an object or a string")

    raw_related = data.get("related") or []
    if not isinstance(raw_related, list) or not all(isinstance(item, dict) for item in raw_related):
        raise ImportFailure("JSON: related must be a list of objects")
    related = [
        RelatedRecord(
            title=_string(item, "title", f"related[{index}]."),
            caption=_string(item, "caption", f"related[{index}]."),
            section=_string(item, "section", f"related[{index}]."),
        )
        for index, item in enumerate(raw_related)
    ]

    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ImportFailure("JSON: tags must be a list of strings")

    return ArticleRecord(
        title=_string(data, "title"),
        paragraphs=[text for _, text in sorted(paragraphs, key=lambda pair: pair[0]) if text],
        category=_string(data, "category"),
        section=_string(data, "section"),
        dateline=_string(data, "dateline"),
        author=_string(data, "author"),
        published=published,
        lead_caption=_string(data, "lead_caption"),
        tags=[tag.strip() for tag in tags if tag.strip()],
        related=[story for story in related if story.title],
        source_id=_string(data, "source_id") or _string(data, "slug"),
        source=_string(data, "source"),
    )


def parse_file(path: Path, data: bytes, fmt: str = "auto") -> ArticleRecord:
    """Read one file into a record, or raise ImportFailure saying why not."""
    text = decode(data)
    if fmt == "auto":
        if path.suffix.lower() == ".json":
            fmt = "json"
        elif looks_like_page(text):
            fmt = "page"
        else:
            fmt = "plain"
    parser = {"json": parse_json, "page": parse_page, "plain": parse_plain}[fmt]
    record = parser(text)
    if not record.title:
        raise ImportFailure("the article has no title")
    if not record.paragraphs:
        raise ImportFailure("the article has no body paragraph")
    return record
