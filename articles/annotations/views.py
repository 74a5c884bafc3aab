"""HTTP for the W3C Web Annotation Protocol: containers, annotations, agents, our JSON-LD context.

Views read the request, call a selector or service, and answer with the
headers the Protocol asks for (Content-Type with the anno.jsonld profile,
ETag, Link, Allow). Session users write with CSRF, as in the admin; anonymous
writes are told to log in first (`login_before_csrf`). Bodies are read by the
bounded parser (articles.untrusted_json); refusals are JSON (`json_error`).
"""

import hashlib
import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..http_errors import json_error, login_before_csrf
from ..models import Annotation, Article
from ..untrusted_json import UntrustedJSONError, json_parse
from .protocol import (
    LDP_BASIC_CONTAINER,
    LDP_CONSTRAINED_BY,
    LDP_RESOURCE,
    PROTOCOL_SPEC,
    Preference,
    ProtocolError,
    container_document,
    page_document,
    protocol_annotation_create,
    protocol_annotation_delete,
    protocol_annotation_replace,
)
from .services import AnnotationError
from .w3c import MEDIA_TYPE, Site, agent, annotation_document, annotation_etag, context_document, exportable

JSON_OPTIONS = {"ensure_ascii": False, "indent": 2}
ACCEPTED_TYPES = ("application/ld+json", "application/json")


def site_for(request) -> Site:
    user = request.user
    editor = user.is_active and user.has_perm("articles.view_annotation")
    return Site(base_url=request.build_absolute_uri("/"), editor=editor)


def _json(data, *, status=200, content_type=MEDIA_TYPE, **headers) -> HttpResponse:
    body = json.dumps(data, **JSON_OPTIONS).encode()
    response = HttpResponse(body, status=status, content_type=content_type, headers=headers)
    if status == 200 and "ETag" not in headers:
        response["ETag"] = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    return response


# Anonymous writes never reach the views' methods: see login_before_csrf.
writes_need_login = login_before_csrf("log in as an editor to change annotations")


def annotations_visible_to(user):
    """The annotations `user` may read: visible to them, on articles visible to them."""
    return Annotation.objects.visible_to(user).filter(article__in=Article.objects.visible_to(user))


def _refusal(request, permission: str):
    """403 for users without the permission, else None."""
    if not request.user.has_perm(permission):
        return json_error(403, "you may not change annotations")
    return None


def _read_body(request):
    """The body's JSON value; ProtocolError or UntrustedJSONError (with the field's path) say why not."""
    content_type = request.content_type or ""
    if content_type not in ACCEPTED_TYPES:
        raise ProtocolError(f"send the annotation as application/ld+json, not {content_type or 'nothing'}")
    # No annotation is larger than an article: the import's limit bounds both.
    return json_parse(request.body, max_bytes=settings.IMPORT_MAX_BYTES)


def _refused(error: Exception):
    """400 for a body we cannot use; the parser knows which field holds what it refused."""
    field = error.path if isinstance(error, UntrustedJSONError) else ""
    return json_error(400, str(error), field=field)


def _link(*pairs: tuple[str, str]) -> str:
    return ", ".join(f'<{url}>; rel="{rel}"' for url, rel in pairs)


@method_decorator(vary_on_headers("Accept", "Prefer"), name="dispatch")
class CollectionView(View):
    """Every annotation the user may see (`?article=<slug>`, repeatable, narrows it): GET/HEAD only.

    This is the id of the collections `export_annotations` writes, so that it answers.
    """

    http_method_names = ["get", "head", "options"]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.articles = Article.objects.visible_to(request.user)
        slugs = sorted(set(request.GET.getlist("article")))
        if slugs:
            self.articles = self.articles.filter(slug__in=slugs)
        query = "?" + urlencode([("article", slug) for slug in slugs]) if slugs else ""
        self.container_url = request.build_absolute_uri(reverse("articles:api-annotation-list")) + query
        self.label = "Annotations" + (f" of {', '.join(slugs)}" if slugs else "")

    def headers(self) -> dict:
        return {
            "Link": _link((LDP_BASIC_CONTAINER, "type"), (PROTOCOL_SPEC, LDP_CONSTRAINED_BY)),
            "Allow": "GET,HEAD,OPTIONS",
        }

    def options(self, request, *args, **kwargs):
        return HttpResponse(status=200, headers=self.headers())

    def annotations(self):
        visible = Annotation.objects.visible_to(self.request.user)
        return exportable(visible.filter(article__in=self.articles))

    def get(self, request, *args, **kwargs):
        site = site_for(request)
        if "page" in request.GET:
            try:
                data = page_document(
                    self.annotations(),
                    number=int(request.GET["page"]),
                    container_url=self.container_url,
                    site=site,
                    iris=request.GET.get("iris") == "1",
                )
            except (ValueError, LookupError):
                return json_error(404, f"no page {request.GET['page']!r} here")
            return _json(data, Allow=self.headers()["Allow"])
        data = container_document(
            self.annotations(),
            container_url=self.container_url,
            label=self.label,
            site=site,
            preference=Preference.parse(request.headers.get("Prefer", "")),
        )
        return _json(data, **self.headers(), **{"Preference-Applied": "return=representation"})


@method_decorator(writes_need_login, name="dispatch")
class ContainerView(CollectionView):
    """An article's annotations, an LDP BasicContainer: GET/HEAD it or its pages, POST a new annotation."""

    http_method_names = ["get", "head", "options", "post"]

    def setup(self, request, *args, **kwargs):
        View.setup(self, request, *args, **kwargs)
        self.article = get_object_or_404(Article.objects.visible_to(request.user), slug=kwargs["slug"])
        self.articles = Article.objects.filter(pk=self.article.pk)
        self.container_url = request.build_absolute_uri(
            reverse("articles:api-annotations", kwargs={"slug": self.article.slug})
        )
        self.label = f"Annotations on «{self.article.title}»"

    def headers(self) -> dict:
        methods = "GET,HEAD,OPTIONS"
        if self.request.user.has_perm("articles.add_annotation"):
            methods += ",POST"
        return {
            "Link": _link((LDP_BASIC_CONTAINER, "type"), (PROTOCOL_SPEC, LDP_CONSTRAINED_BY)),
            "Allow": methods,
            "Accept-Post": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
        }

    def post(self, request, *args, **kwargs):
        refusal = _refusal(request, "articles.add_annotation")
        if refusal:
            return refusal
        try:
            annotation = protocol_annotation_create(article=self.article, data=_read_body(request), user=request.user)
        except (ProtocolError, AnnotationError, UntrustedJSONError) as error:
            return _refused(error)
        site = site_for(request)
        document = annotation_document(annotation, site)
        return _json(
            document,
            status=201,
            Location=document["id"],
            ETag=annotation_etag(annotation),
            **AnnotationView.headers_for(request),
        )


@method_decorator(writes_need_login, name="dispatch")
class AnnotationView(View):
    """One annotation: GET/HEAD/OPTIONS for anyone who may see it, PUT (with If-Match) and DELETE for editors."""

    http_method_names = ["get", "head", "options", "put", "delete"]

    @staticmethod
    def headers_for(request) -> dict:
        methods = "GET,HEAD,OPTIONS"
        if request.user.has_perm("articles.change_annotation"):
            methods += ",PUT"
        if request.user.has_perm("articles.delete_annotation"):
            methods += ",DELETE"
        return {"Link": _link((LDP_RESOURCE, "type")), "Allow": methods}

    def annotations(self):
        return exportable(annotations_visible_to(self.request.user))

    def annotation(self, *, for_update: bool = False) -> Annotation:
        annotations = self.annotations()
        if for_update:
            annotations = annotations.select_for_update(of=("self",))
        return get_object_or_404(annotations, uuid=self.kwargs["uuid"])

    def _answer(self, annotation, status=200):
        return _json(
            annotation_document(annotation, site_for(self.request)),
            status=status,
            ETag=annotation_etag(annotation),
            **self.headers_for(self.request),
        )

    def options(self, request, *args, **kwargs):
        self.annotation()
        return HttpResponse(status=200, headers=self.headers_for(request))

    def get(self, request, *args, **kwargs):
        return self._answer(self.annotation())

    def _precondition(self, annotation, *, required: bool):
        """428 without If-Match (when required), 412 when it names another version."""
        if_match = self.request.headers.get("If-Match")
        if if_match is None:
            return json_error(428, "send If-Match with the annotation's ETag") if required else None
        tags = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
        if "*" not in tags and annotation_etag(annotation) not in tags:
            return json_error(
                412, "the annotation changed since you read it; read it again", ETag=annotation_etag(annotation)
            )
        return None

    def put(self, request, *args, **kwargs):
        refusal = _refusal(request, "articles.change_annotation")
        if refusal:
            return refusal
        with transaction.atomic():
            annotation = self.annotation(for_update=True)
            failed = self._precondition(annotation, required=True)
            if failed:
                return failed
            try:
                protocol_annotation_replace(annotation=annotation, data=_read_body(request), user=request.user)
            except (ProtocolError, AnnotationError, UntrustedJSONError) as error:
                return _refused(error)
        return self._answer(self.annotations().get(pk=annotation.pk))

    def delete(self, request, *args, **kwargs):
        refusal = _refusal(request, "articles.delete_annotation")
        if refusal:
            return refusal
        with transaction.atomic():
            annotation = self.annotation(for_update=True)
            failed = self._precondition(annotation, required=False)
            if failed:
                return failed
            protocol_annotation_delete(annotation=annotation, user=request.user)
        return HttpResponse(status=204)


@require_GET
def agent_detail(request, pk):
    """The creator of annotations, as a W3C Agent (never the login name to readers)."""
    # Only people who wrote an annotation this user may read answer here:
    # accounts are not listed, nor editors who wrote only for editors.
    if not annotations_visible_to(request.user).filter(author_id=pk).exists():
        return json_error(404, "no such creator")
    user = get_object_or_404(get_user_model(), pk=pk)
    return _json({"@context": site_for(request).context, **agent(user, site_for(request))})


@require_GET
def jsonld_context(request):
    """Our JSON-LD context: the terms we use beyond the W3C's anno.jsonld."""
    # JSON-LD processors on other sites fetch it too.
    response = _json(context_document(site_for(request)), content_type="application/ld+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response
