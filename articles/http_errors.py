"""How the site refuses a request: JSON under /api/, the site's own pages elsewhere.

An API client reads every refusal the same way, whichever layer made it (a
view, Django's 400/403/404 handlers, the CSRF check): a JSON object with the
`status`, an `error` in plain words and, when one field of the request is at
fault, its `field`. `json_error` builds it, and nothing else does.

Django's own CSRF failure page carries an inline <style> our
Content-Security-Policy blocks; ours is rendered through `base.html`, with the
site's stylesheet, in the reader's language.

Anonymous writes to the API are told to log in (401, with WWW-Authenticate)
before the CSRF check, which they would otherwise fail first, with a page that
says nothing about logging in. `login_before_csrf` does that, and keeps the
CSRF check for every logged-in user.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt, csrf_protect

API_PREFIX = "/api/"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
# Logging in happens through the admin's login page, which sets the session cookie.
WWW_AUTHENTICATE = 'Cookie realm="admin"'


def json_error(status: int, message: str, *, field: str = "", **headers) -> JsonResponse:
    """The API's one shape of error: {"status", "error", and "field" when one field is at fault}."""
    data = {"status": status, "error": message}
    if field:
        data["field"] = field
    return JsonResponse(data, status=status, headers=headers, json_dumps_params={"ensure_ascii": False, "indent": 2})


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def login_before_csrf(message: str):
    """Decorate an API view that writes: anonymous writes get 401 `message`; logged-in users' writes are CSRF-checked.

    Safe for an anonymous request to skip the CSRF check: it is refused, and
    CSRF only guards requests that carry someone's session."""

    def decorator(view):
        protected = csrf_protect(view)

        @wraps(view)
        def checked(request, *args, **kwargs):
            if request.method not in SAFE_METHODS and not request.user.is_authenticated:
                return json_error(401, message, **{"WWW-Authenticate": WWW_AUTHENTICATE})
            return protected(request, *args, **kwargs)

        # The middleware's check would come before ours; `protected` makes it after.
        return csrf_exempt(checked)

    return decorator


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: JSON under /api/ (with Django's reason), else our page in the reader's language."""
    if is_api(request):
        return json_error(
            403,
            f"CSRF check failed: {reason.rstrip('.')}. Send the csrftoken cookie's value in the X-CSRFToken header.",
        )
    return render(request, "403_csrf.html", status=403)


def bad_request(request, exception):
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return json_error(
            400, f"the request body is too large: the limit is {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes"
        )
    return json_error(400, "the request could not be read")


def permission_denied(request, exception):
    if not is_api(request):
        return defaults.permission_denied(request, exception)
    return json_error(403, "you may not do this")


def page_not_found(request, exception):
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    # Not the exception's text: Django's names models and lists URL patterns.
    return json_error(404, f"nothing at {request.path}")
