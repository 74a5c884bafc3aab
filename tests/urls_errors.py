"""The project's URLs plus one view that fails, to see what an unhandled error does."""

from django.urls import include, path


def broken_view(request):
    raise ZeroDivisionError("a bug deep in a view")


urlpatterns = [path("broken/", broken_view, name="broken"), path("", include("newsreader.urls"))]
