"""The reader's pages and the JSON API: thin views that read the request, call a selector or a
service, and render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language_info, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import DetailView, ListView

from arabic.romanize import romanize
from arabic.translation.providers import NO_PROVIDER

from . import api
from .caching import cached_page
from .entities.selectors import entity_articles, entity_mentions, entity_page
from .http_errors import json_error, login_before_csrf
from .importing import ImportFailure, article_import
from .importing.formats import parse_json
from .importing.slugs import article_by_old_slug
from .models import Article, Entity, EntityType
from .models.entities import sees_editors_only
from .search import search_terms, search_too_common
from .selectors import article_for_reading, articles_for_listing
from .services import article_etag
from .translation.presentation import translation_notice
from .translation.services import article_translation_requeue
from .words.lookup import WordRefused, analyser_name, word_lookup
from .words.presentation import panel_strings


def language_name(code: str) -> str:
    """The language's name in the interface's language ("English", "الإنجليزيّة")."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


JSON_OPTIONS = {"ensure_ascii": False, "indent": 2}


def old_slug_redirect(request, slug):
    """An article's former address: a permanent redirect to where it is now (404 if none, or not visible)."""
    article = article_by_old_slug(slug=slug)
    if article is None or not Article.objects.visible_to(request.user).filter(pk=article.pk).exists():
        raise Http404("No article here.")
    target = reverse(request.resolver_match.view_name, kwargs={**request.resolver_match.kwargs, "slug": article.slug})
    return redirect(target, permanent=True)


@method_decorator(cached_page, name="dispatch")
class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return articles_for_listing(query=self.request.GET.get("q", ""))

    def get_context_data(self, **kwargs):
        terms = search_terms(self.request.GET.get("q", ""))
        context = super().get_context_data(query=terms.text, search=terms, **kwargs)
        # Only when nothing matched: one more query, on PostgreSQL, to say why.
        context["too_common"] = not context["articles"] and search_too_common(terms)
        return context


@method_decorator(cached_page, name="dispatch")
class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return old_slug_redirect(request, kwargs["slug"])

    def get_object(self, queryset=None):
        return article_for_reading(slug=self.kwargs["slug"], user=self.request.user)

    def get_context_data(self, **kwargs):
        target = settings.TRANSLATION_TARGET
        provider_off = settings.TRANSLATION_PROVIDER == NO_PROVIDER
        return super().get_context_data(
            entity_types=EntityType.choices,
            target_lang=target,
            target_lang_name=language_name(target),
            machine_translation_off=provider_off,
            translation_notice=translation_notice(article=self.object, provider_off=provider_off),
            word_lookup=panel_strings(),
            word_glossing=self._word_glossing(),
            **kwargs,
        )

    def _word_glossing(self):
        """For an editor's own page (never a shared one): where the word panel saves a gloss."""
        request = self.request
        if getattr(request, "page_shared", False) or not request.user.has_perm("articles.add_annotation"):
            return None
        return {
            "container": reverse("articles:api-annotations", kwargs={"slug": self.object.slug}),
            "article": request.build_absolute_uri(self.object.get_absolute_url()),
        }


@method_decorator(cached_page, name="dispatch")
class EntityDetailView(DetailView):
    """The entity and the articles that mention it, newest first, a page at a time."""

    model = Entity
    template_name = "articles/entity_detail.html"
    context_object_name = "entity"

    def get_context_data(self, **kwargs):
        user = self.request.user
        paginator = Paginator(entity_articles(entity=self.object, user=user), settings.ARTICLES_PER_PAGE)
        if not sees_editors_only(user):
            paginator.count = self.object.article_count  # kept (articles.entity_counts): no COUNT over mentions
        page = page_asked(paginator, self.request.GET.get("page"))
        return super().get_context_data(
            articles=entity_page(entity=self.object, user=self.request.user, articles=list(page)),
            article_total=paginator.count,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            romanisation="" if self.object.name_en else romanize(self.object.name_ar, name=True),
            target_lang=settings.TRANSLATION_TARGET,
            **kwargs,
        )


class PageMissing(Http404):
    """A `?page=` that names no page: not a number, below 1 or past the last (the message says which)."""


def page_asked(paginator: Paginator, raw: str | None):
    """The page `?page=` asks for (the first when absent or empty); PageMissing for any other value than a
    page's number, as the article list answers (a reader or a client that asks for page 7 of 3
    learns there is none, instead of reading page 1 again)."""
    try:
        return paginator.page(raw or 1)  # `?page=` empty: the first, as the article list reads it
    except PageNotAnInteger:
        raise PageMissing(f"page must be a whole number from 1, not {raw[:20]!r}") from None
    except EmptyPage:
        raise PageMissing(f"there is no page {raw}: pages go from 1 to {paginator.num_pages}") from None


API_PAGE_SIZE = 100


def _api_page(request, items):
    """One page of `items` (`?page=N`) and the count/next/previous that every API list carries;
    PageMissing for a page that does not exist."""
    paginator = Paginator(items, API_PAGE_SIZE)
    page = page_asked(paginator, request.GET.get("page"))

    def page_url(number):
        query = request.GET.copy()  # keeps the other parameters (`q`)
        query["page"] = number
        return request.build_absolute_uri(f"?{query.urlencode()}")

    return page, {
        "count": paginator.count,
        "next": page_url(page.next_page_number()) if page.has_next() else None,
        "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
    }


@require_GET
@cached_page
def api_entity_detail(request, pk):
    """The entity and its mentions, newest article first, 100 a page (`mentions`, with count/next/previous)."""
    entity = get_object_or_404(Entity, pk=pk)
    try:
        page, links = _api_page(request, entity_mentions(entity=entity, user=request.user))
    except PageMissing as missing:
        return json_error(404, str(missing), field="page")
    return JsonResponse({**api.entity_detail(entity, page, request), **links}, json_dumps_params=JSON_OPTIONS)


@require_POST
@permission_required("articles.change_translation", raise_exception=True)
def translation_retry(request, slug):
    article = get_object_or_404(Article, slug=slug)
    count = article_translation_requeue(article=article)
    messages.success(
        request,
        ngettext("%d segment queued for translation again.", "%d segments queued for translation again.", count)
        % count,
    )
    return redirect(article)


@require_GET
@cached_page
def api_article_list(request):
    try:
        page, links = _api_page(request, articles_for_listing(query=request.GET.get("q", "")))
    except PageMissing as missing:
        return json_error(404, str(missing), field="page")
    return JsonResponse(
        {**links, "results": [api.article_summary(article, request) for article in page]},
        json_dumps_params=JSON_OPTIONS,
    )


@require_http_methods(["GET", "HEAD", "PUT"])
@login_before_csrf("log in to change articles")
@cached_page
def api_article_detail(request, slug):
    """The article as JSON; admins replace it with PUT (If-Match with its ETag), as an edit in the admin would."""
    if request.method == "PUT":
        return _api_article_replace(request, slug)
    return _api_article_response(request, slug)


def _api_article_response(request, slug):
    try:
        article = article_for_reading(slug=slug, user=request.user)
    except Http404:
        return old_slug_redirect(request, slug)
    response = JsonResponse(api.article_detail(article, request), json_dumps_params=JSON_OPTIONS)
    response["ETag"] = article_etag(article)
    return response


def _api_article_replace(request, slug):
    if not request.user.has_perm("articles.change_article"):
        return json_error(403, "you may not change articles")
    with transaction.atomic():
        article = get_object_or_404(Article.objects.select_for_update(), slug=slug)
        if "If-Match" not in request.headers:
            return json_error(428, "send If-Match with the article's ETag")
        if request.headers["If-Match"] != article_etag(article):
            return json_error(412, "the article changed since you read it; read it again")
        try:
            # The body as file import reads a JSON file: the bounded parser, then the same checks.
            record = parse_json(request.body)
            article_import(record=record, source_id=article.source_id, by_editor=True)
        except ImportFailure as error:
            return json_error(400, str(error))
    return _api_article_response(request, slug)


@require_GET
@cached_page(variant=analyser_name)
def api_words(request):
    """`?w=`: the word's analyses, likeliest first (an empty list for a word the lexicon lacks)."""
    try:
        lookup = word_lookup(word=request.GET.get("w", ""))
    except WordRefused as refused:
        return json_error(400, str(refused), field="w")
    return JsonResponse(api.word_detail(lookup), json_dumps_params=JSON_OPTIONS)
