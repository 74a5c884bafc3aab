"""The one parser for JSON from outside (articles.untrusted_json): each refusal the
probe of issue 19 found, and fuzzing: whatever bytes or text it is given, it returns
a value within the bounds that can be stored and shown, or raises UntrustedJSONError
with a reason; never anything else."""

import json
import math
import re
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from articles.untrusted_json import UntrustedJSONError, json_parse, text_problem

LIMITS = {"max_bytes": 10_000, "max_depth": 4, "max_number_digits": 5}
FUZZ = settings(max_examples=400, deadline=None)


def refusal(data, **limits) -> UntrustedJSONError:
    with pytest.raises(UntrustedJSONError) as raised:
        json_parse(data, **{"max_bytes": 10_000_000, **limits})
    assert raised.type is UntrustedJSONError and str(raised.value)
    return raised.value


# --- What the probe sent ----------------------------------------------------------


@pytest.mark.parametrize("nesting", ["[" * 5_000, "[" * 10_000 + "]" * 10_000, '{"a":' * 5_000 + "1" + "}" * 5_000])
def test_deep_nesting_is_refused_before_parsing(nesting):
    assert "nested too deeply (more than 64 levels" in str(refusal(nesting))


def test_the_depth_limit_is_exact():
    assert json_parse("[" * 4 + "]" * 4, **LIMITS) == [[[[]]]]
    assert "more than 4 levels" in str(refusal("[" * 5 + "]" * 5, max_depth=4))
    # Brackets inside strings are text, not nesting.
    assert json_parse('["[[[[[[[[", "{{{{{{{{"]', **LIMITS) == ["[[[[[[[[", "{{{{{{{{"]


@pytest.mark.parametrize("number", ["9" * 5_000, "-" + "9" * 5_000, "[1, " + "9" * 100_000 + "]", "0." + "1" * 5_000])
def test_numbers_with_thousands_of_digits_are_refused(number):
    error = refusal(number)
    assert "digits; at most 100 are accepted" in str(error)


def test_a_long_number_inside_a_string_is_text():
    assert json_parse(json.dumps("9" * 5_000), max_bytes=10_000) == "9" * 5_000


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "[1e400]", "-1e999"])
def test_what_is_not_a_json_number_is_refused(literal):
    assert "number" in str(refusal(literal))


@pytest.mark.parametrize(
    "data, reason, path",
    [
        ('["\\ud800"]', "text contains U+D800, a lone surrogate that is not a character", "[0]"),
        ('{"bodyValue": "a\\udfffb"}', "text contains U+DFFF, a lone surrogate", "bodyValue"),
        ('{"body": {"value": "a\\u0000b"}}', "text contains U+0000 (NUL), which is not text", "body.value"),
        ('{"paragraphs": [{"text": "x"}, {"text": "\\u0000"}]}', "U+0000", "paragraphs[1].text"),
        ('{"a b": ["\\ud800"]}', "lone surrogate", '["a b"][0]'),
        ('{"\\ud800": 1}', "a key contains U+D800", ""),
        ('["a\x00b"]', "U+0000 (NUL)", ""),
        ("a\ud800", "", ""),  # a lone surrogate outside a string is not JSON at all
    ],
)
def test_lone_surrogates_and_nul_are_refused_where_they_are(data, reason, path):
    error = refusal(data)
    assert reason in str(error) and error.path == path


def test_surrogate_pairs_and_an_escaped_backslash_u0000_are_text():
    assert json_parse('["\\ud83d\\ude00", "\\\\u0000"]', max_bytes=100) == ["😀", "\\u0000"]


def test_size_is_counted_in_bytes_before_parsing():
    assert "too large: 1,001 bytes, the limit is 1,000 bytes" in str(
        refusal(b"[" + b"1," * 499 + b"1]", max_bytes=1_000)
    )
    assert "too large" in str(refusal('"' + "ع" * 600 + '"', max_bytes=1_000))  # 1,202 bytes in UTF-8
    assert json_parse('"' + "ع" * 400 + '"', max_bytes=1_000) == "ع" * 400


def test_bytes_must_be_utf8_and_may_start_with_a_byte_order_mark():
    assert "not UTF-8 text (byte 0xff at offset 1)" in str(refusal(b'"\xff"'))
    assert json_parse('\ufeff{"a": 1}'.encode(), max_bytes=100) == {"a": 1}


def test_syntax_errors_say_where():
    assert str(refusal('{"a": }')) == "invalid JSON: Expecting value (line 1, column 7)"
    assert "invalid JSON" in str(refusal(""))


@pytest.mark.parametrize(
    "data, accepted",
    [
        ('"' + '\\"' * 2_000_000, False),
        ("[" * 4_000_000, False),
        ("[" + "[]," * 1_300_000 + "[]]", True),
        ("[" + "1," * 2_000_000 + "1]", True),
    ],
)
def test_hostile_inputs_of_megabytes_take_linear_time(data, accepted):
    """A quadratic scan (of an unterminated string full of escaped quotes) would take hours on 4 MB."""
    started = time.perf_counter()
    try:
        json_parse(data, max_bytes=len(data))
        outcome = True
    except UntrustedJSONError:
        outcome = False
    assert outcome is accepted and time.perf_counter() - started < 10


def test_text_problem_names_what_cannot_be_stored():
    assert text_problem("نص عادي 😀") is None
    assert text_problem("a\x00") == "contains U+0000 (NUL), which is not text"
    assert text_problem("\udc80") == "contains U+DC80, a lone surrogate that is not a character"


# --- Fuzzing ----------------------------------------------------------------------


def assert_within_bounds(value, *, max_depth: int, max_number_digits: int) -> None:
    """What every accepted value promises, checked independently of the parser (iteratively)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            assert text_problem(item) is None, ascii(item)
        elif isinstance(item, bool) or item is None:
            pass
        elif isinstance(item, int):
            assert len(str(abs(item))) <= max_number_digits
        elif isinstance(item, float):
            assert math.isfinite(item)
        elif isinstance(item, list):
            assert depth + 1 <= max_depth
            stack.extend((child, depth + 1) for child in item)
        else:
            assert isinstance(item, dict) and depth + 1 <= max_depth
            for key, child in item.items():
                assert text_problem(key) is None, ascii(key)
                stack.append((child, depth + 1))


def parse_or_refuse(data):
    """The value, or None after a refusal with a reason; any other exception fails the test."""
    try:
        value = json_parse(data, **LIMITS)
    except UntrustedJSONError as error:
        assert str(error)
        return None
    assert_within_bounds(value, max_depth=LIMITS["max_depth"], max_number_digits=LIMITS["max_number_digits"])
    return value


# Pieces of JSON, hostile ones included, so that random concatenations reach every check.
TOKENS = st.sampled_from(
    [
        "[", "]", "{", "}", ",", ":", '"', "\\", " ", "\n", "0", "1", "-", ".", "e", "E", "+",
        "123456", "99999999", "1e999", "true", "false", "null", "NaN", "Infinity", '"a"', '"ع"',
        "\\u0000", "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\n", "\\\"", "\x00", "\ud800", "\ufeff",
    ]
)  # fmt: skip


@FUZZ
@given(data=st.binary(max_size=300))
@example(data=b"[" * 100)
@example(data=b'["\\ud800"]')
@example(data=b"\xef\xbb\xbf123456")
def test_any_bytes_are_parsed_within_bounds_or_refused(data):
    parse_or_refuse(data)


@FUZZ
@given(text=st.text(max_size=300) | st.lists(TOKENS, max_size=60).map("".join))
@example(text='{"a": [1, {"b": "\\u0000"}]}')
@example(text="[[[[[1]]]]]")
def test_any_json_ish_text_is_parsed_within_bounds_or_refused(text):
    parse_or_refuse(text)
    parse_or_refuse(text.encode("utf-8", "surrogatepass"))


STRINGS = st.text(max_size=8) | st.sampled_from(["\ud800", "a\x00", "\udfff", "\\u0000"])
VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**8), max_value=10**8)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | STRINGS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(STRINGS, children, max_size=3),
    max_leaves=10,
)


def acceptable(value, depth=0) -> bool:
    """Whether the parser must accept `value` (a small value: recursion is fine here)."""
    if isinstance(value, str):
        return text_problem(value) is None
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return len(str(abs(value))) <= LIMITS["max_number_digits"]
    if isinstance(value, float):
        return all(len(run) <= LIMITS["max_number_digits"] for run in re.findall("[0-9]+", json.dumps(value)))
    if depth + 1 > LIMITS["max_depth"]:
        return False
    if isinstance(value, list):
        return all(acceptable(child, depth + 1) for child in value)
    return all(text_problem(key) is None and acceptable(child, depth + 1) for key, child in value.items())


@FUZZ
@given(value=VALUES, ascii_only=st.booleans())
def test_json_values_are_accepted_exactly_when_within_bounds(value, ascii_only):
    """No over-refusal: every value within the bounds comes back equal; every other one is refused."""
    text = json.dumps(value, ensure_ascii=ascii_only)
    parsed = parse_or_refuse(text.encode("utf-8", "surrogatepass"))
    if acceptable(value):
        assert parsed == value
    else:
        assert parsed is None
