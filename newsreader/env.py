"""Reading settings from the environment: every variable through one of these helpers.

A value that cannot be read stops the site (and every command) with one line
that names the variable and says what it wants (`manage.py` prints it without a
traceback), instead of a traceback or, worse, a silently wrong setting. The
empty string counts as unset, as in a `.env` line `NAME=`.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name).lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a yes or no (1/0, true/false, yes/no, on/off).")


def _number(name: str, default, kind, minimum):
    raw = env_str(name)
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None
    if value != value or value in (float("inf"), float("-inf")):  # nan, inf
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.")
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} is below its least value, {minimum}.")
    return value


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    return _number(name, default, int, minimum)


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    return _number(name, default, float, minimum)


def env_list(name: str) -> list[str]:
    """Comma-separated values, blanks dropped."""
    return [item.strip() for item in env_str(name).split(",") if item.strip()]
