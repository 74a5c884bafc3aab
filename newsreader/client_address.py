"""The address a request came from, for the login lockout (django-axes).

Directly on the internet it is REMOTE_ADDR. Behind one reverse proxy
(`AXES_BEHIND_PROXY=1`) REMOTE_ADDR is the proxy's, and the client is the
last address the proxy appended to X-Forwarded-For: earlier entries are
whatever the client sent, and a client could pick them to dodge the lockout.
"""

from django.conf import settings


def client_address(request) -> str | None:
    if settings.AXES_BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")
