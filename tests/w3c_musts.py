"""The W3C Web Annotation test suite's MUST assertions (vendored JSON Schemas), run with jsonschema."""

import datetime
import json
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMAS = Path(__file__).resolve().parent / "w3c_schemas"
MUSTS = {"annotation": "annotationMusts.test", "collection": "collectionMusts.test", "page": "pageMusts.test"}

formats = FormatChecker()


@formats.checks("uri")
def _uri(value) -> bool:
    return not isinstance(value, str) or (bool(urlsplit(value).scheme) and not any(c.isspace() for c in value))


@formats.checks("date-time")
def _date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.tzinfo is not None


@cache
def _registry() -> Registry:
    resources = []
    for path in (SCHEMAS / "definitions").glob("*.json"):
        contents = json.loads(path.read_text())
        resources.append((path.name, Resource.from_contents(contents, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


@cache
def _assertions(kind: str) -> list[tuple[str, dict]]:
    listing = json.loads((SCHEMAS / MUSTS[kind]).read_text())
    return [(name, json.loads((SCHEMAS / name).read_text())) for name in listing["assertions"]]


def must_failures(data: dict, kind: str) -> list[str]:
    """The MUST assertions of the W3C suite that `data` (an annotation, collection or page) fails."""
    failures = []
    for name, schema in _assertions(kind):
        schema = {key: value for key, value in schema.items() if key != "id"}
        valid = Draft4Validator(schema, registry=_registry(), format_checker=formats).is_valid(data)
        if valid != (schema.get("expectedResult", "valid") == "valid"):
            failures.append(f"{name}: {schema.get('errorMessage', '')}")
    return failures


def assertion_count(kind: str) -> int:
    return len(_assertions(kind))
