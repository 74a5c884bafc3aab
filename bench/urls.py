"""The site's addresses, and `/bench/bare/`: a bare Django view every page is compared with,
Django's floor on the same server. Only bench/pages.py serves it (`bench.settings`)."""

from django.http import HttpResponse
from django.urls import include, path

from newsreader.urls import handler400, handler403, handler404  # noqa: F401 - the site's error pages

urlpatterns = [
    path("bench/bare/", lambda request: HttpResponse("<p>bare</p>"), name="bench-bare"),
    path("", include("newsreader.urls")),
]
