"""The site's addresses, and `/bench/bare/`: a bare Django view every page is compared with,
Django's floor on the same server. Only bench/pages.py serves it (`bench.settings`).

The site's own patterns are listed here as they are, not included: an include would add a level of
resolving to every page and none to the bare view, and the comparison would charge the bench to the
pages."""

from django.http import HttpResponse
from django.urls import path

from newsreader.urls import handler400, handler403, handler404  # noqa: F401 - the site's error pages
from newsreader.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/bare/", lambda request: HttpResponse("<p>bare</p>"), name="bench-bare"),
    *site_urlpatterns,
]
