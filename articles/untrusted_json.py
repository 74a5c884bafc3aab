"""JSON written by anyone, parsed in one bounded place: every request body, upload,
imported file and form field that holds JSON goes through `json_parse`.

Python's json module trusts its input, and each of its trusts was a 500 here:
nesting thousands of levels deep raises RecursionError; an integer of more than
4,300 digits raises a bare ValueError; and the escapes "\\ud800" and "\\u0000"
decode to a lone surrogate (no page, database or encoder can carry one: every
page showing it answered 500 from then on) and to a NUL (PostgreSQL refuses it,
and it reached our pages inside HTML attributes). `json_parse` returns a value
that can be stored and shown, or raises `UntrustedJSONError`, whose message says
why in plain words and, where it knows, `path` says where.

What is refused:
- more than `max_bytes`, counted before anything is decoded or parsed;
- bytes that are not UTF-8 (a leading byte order mark is allowed);
- arrays and objects nested deeper than `max_depth`, found by a scan of the
  brackets outside strings *before* json.loads runs, so hostile nesting never
  reaches a recursive parser;
- a number with more than `max_number_digits` digits in a row (counted on the
  text, before Python converts it), NaN and Infinity (which are not JSON), and a
  float too large to hold;
- U+0000 and lone surrogates in any string or key. They are never text anyone
  means, and refusing them everywhere is simpler and safer than knowing which
  strings end up stored (file import refused NUL already, for the same reason).
"""

import json
import math
import re
from itertools import accumulate

# The formats we read nest about eight levels deep (a W3C annotation collection,
# with a RangeSelector refined by a selector, is the deepest); 64 leaves room for
# other tools' shapes and is far below Python's recursion limit.
MAX_DEPTH = 64
# No number we read needs more: offsets and positions have at most seven digits,
# a float's repr at most 17 digits and a 3-digit exponent.
MAX_NUMBER_DIGITS = 100

# A string literal, or an unterminated one to the end of the text: the scan
# never fails to match at a quote, so it stays linear on any input.
_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]++")
_DEPTH_CHANGE = {"[": 1, "{": 1, "]": -1, "}": -1}


class UntrustedJSONError(ValueError):
    """JSON that is refused: the message says why, `path` where in the value (empty when not known)."""

    def __init__(self, reason: str, *, path: str = ""):
        super().__init__(f"{reason} (at {path})" if path else reason)
        self.reason = reason
        self.path = path


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored and shown (a NUL, a lone surrogate), or None when it can."""
    if "\x00" in text:
        return "contains U+0000 (NUL), which is not text"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return f"contains U+{ord(text[error.start]):04X}, a lone surrogate that is not a character"
    return None


def json_parse(
    data: str | bytes, *, max_bytes: int, max_depth: int = MAX_DEPTH, max_number_digits: int = MAX_NUMBER_DIGITS
) -> object:
    """The value `data` holds, within the bounds; UntrustedJSONError (and nothing else) says why not."""
    text = _text(data, max_bytes=max_bytes)
    if "\x00" in text:
        raise UntrustedJSONError("text contains U+0000 (NUL), which is not text")
    _check_structure(text, max_depth=max_depth, max_number_digits=max_number_digits)
    try:
        value = json.loads(text, parse_float=_float, parse_constant=_not_a_number)
    except UntrustedJSONError:
        raise
    except json.JSONDecodeError as error:
        raise UntrustedJSONError(f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None
    except ValueError as error:  # Python's own limit on an integer's digits, if max_number_digits passes it
        raise UntrustedJSONError(f"invalid JSON: {error}") from None
    except RecursionError:  # not reached after the scan; kept so that a scan bug is still a refusal
        raise UntrustedJSONError(_too_deep(max_depth)) from None
    _check_strings(value)
    return value


def _text(data: str | bytes, *, max_bytes: int) -> str:
    if isinstance(data, str):
        # A character takes at most 4 bytes: only long texts need encoding to be measured.
        size = len(data.encode("utf-8", "surrogatepass")) if len(data) * 4 > max_bytes else len(data)
    else:
        size = len(data)
    if size > max_bytes:
        raise UntrustedJSONError(f"the JSON is too large: {size:,} bytes, the limit is {max_bytes:,} bytes")
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise UntrustedJSONError(
            f"the JSON is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None


def _too_deep(max_depth: int) -> str:
    return f"invalid JSON: nested too deeply (more than {max_depth} levels of arrays and objects)"


def _check_structure(text: str, *, max_depth: int, max_number_digits: int) -> None:
    """Refuse deep nesting and long numbers before parsing: linear scans, no recursion.

    Brackets after the first value closes may dip below zero; json.loads stops
    at the first of them ("Extra data"), so they never reach its recursion.
    Digits are counted in a row, outside strings: an integer's are all in one
    run (Python converts integers in quadratic time and refuses past 4,300
    digits); a float's integer part, fraction and exponent are each bounded."""
    outside = _STRING.sub('""', text)
    brackets = _NOT_A_BRACKET.sub("", outside)
    if brackets and max(accumulate(map(_DEPTH_CHANGE.__getitem__, brackets))) > max_depth:
        raise UntrustedJSONError(_too_deep(max_depth))
    digits = re.search(f"[0-9]{{{max_number_digits + 1},}}", outside)
    if digits:
        raise UntrustedJSONError(_too_long(len(digits[0]), max_number_digits))


def _too_long(digits: int, max_digits: int) -> str:
    return f"a number has {digits:,} digits; at most {max_digits:,} are accepted"


def _float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise UntrustedJSONError(f"the number {literal[:20]} is too large")
    return value


def _not_a_number(literal: str):
    raise UntrustedJSONError(f"{literal} is not a JSON number")


def _check_strings(value) -> None:
    """Every string and key must be text (no NUL, no lone surrogate).

    Encoding the whole value at C speed proves most values clean; only a value
    that may hold a bad string (a NUL is always escaped, as \\u0000, which a
    string could also spell out) is walked, with a stack rather than recursion,
    to find the string and its path."""
    try:
        encoded = json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        encoded = None
    if encoded is not None and b"\\u0000" not in encoded:
        return
    stack = [(value, None)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                raise UntrustedJSONError(f"text {problem}", path=_path(where))
        elif isinstance(item, list):
            stack.extend((child, (where, index)) for index, child in enumerate(item))
        elif isinstance(item, dict):
            for key, child in item.items():
                problem = text_problem(key)
                if problem:
                    raise UntrustedJSONError(f"a key {problem}", path=_path(where))
                stack.append((child, (where, key)))


def _path(where) -> str:
    """`body.value`, `paragraphs[2].text`: where a value sits, from the (parent, step) chain."""
    steps = []
    while where is not None:
        where, step = where
        steps.append(step)
    path = ""
    for step in reversed(steps):
        if isinstance(step, int):
            path += f"[{step}]"
        elif step.isidentifier():
            path += f".{step}" if path else step
        else:
            path += f"[{json.dumps(step)}]"
    return path
