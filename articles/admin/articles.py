"""Admin for articles: paragraphs and related stories inline, publishing, the annotation workspace."""

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..annotations.selectors import annotation_workspace
from ..annotations.services import annotation_create, paragraph_removing
from ..entities.services import mention_confirm, mention_reject
from ..forms import AnnotateForm, ArticleAdminForm, ParagraphAdminForm, RelatedStoryAdminForm
from ..models import Article, Mention, Paragraph, RelatedStory
from ..search import article_ids_matching, search_terms
from ..translation.services import article_translation_requeue
from . import importing
from .progress import (
    RecognitionProgress,
    TranslationProgress,
    articles_with_progress,
    recognition_progress_text,
    translation_progress_text,
)
from .search import BoundedSearchMixin


class ParagraphInline(admin.StackedInline):
    """One block per paragraph, headed by its number, its Arabic full width and right to left."""

    model = Paragraph
    form = ParagraphAdminForm
    extra = 0
    fields = ["position", "text"]
    ordering = ["position"]
    classes = ["paragraphs-inline"]


class RelatedStoryInline(admin.StackedInline):
    model = RelatedStory
    form = RelatedStoryAdminForm
    extra = 0
    fields = [("position", "section"), "title", "caption"]
    ordering = ["position"]
    classes = ["collapse"]


class TranslationProgressFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return TranslationProgress.choices

    def queryset(self, request, queryset):
        if self.value() in TranslationProgress.values:
            return queryset.filter(translation_progress=self.value())
        return queryset


class RecognitionProgressFilter(admin.SimpleListFilter):
    title = _("named entities")
    parameter_name = "entities"

    def lookups(self, request, model_admin):
        return RecognitionProgress.choices

    def queryset(self, request, queryset):
        if self.value() in RecognitionProgress.values:
            return queryset.filter(recognition_progress=self.value())
        return queryset


@admin.register(Article)
class ArticleAdmin(BoundedSearchMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "section",
        "published",
        "status",
        "translation_state",
        "recognition_state",
        "annotate_link",
    ]
    list_filter = [
        "status",
        TranslationProgressFilter,
        RecognitionProgressFilter,
        "section",
        ("published", admin.DateFieldListFilter),
    ]
    search_fields = ["title", "source_id", "slug"]
    search_help_text = _("Searches titles and text; diacritics and alef/ya/ta marbuta spellings are ignored.")
    date_hierarchy = "published"
    readonly_fields = ["created", "modified"]
    fieldsets = [
        (None, {"fields": ["title", "status", "slug"]}),
        (_("Metadata"), {"fields": ["category", "section", "dateline", "author", "published", "lead_caption", "tags"]}),
        (_("Source"), {"fields": ["source_id", "source", "created", "modified"], "classes": ["collapse"]}),
    ]
    inlines = [ParagraphInline, RelatedStoryInline]
    actions = ["publish", "unpublish", "requeue_translation"]
    change_form_template = "admin/articles/article/change_form.html"

    # The article's pages are workspaces: they take the window's whole width
    # (Django's sidebar of models would leave the text and the list too little).
    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"is_nav_sidebar_enabled": False, **(extra_context or {})})

    def render_change_form(self, request, context, *args, **kwargs):
        context["is_nav_sidebar_enabled"] = False
        return super().render_change_form(request, context, *args, **kwargs)

    def get_urls(self):
        return [
            path(
                "<int:article_id>/annotate/",
                self.admin_site.admin_view(self.annotate_view),
                name="articles_article_annotate",
            ),
            path(
                "<int:article_id>/annotate/suggestions/",
                self.admin_site.admin_view(self.suggestions_view),
                name="articles_article_suggestions",
            ),
            path(
                "import-url/",
                self.admin_site.admin_view(partial(importing.url_import_view, self)),
                name="articles_article_import_url",
            ),
            path(
                "import-url/<uuid:batch>/",
                self.admin_site.admin_view(partial(importing.url_import_progress_view, self)),
                name="articles_article_import_url_progress",
            ),
            path(
                "upload/",
                self.admin_site.admin_view(partial(importing.upload_view, self)),
                name="articles_article_upload",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("annotations"))
    def annotate_link(self, obj):
        return format_html(
            '<a class="annotate-link" href="{}">{}</a>',
            reverse("admin:articles_article_annotate", args=[obj.pk]),
            _("Annotate"),
        )

    def annotate_view(self, request, article_id):
        """The annotation workspace: the article's text beside the form and the list.

        The page's script writes through the W3C Protocol endpoint; a POST here
        is the same form without the script.
        """
        article = get_object_or_404(Article, pk=article_id)
        if not request.user.has_perm("articles.view_annotation"):
            raise PermissionDenied
        here = reverse("admin:articles_article_annotate", args=[article.pk])
        can_annotate = request.user.has_perm("articles.add_annotation")
        form = AnnotateForm(article=article)
        if request.method == "POST":
            if not can_annotate:
                raise PermissionDenied
            form = AnnotateForm(request.POST, article=article)
            if form.is_valid():
                annotation = annotation_create(article=article, user=request.user, **form.annotation_fields())
                self.log_addition(request, annotation, [{"added": {}}])
                message = _("Saved the %(kind)s on «%(quote)s».") % {
                    "kind": annotation.get_kind_display().lower(),
                    "quote": annotation.exact or article.title,
                }
                self.message_user(request, message, messages.SUCCESS)
                place = f"#annotate-p{annotation.paragraph.position}" if annotation.paragraph_id else ""
                return redirect(here + place)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Annotate: %(title)s") % {"title": article.title},
            "subtitle": None,
            "original": article,
            "article": article,
            "workspace": annotation_workspace(article=article),
            "annotate_form": form,
            "can_annotate": can_annotate,
            "can_change": request.user.has_perm("articles.change_annotation"),
            "can_delete": request.user.has_perm("articles.delete_annotation"),
            "can_decide": request.user.has_perm("articles.change_mention"),
            "container_url": reverse("articles:api-annotations", kwargs={"slug": article.slug}),
            "article_url": request.build_absolute_uri(article.get_absolute_url()),
            "entity_url": request.build_absolute_uri(reverse("articles:entity", kwargs={"pk": 0})),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/annotate.html", context)

    def suggestions_view(self, request, article_id):
        """Accept or reject machine entity suggestions in bulk (POST)."""
        article = get_object_or_404(Article, pk=article_id)
        if request.method != "POST" or not request.user.has_perm("articles.change_mention"):
            raise PermissionDenied
        decide = {"confirm": mention_confirm, "reject": mention_reject}.get(request.POST.get("decision"))
        chosen = article.mentions.filter(pk__in=request.POST.getlist("mention"), status=Mention.Status.SUGGESTED)
        if decide is None or not chosen.exists():
            self.message_user(request, _("Choose suggestions, then accept or reject them."), messages.WARNING)
        else:
            count = 0
            with transaction.atomic():
                for mention in chosen.select_for_update(of=("self",)):
                    decide(mention=mention, user=request.user)
                    count += 1
            message = (
                ngettext("%d suggestion accepted.", "%d suggestions accepted.", count)
                if decide is mention_confirm
                else ngettext("%d suggestion rejected.", "%d suggestions rejected.", count)
            )
            self.message_user(request, message % count, messages.SUCCESS)
        return redirect(reverse("admin:articles_article_annotate", args=[article.pk]) + "#suggestions")

    def save_formset(self, request, form, formset, change):
        if formset.model is not Paragraph:
            return super().save_formset(request, form, formset, change)
        # Deleted paragraphs orphan their annotations (edited ones are
        # re-anchored with the rest of the article in save_related).
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                paragraph_removing(paragraph=deleted.instance)
        super().save_formset(request, form, formset, change)

    def get_queryset(self, request):
        return articles_with_progress(queryset=super().get_queryset(request))

    @admin.display(description=_("translation"), ordering="translation_progress")
    def translation_state(self, obj):
        url = reverse("admin:articles_translation_changelist") + f"?article__id__exact={obj.pk}"
        return format_html(
            '<a class="progress progress-{}" href="{}">{}</a>',
            obj.translation_progress,
            url,
            translation_progress_text(article=obj),
        )

    @admin.display(description=_("named entities"), ordering="recognition_progress")
    def recognition_state(self, obj):
        url = reverse("admin:articles_mention_changelist") + f"?article__id__exact={obj.pk}"
        return format_html(
            '<a class="progress progress-{}" href="{}">{}</a>',
            obj.recognition_progress,
            url,
            recognition_progress_text(article=obj),
        )

    def get_search_results(self, request, queryset, search_term):
        """Articles matching every word of the query (the site's search, drafts included), or by id or slug."""
        terms = search_terms(search_term)
        if not terms.text:
            return queryset, False
        by_id = Q(source_id__icontains=terms.text) | Q(slug__icontains=terms.text)
        if not terms:
            return queryset.filter(by_id), False
        return queryset.filter(Q(pk__in=article_ids_matching(terms)) | by_id), False

    def save_model(self, request, obj, form, change):
        # What the article's texts were before this save, for the one rule
        # every path follows when text changes. Kept on the object, not on
        # this admin, which all requests share.
        obj.texts_before_save = services.article_texts(obj if change else None)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.article_text_changed(article=form.instance, before=form.instance.texts_before_save, by_editor=True)

    @admin.action(description=_("Publish selected articles"), permissions=["change"])
    def publish(self, request, queryset):
        count = services.articles_set_status(articles=queryset, status=Article.Status.PUBLISHED)
        self.message_user(
            request, ngettext("%d article published.", "%d articles published.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("Unpublish selected articles"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = services.articles_set_status(articles=queryset, status=Article.Status.DRAFT)
        self.message_user(
            request, ngettext("%d article unpublished.", "%d articles unpublished.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("Re-queue translation of selected articles"), permissions=["change"])
    def requeue_translation(self, request, queryset):
        total = sum(article_translation_requeue(article=article) for article in queryset)
        self.message_user(
            request,
            _("Translation queued for %(articles)d article(s); %(segments)d failed segment(s) will be retried.")
            % {"articles": queryset.count(), "segments": total},
            messages.SUCCESS,
        )
