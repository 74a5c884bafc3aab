from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import get_language_info, ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView

from . import api
from .annotations import w3c
from .caching import cached_page
from .entities import camel
from .entities.presentation import transliterate
from .models import Annotation, Article, Entity, EntityType
from .search import search_terms
from .selectors import article_for_reading, articles_for_listing, entity_articles, entity_mentions, entity_page
from .translation.providers import NO_PROVIDER
from .translation.services import article_translation_requeue


def language_name(code: str) -> str:
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code


JSON_OPTIONS = {"ensure_ascii": False, "indent": 2}


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
        return super().get_context_data(query=terms.text, search=terms, **kwargs)


@method_decorator(cached_page, name="dispatch")
class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        return article_for_reading(slug=self.kwargs["slug"], user=self.request.user)

    def get_context_data(self, **kwargs):
        target = settings.TRANSLATION_TARGET
        return super().get_context_data(
            entity_types=EntityType.choices,
            target_lang=target,
            target_lang_name=language_name(target),
            machine_translation_off=settings.TRANSLATION_PROVIDER == NO_PROVIDER,
            ner_model_installed=camel.model_path() is not None,
            **kwargs,
        )


@method_decorator(cached_page, name="dispatch")
class EntityDetailView(DetailView):
    """The entity and the articles that mention it, newest first, a page at a time."""

    model = Entity
    template_name = "articles/entity_detail.html"
    context_object_name = "entity"

    def get_context_data(self, **kwargs):
        paginator = Paginator(entity_articles(entity=self.object), settings.ARTICLES_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            articles=entity_page(entity=self.object, articles=list(page)),
            article_total=paginator.count,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            transliteration=transliterate(self.object.name_ar),
            **kwargs,
        )


@require_GET
@cached_page
def api_entity_detail(request, pk):
    entity = get_object_or_404(Entity, pk=pk)
    return JsonResponse(
        api.entity_detail(entity, entity_mentions(entity=entity), request), json_dumps_params=JSON_OPTIONS
    )


@require_GET
def api_article_annotations(request, slug):
    """The article's annotations a W3C Web Annotation collection; editors also get editors-only ones."""
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    annotations = Annotation.objects.filter(article=article).visible_to(request.user)
    data = w3c.collection(
        w3c.exportable(annotations),
        collection_id=request.build_absolute_uri(),
        label=f"Annotations on «{article.title}»",
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return JsonResponse(data, json_dumps_params=JSON_OPTIONS, content_type="application/ld+json")


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
    paginator = Paginator(articles_for_listing(query=request.GET.get("q", "")), 100)
    page = paginator.get_page(request.GET.get("page"))

    def page_url(number):
        return request.build_absolute_uri(f"?page={number}")

    return JsonResponse(
        {
            "count": paginator.count,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "results": [api.article_summary(article, request) for article in page],
        },
        json_dumps_params=JSON_OPTIONS,
    )


@require_GET
@cached_page
def api_article_detail(request, slug):
    article = article_for_reading(slug=slug, user=request.user)
    return JsonResponse(api.article_detail(article, request), json_dumps_params=JSON_OPTIONS)
