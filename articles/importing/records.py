"""What a parser hands to the importer: one article, independent of its format."""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field


class ImportFailure(Exception):
    """A file that cannot be imported; the message says why, in plain words."""


@dataclass(frozen=True)
class RelatedRecord:
    title: str
    caption: str = ""
    section: str = ""


@dataclass
class ArticleRecord:
    title: str
    paragraphs: list[str]
    category: str = ""
    section: str = ""
    dateline: str = ""
    author: str = ""
    published: datetime.date | None = None
    lead_caption: str = ""
    tags: list[str] = field(default_factory=list)
    related: list[RelatedRecord] = field(default_factory=list)
    # Only the JSON format carries these; files are keyed by their name.
    source_id: str = ""
    source: str = ""

    def texts(self) -> list[str]:
        """Every text the article shows (its size is what the limits count)."""
        texts = [self.title, self.lead_caption, *self.paragraphs, *self.tags]
        for story in self.related:
            texts += [story.title, story.caption, story.section]
        return texts

    def content_hash(self) -> str:
        """Hash of everything the import writes, to recognise an unchanged file."""
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()
