"""The highlighter is safe and faithful for any text and any spans."""

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.rendering import Span, highlight

# Arabic letters, diacritics, RTL/LTR marks, markup-like and quoting characters.
ALPHABET = st.sampled_from(list("بإسطنولتركياَُِّـ \u200f\u200e\u202b\u2066<>&\"'/script=;#x")) | st.characters()
TEXTS = st.lists(ALPHABET, max_size=60).map("".join) | st.sampled_from(
    ['<script>alert("x")</script>', "بإسطنبول &amp; <b>", "\u200fمرحبا\u200f 'quoted' & \"double\""]
)


class Checker(HTMLParser):
    """Rebuilds the text and checks that every element is closed in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = []
        self.stack = []
        self.elements = 0

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.elements += 1

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check(html):
    parser = Checker()
    parser.feed(html)
    parser.close()
    assert parser.stack == [], "unclosed elements"
    return "".join(parser.text), parser.elements


@st.composite
def texts_and_spans(draw):
    text = draw(TEXTS)
    bound = len(text) + 3
    spans = draw(
        st.lists(
            st.tuples(st.integers(-3, bound), st.integers(-3, bound), st.sampled_from(["mark", "a", "span"])),
            max_size=8,
        )
    )
    return text, [Span(start, end, tag, {"class": "x", "data-note": '"><script>'}) for start, end, tag in spans]


@settings(max_examples=400, deadline=None)
@given(texts_and_spans())
def test_output_is_well_formed_and_its_text_is_the_original(case):
    text, spans = case
    html = str(highlight(text, spans))
    rebuilt, _ = check(html)
    assert rebuilt == text
    assert "<script" not in html


def test_nested_overlapping_touching_and_empty_spans():
    text = "في بإسطنبول اليوم"
    spans = [Span(0, 11), Span(4, 11), Span(6, 14), Span(11, 14), Span(5, 5), Span(-4, 2), Span(15, 99)]
    html = str(highlight(text, spans))
    rebuilt, elements = check(html)
    assert rebuilt == text
    assert elements >= 6


def test_disjoint_spans_stay_one_element_each():
    text = "لقاء بإسطنبول وغزة"
    html = str(highlight(text, [Span(6, 13, "a", {"href": "/e/1/"}), Span(15, 18)]))
    assert html == 'لقاء ب<a href="/e/1/">إسطنبول</a> و<mark>غزة</mark>'


def test_text_is_escaped_and_attributes_too():
    html = str(highlight('<script>alert("x")</script> & نص', [Span(0, 8, "mark", {"title": '"><b>'})]))
    assert html.startswith('<mark title="&quot;&gt;&lt;b&gt;">&lt;script&gt;</mark>')
    assert "&amp; نص" in html
