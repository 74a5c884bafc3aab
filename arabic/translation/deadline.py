"""A deadline for HTTP calls made by libraries that pass no timeout.

deep-translator calls `requests` without a timeout, so a provider that accepts
the connection and never answers would block its caller forever. Inside
`request_deadline(t)`, every `requests` call of this thread that has no timeout
of its own gets the time left until `t` as its connect and read timeout. The
patch is installed once, is thread-local, and changes nothing outside the block.
"""

import threading
import time
from contextlib import contextmanager

import requests

_state = threading.local()
_original_request = requests.Session.request


def _request_with_deadline(self, method, url, *args, **kwargs):
    deadline = getattr(_state, "deadline", None)
    if deadline is not None and kwargs.get("timeout") is None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise requests.exceptions.Timeout("the time allowed for this call ran out before it was sent")
        kwargs["timeout"] = remaining
    return _original_request(self, method, url, *args, **kwargs)


requests.Session.request = _request_with_deadline


@contextmanager
def request_deadline(deadline: float):
    """Bound the `requests` calls of this block by `deadline` (time.monotonic())."""
    previous = getattr(_state, "deadline", None)
    _state.deadline = deadline
    try:
        yield
    finally:
        _state.deadline = previous
