"""The reader's addresses: pages, the JSON API and the W3C Annotation Protocol."""

from django.urls import path

from . import views
from .annotations import views as annotation_views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("articles/<slug:slug>/translation/retry/", views.translation_retry, name="translation-retry"),
    path("entities/<int:pk>/", views.EntityDetailView.as_view(), name="entity"),
    path("api/entities/<int:pk>/", views.api_entity_detail, name="api-entity"),
    path("api/articles/", views.api_article_list, name="api-list"),
    path("api/articles/<slug:slug>/", views.api_article_detail, name="api-detail"),
    path("api/articles/<slug:slug>/annotations/", annotation_views.ContainerView.as_view(), name="api-annotations"),
    path("api/annotations/", annotation_views.CollectionView.as_view(), name="api-annotation-list"),
    path("api/annotations/<uuid:uuid>/", annotation_views.AnnotationView.as_view(), name="api-annotation"),
    path("api/words/", views.api_words, name="api-words"),
    path("api/agents/<int:pk>/", annotation_views.agent_detail, name="api-agent"),
    path("ns/newsreader.jsonld", annotation_views.jsonld_context, name="jsonld-context"),
]
