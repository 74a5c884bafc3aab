"""Property-based fuzzing of the three importers (news page, plain text, JSON):
whatever bytes or JSON value a file holds, it imports or fails with an
ImportFailure that says why; no other exception escapes."""

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importing import ImportFailure, article_import, parse_file
from articles.models import Article

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text as hostile files carry it: anything Unicode, plus what databases refuse.
texts = st.one_of(st.text(max_size=40), st.sampled_from(["\ud800", "a\x00b", "\udfff", " ", "ع" * 600]))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=12,
)
ARTICLE_KEYS = [
    "related",
    "tags",
    "published",
    "source_id",
    "slug",
    "source",
    "section",
    "author",
    "lead_caption",
]
# Article-shaped objects whose fields hold anything, so the fuzzing reaches past the first check.
article_like = st.fixed_dictionaries(
    {"title": texts, "paragraphs": st.lists(texts | st.fixed_dictionaries({"text": texts}), max_size=4)},
    optional=dict.fromkeys(ARTICLE_KEYS, json_values),
)


def import_or_refuse(data: bytes, *, fmt: str, name: str) -> str:
    """'imported' or 'refused'; any other exception fails the test."""
    try:
        record = parse_file(Path(name), data, fmt)
        article_import(record=record, source_id=record.source_id or "fuzz")
    except ImportFailure as failure:
        assert str(failure), "a refusal must say why"
        return "refused"
    return "imported"


@FUZZ
@given(data=st.binary(max_size=3000), fmt=st.sampled_from(["auto", "page", "plain", "json"]))
def test_any_bytes_import_or_fail_with_a_reason(db, data, fmt):
    import_or_refuse(data, fmt=fmt, name="fuzz.txt")


@FUZZ
@given(text=st.text(max_size=2000), fmt=st.sampled_from(["page", "plain"]))
def test_any_text_imports_or_fails_with_a_reason(db, text, fmt):
    outcome = import_or_refuse(text.encode("utf-8", "surrogatepass"), fmt=fmt, name="fuzz.txt")
    if outcome == "imported":
        assert Article.objects.filter(source_id="fuzz").exists()


@FUZZ
@given(value=json_values | article_like)
def test_any_json_value_imports_or_fails_with_a_reason(db, value):
    Article.objects.all().delete()
    data = json.dumps(value, ensure_ascii=True).encode()
    outcome = import_or_refuse(data, fmt="json", name="fuzz.json")
    if outcome == "imported":
        assert Article.objects.get().paragraphs.exists()
