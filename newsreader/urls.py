"""The site's addresses: the admin, the language switch, the reader (articles.urls)."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView
from django.views.i18n import set_language

# Under /api/ these answer JSON (articles.http_errors); elsewhere Django's pages.
handler400 = "articles.http_errors.bad_request"
handler403 = "articles.http_errors.permission_denied"
handler404 = "articles.http_errors.page_not_found"


class FaviconView(RedirectView):
    """/favicon.ico, which browsers and feed readers ask for whatever the page says: the
    site's icon among the static files (its address is known only once they are collected)."""

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.ico")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("admin/", admin.site.urls),
    # The language switch only sets a cookie; exempt from CSRF so that shared,
    # cached pages carry no token (see articles/caching.py).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("articles.urls")),
]
