"""Marking spans (entity mentions, annotations) in text, safely.

The HTML is built from escaped fragments of the original text and elements
made with `format_html`; the text itself is never altered, so the output's
text content is exactly the original. Any set of spans works, nested,
overlapping, touching, empty or running past the ends: a span that partly
overlaps another is cut in two so that the elements always nest properly.
Spans that do not overlap stay whole (one element each), which keeps a
highlight inside a word from splitting it more than necessary.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    tag: str = "mark"
    attrs: dict = field(default_factory=dict, hash=False, compare=False)

    def open(self) -> str:
        return format_html("<{}{}>", self.tag, flatatt(self.attrs))

    def close(self) -> str:
        return format_html("</{}>", self.tag)


def highlight(text: str, spans: Iterable[Span]) -> SafeString:
    """`text`, escaped, with each span wrapped in its element."""
    length = len(text)
    spans = [
        (index, span, max(0, span.start), min(length, span.end))
        for index, span in enumerate(spans)
        if min(length, span.end) > max(0, span.start)
    ]
    if not spans:
        return conditional_escape(text)
    # Outer spans first: earlier start, then longer, then given order.
    spans.sort(key=lambda item: (item[2], -item[3], item[0]))
    bounds = sorted({0, length, *(start for _, _, start, _ in spans), *(end for _, _, _, end in spans)})

    parts: list[str] = []
    stack: list[int] = []  # indices (into `spans`) of the open elements, outermost first
    for left, right in zip(bounds, bounds[1:], strict=False):
        covering = [i for i, (_, _, start, end) in enumerate(spans) if start <= left and right <= end]
        common = 0
        while common < len(stack) and common < len(covering) and stack[common] == covering[common]:
            common += 1
        for i in reversed(stack[common:]):
            parts.append(spans[i][1].close())
        for i in covering[common:]:
            parts.append(spans[i][1].open())
        stack = covering
        parts.append(conditional_escape(text[left:right]))
    for i in reversed(stack):
        parts.append(spans[i][1].close())
    return format_html_join("", "{}", ((part,) for part in parts))
