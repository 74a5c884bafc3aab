"""The site's addresses: the admin, the language switch, the reader (articles.urls)."""

from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

# Under /api/ these answer JSON (articles.http_errors); elsewhere Django's pages.
handler400 = "articles.http_errors.bad_request"
handler403 = "articles.http_errors.permission_denied"
handler404 = "articles.http_errors.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language switch only sets a cookie; exempt from CSRF so that shared,
    # cached pages carry no token (see articles/caching.py).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("articles.urls")),
]
