"""Exports for reuse in other tools: CoNLL for training Arabic NER, JSONL one
paragraph per line. Offsets in JSONL count Unicode code points over the
paragraph's original text, in logical order, end exclusive."""

import json
from collections.abc import Iterable

from arabic.tokens import tokens_with_offsets

from ..models import Annotation, Article, Mention

OFFSETS = "unicode code points over the paragraph text, logical order, end exclusive"


def _decided(mentions: Iterable[Mention]) -> list[Mention]:
    """Confirmed and editor-added mentions: the labels a person stands behind."""
    return [
        m
        for m in mentions
        if m.status == Mention.Status.CONFIRMED or (m.source == Mention.Source.EDITOR and m.status != "rejected")
    ]


def _paragraph_mentions(article: Article, *, public_only: bool) -> dict[int, list[Mention]]:
    """The article's paragraph mentions; with `public_only`, not those behind editors-only annotations."""
    mentions = article.mentions.filter(kind="paragraph")
    if public_only:
        mentions = mentions.public()
    by_paragraph: dict[int, list[Mention]] = {}
    for mention in mentions.order_by("start"):
        by_paragraph.setdefault(mention.paragraph_id, []).append(mention)
    return by_paragraph


def conll(articles: Iterable[Article], *, public_only: bool = False) -> str:
    """One token per line with its BIO tag; sentences separated by a blank line,
    articles by a -DOCSTART- line. Tokens are camel-tools' simple_word_tokenize;
    a token that holds a name behind a clitic (بإسطنبول) carries the name's tag."""
    lines: list[str] = []
    for article in articles:
        mentions = _paragraph_mentions(article, public_only=public_only)
        lines += ["-DOCSTART-\tO", ""]
        for paragraph in article.paragraphs.order_by("position"):
            spans = _decided(mentions.get(paragraph.pk, []))
            for sentence in tokens_with_offsets(paragraph.text):
                previous = None
                for word, start, end in sentence:
                    mention = next((m for m in spans if m.start < end and start < m.end), None)
                    if mention is None:
                        tag, previous = "O", None
                    else:
                        tag = f"{'I' if previous is mention else 'B'}-{mention.label}"
                        previous = mention
                    lines.append(f"{word}\t{tag}")
                lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def jsonl(articles: Iterable[Article], annotations_of, *, public_only: bool = False) -> str:
    """One JSON object per paragraph: its text, decided entity spans (`label`,
    as doccano reads them), every shown mention, and its annotations."""
    rows = []
    for article in articles:
        mentions = _paragraph_mentions(article, public_only=public_only)
        annotations: dict[int, list[Annotation]] = {}
        for annotation in annotations_of(article):
            if annotation.paragraph_id:
                annotations.setdefault(annotation.paragraph_id, []).append(annotation)
        for paragraph in article.paragraphs.order_by("position"):
            own = mentions.get(paragraph.pk, [])
            rows.append(
                {
                    "id": f"{article.slug}#{paragraph.anchor}",
                    "article": article.slug,
                    "paragraph": paragraph.position,
                    "text": paragraph.text,
                    "offsets": OFFSETS,
                    "label": [[m.start, m.end, m.label] for m in _decided(own)],
                    "entities": [
                        {
                            "start": m.start,
                            "end": m.end,
                            "text": m.text,
                            "label": m.label,
                            "source": m.source,
                            "status": m.status,
                            "entity": m.entity.name_en if m.entity else None,
                        }
                        for m in own
                        if m.status != Mention.Status.REJECTED
                    ],
                    "annotations": [
                        {
                            "start": a.start,
                            "end": a.end,
                            "text": a.exact,
                            "kind": a.kind,
                            "body": a.body,
                            "proposed_text": a.proposed_text or None,
                            "label": a.label or None,
                            "visibility": a.visibility,
                            "anchor": a.anchor,
                        }
                        for a in annotations.get(paragraph.pk, [])
                    ],
                }
            )
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
