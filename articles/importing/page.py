"""Reader for news pages copied as plain text from a browser.

The shape (Al-Araby Al-Jadeed and sites built like it), in order:

    headline
    category / dateline city              (one block)
    author, `avata`, author again, `مباشر`
    publication date (`05 نوفمبر 2025`)
    lead image caption, usually twice (alt text, then caption)
    `+ الخط -`                            (the font-size control)
    body paragraphs, blank-line separated, with embedded "related story"
    boxes: caption, section, `التحديثات الحية`, then the headline
    `دلالات` tags, `المساهمون` contributors, `المزيد في <section>`
    related stories: caption, `التحديثات الحية`, kicker, `مباشر`, headline

Counts differ from page to page (paragraphs, boxes, related stories), and so
may the presence of a dateline or of the second caption: the reader follows
the markers, not line numbers.
"""

import re

from arabic.dates import parse_arabic_date

from .records import ArticleRecord, ImportFailure, RelatedRecord

FONT_CONTROL = re.compile(r"^\+\s*الخط\s*-$")
LIVE_UPDATES = "التحديثات الحية"
LIVE_BADGE = "مباشر"
AVATAR_ALT = {"avata", "avatar"}
TAGS = "دلالات"
CONTRIBUTORS = "المساهمون"
MORE_IN = re.compile(r"^المزيد في\s+(.+)$")

_MARKERS = (
    lambda line: bool(FONT_CONTROL.match(line)),
    lambda line: line == LIVE_UPDATES,
    lambda line: line in AVATAR_ALT,
    lambda line: line in (TAGS, CONTRIBUTORS),
    lambda line: bool(MORE_IN.match(line)),
)


def looks_like_page(text: str) -> bool:
    """True when at least two of the page's boilerplate markers are present."""
    lines = {line.strip() for line in text.splitlines()}
    return sum(any(marker(line) for line in lines) for marker in _MARKERS) >= 2


def _blocks(lines: list[str]) -> list[list[str]]:
    """Group lines into blank-line separated blocks of non-empty lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _find(lines: list[str], predicate, start: int = 0) -> int | None:
    for index in range(start, len(lines)):
        if predicate(lines[index]):
            return index
    return None


def parse_page(text: str) -> ArticleRecord:
    lines = [line.strip() for line in text.splitlines()]

    font = _find(lines, lambda line: bool(FONT_CONTROL.match(line)))
    date_at = _find(lines, lambda line: parse_arabic_date(line) is not None)
    if font is None:
        # No font control: the header ends with the caption block after the date.
        if date_at is None:
            raise ImportFailure("page format: neither the font-size control nor a date line was found")
        font = _find(lines, lambda line: not line, date_at) or len(lines)
        body_start = font
    else:
        body_start = font + 1

    end_of_body = _find(
        lines,
        lambda line: line in (TAGS, CONTRIBUTORS) or bool(MORE_IN.match(line)),
        body_start,
    )
    if end_of_body is None:
        end_of_body = len(lines)

    record = _parse_header(lines[:font])
    paragraphs, related = _parse_body(_blocks(lines[body_start:end_of_body]))
    tags, section, trailing = _parse_footer(lines[end_of_body:])
    record.paragraphs = paragraphs
    record.related = related + trailing
    record.tags = tags
    record.section = section
    return record


def _parse_header(lines: list[str]) -> ArticleRecord:
    blocks = _blocks(lines)
    if not blocks:
        raise ImportFailure("page format: no headline before the font-size control")
    title = blocks[0][0]
    rest = [line for block in blocks for line in block][1:]

    date_at = _find(rest, lambda line: parse_arabic_date(line) is not None)
    published = parse_arabic_date(rest[date_at]) if date_at is not None else None
    before_date = rest if date_at is None else rest[:date_at]
    captions = [] if date_at is None else rest[date_at + 1 :]

    # The author's name surrounds the avatar's alt text; the kicker block
    # (category, then dateline city) comes before it.
    author = ""
    avatar = _find(before_date, lambda line: line in AVATAR_ALT)
    if avatar is not None:
        after = [line for line in before_date[avatar + 1 :] if line != LIVE_BADGE]
        author = after[0] if after else (before_date[avatar - 1] if avatar else "")
        kicker = [line for line in before_date[:avatar] if line not in (author, LIVE_BADGE)]
    else:
        kicker_block = blocks[1] if len(blocks) > 1 else []
        kicker = [line for line in kicker_block if line != LIVE_BADGE]
        remaining = [line for line in before_date if line not in kicker and line != LIVE_BADGE]
        author = remaining[0] if remaining else ""

    category = kicker[0] if kicker else ""
    dateline = kicker[1] if len(kicker) > 1 else ""

    # Alt text and caption are usually the same line twice; when they differ,
    # the caption (shown under the image) is the later one.
    distinct = list(dict.fromkeys(captions))
    lead_caption = distinct[-1] if distinct else ""

    return ArticleRecord(
        title=title,
        paragraphs=[],
        category=category,
        dateline=dateline,
        author=author,
        published=published,
        lead_caption=lead_caption,
    )


def _related_box(box: list[str], headline: str) -> RelatedRecord:
    marker = box.index(LIVE_UPDATES)
    before = box[:marker]
    after = [line for line in box[marker + 1 :] if line != LIVE_BADGE]
    caption = before[0] if before else ""
    section = before[1] if len(before) > 1 else (after[0] if after else "")
    return RelatedRecord(title=headline, caption=caption, section=section)


def _walk(blocks: list[list[str]]):
    """Yield ("story", RelatedRecord) or ("text", paragraph) in page order."""
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if LIVE_UPDATES in block:
            headline_block = blocks[index + 1] if index + 1 < len(blocks) else []
            if headline_block and LIVE_UPDATES not in headline_block:
                yield "story", _related_box(block, headline_block[0])
                # Lines after the headline in the same block are body text.
                if len(headline_block) > 1:
                    yield "text", " ".join(headline_block[1:])
                index += 2
                continue
            index += 1  # a box with no headline: nothing to link to
            continue
        yield "text", " ".join(block)
        index += 1


def _parse_body(blocks: list[list[str]]) -> tuple[list[str], list[RelatedRecord]]:
    paragraphs, related = [], []
    for kind, item in _walk(blocks):
        (related if kind == "story" else paragraphs).append(item)
    return paragraphs, related


def _parse_footer(lines: list[str]) -> tuple[list[str], str, list[RelatedRecord]]:
    tags: list[str] = []
    section = ""
    more_in = _find(lines, lambda line: bool(MORE_IN.match(line)))
    head = lines if more_in is None else lines[:more_in]
    if TAGS in head:
        start = head.index(TAGS) + 1
        stop = head.index(CONTRIBUTORS) if CONTRIBUTORS in head[start:] else len(head)
        tags = [line for line in head[start:stop] if line]
    if more_in is None:
        return tags, section, []
    section = MORE_IN.match(lines[more_in]).group(1).strip()
    trailing = [item for kind, item in _walk(_blocks(lines[more_in + 1 :])) if kind == "story"]
    return tags, section, trailing
