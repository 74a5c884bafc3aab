"""The Annotate page of an article, and the small JSON endpoints its script calls.

The page shows the article's text beside the annotation form; annotations are written
through the W3C Protocol endpoints (articles.annotations.views). Entity suggestions are
decided in the text: each mention opens a popover whose choices (accept, reject, change
the type, link to an entity found by name or made on the spot, accept every suggestion
of the same name) are POSTed to `mention_view`, which calls the entity services. The
page also says while the article's recognition or translation is queued or running
(`progress_view`, read by static/js/work_progress.js).
"""

from functools import partial

from django.contrib import messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from ..annotations.presentation import mention_state, workspace_page
from ..annotations.selectors import annotation_workspace
from ..annotations.services import annotation_create
from ..entities.recognition import article_read_as_encyclopedia, reads_kinds_apart
from ..entities.selectors import suggestions_of_name
from ..entities.services import (
    MentionError,
    article_reading_choose,
    entity_create_for_mention,
    mention_confirm,
    mention_link,
    mention_reject,
    mention_retype,
    mentions_accept_name,
)
from ..forms import AnnotateForm
from ..history import article_undo_target
from ..http_errors import json_error
from ..models import Article, Entity, EntityType, Mention
from ..task_progress import article_pending_work
from ..untrusted_json import UntrustedJSONError, json_parse
from .entity_search import TYPE_PARAMETER


def entity_autocomplete_url() -> str:
    """Django's admin autocomplete, asked as the mention form's entity field asks it."""
    return reverse("admin:autocomplete") + "?app_label=articles&model_name=mention&field_name=entity"


def annotate_view(model_admin, request, article_id):
    """The annotation workspace: the article's text beside the form and the lists.

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
            model_admin.log_addition(request, annotation, [{"added": {}}])
            message = _("Saved the %(kind)s on «%(quote)s».") % {
                "kind": annotation.get_kind_display().lower(),
                "quote": annotation.exact or article.title,
            }
            model_admin.message_user(request, message, messages.SUCCESS)
            place = f"#annotate-p{annotation.paragraph.position}" if annotation.paragraph_id else ""
            return redirect(here + place)
    # The entity field searches as the admin's own forms do, instead of listing every entity.
    entity = form.fields["entity"]
    entity.widget = AutocompleteSelect(Mention._meta.get_field("entity"), model_admin.admin_site)
    entity.widget.choices = entity.choices
    can_change_article = request.user.has_perm("articles.change_article")
    undo_target = article_undo_target(article=article) if can_change_article else None
    read_as, chosen = article_read_as_encyclopedia(article=article), article.encyclopedia_by_editor
    context = {
        **model_admin.admin_site.each_context(request),
        # The text needs the window's width: no sidebar of models here.
        "is_nav_sidebar_enabled": False,
        "opts": model_admin.opts,
        "title": _("Annotate: %(title)s") % {"title": article.title},
        "subtitle": None,
        "original": article,
        "article": article,
        "workspace": workspace_page(annotation_workspace(article=article)),
        "annotate_form": form,
        "can_annotate": can_annotate,
        "can_change": request.user.has_perm("articles.change_annotation"),
        "can_delete": request.user.has_perm("articles.delete_annotation"),
        "can_decide": request.user.has_perm("articles.change_mention"),
        "can_create_entity": request.user.has_perm("articles.add_entity"),
        "undo_url": (reverse("admin:articles_article_restore", args=[article.pk, undo_target]) if undo_target else ""),
        "pending_work": article_pending_work(article_id=article.pk),
        # How the suggestions shown were read, and how the next recognition will read them.
        "read_as_encyclopedia": read_as,
        "read_next_as_encyclopedia": read_as if chosen is None else chosen,
        "reading_url": reverse("admin:articles_article_reading", args=[article.pk]),
        "can_choose_reading": reads_kinds_apart(),
        "progress_url": reverse("admin:articles_article_progress", args=[article.pk]),
        "entity_types": EntityType.choices,
        "entity_search_url": entity_autocomplete_url(),
        "entity_type_parameter": TYPE_PARAMETER,
        "mention_url": reverse("admin:articles_article_mention", args=[article.pk, 0]),
        "container_url": reverse("articles:api-annotations", kwargs={"slug": article.slug}),
        "article_url": request.build_absolute_uri(article.get_absolute_url()),
        "entity_url": request.build_absolute_uri(reverse("articles:entity", kwargs={"pk": 0})),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/articles/article/annotate.html", context)


# How an editor may ask the article's names to be read: the choices of the workspace's buttons.
READINGS = {"encyclopedia": True, "news": False, "machine": None}


def reading_view(model_admin, request, article_id):
    """An editor's choice of how the article's names are read (POST): as an encyclopedia names
    them, as news does, or as the machine judges the text; a new recognition applies it."""
    article = get_object_or_404(Article, pk=article_id)
    if request.method != "POST" or not request.user.has_perm("articles.change_mention"):
        raise PermissionDenied
    reading = request.POST.get("reading")
    if not reads_kinds_apart():
        message = _("The model in use reads every article as news: there is no other reading to choose.")
        model_admin.message_user(request, message, messages.WARNING)
    elif reading not in READINGS:
        model_admin.message_user(request, _("Choose how names here are read."), messages.WARNING)
    else:
        article_reading_choose(article=article, encyclopedic=READINGS[reading])
        with override(None):  # as the admin logs field names: untranslated, translated when shown
            field = str(Article._meta.get_field("encyclopedia_by_editor").verbose_name)
        model_admin.log_change(request, article, [{"changed": {"fields": [field]}}])
        message = {
            "encyclopedia": _("Names here will be read as an encyclopedia names them: the suggestions follow shortly."),
            "news": _("Names here will be read as news names them: the suggestions follow shortly."),
            "machine": _("How names here are read is left to the machine again: the suggestions follow shortly."),
        }[reading]
        model_admin.message_user(request, message, messages.SUCCESS)
    return redirect(reverse("admin:articles_article_annotate", args=[article.pk]) + "#annotate-reading")


def suggestions_view(model_admin, request, article_id):
    """Accept or reject machine entity suggestions in bulk (POST), from the list."""
    article = get_object_or_404(Article, pk=article_id)
    if request.method != "POST" or not request.user.has_perm("articles.change_mention"):
        raise PermissionDenied
    decide = {"confirm": mention_confirm, "reject": mention_reject}.get(request.POST.get("decision"))
    chosen = article.mentions.filter(pk__in=request.POST.getlist("mention"), status=Mention.Status.SUGGESTED)
    if decide is None or not chosen.exists():
        model_admin.message_user(request, _("Choose suggestions, then accept or reject them."), messages.WARNING)
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
        model_admin.message_user(request, message % count, messages.SUCCESS)
    return redirect(reverse("admin:articles_article_annotate", args=[article.pk]) + "#suggestions")


# --- Deciding a mention in the text ----------------------------------------------


def _mention_json(mention: Mention) -> dict:
    entity = mention.entity
    return {
        "id": mention.pk,
        "text": mention.text,
        "status": mention.status,
        "state": mention_state(mention),
        "label": mention.label,
        "label_name": str(EntityType(mention.label).label),
        "source": str(mention.get_source_display()),
        "entity": (
            {
                "id": entity.pk,
                "name_ar": entity.name_ar,
                "name_en": entity.name_en,
                "wikidata_id": entity.wikidata_id,
                "url": entity.get_absolute_url(),
                "admin_url": reverse("admin:articles_entity_change", args=[entity.pk]),
            }
            if entity is not None
            else None
        ),
    }


def _mention_info(mention: Mention) -> dict:
    in_article, in_archive = suggestions_of_name(mention=mention)
    name = {"name": mention.text}
    return {
        "mention": _mention_json(mention),
        "name": {
            "article": in_article,
            "archive": in_archive,
            "article_label": ngettext(
                "Accept all %(count)d «%(name)s» in this article",
                "Accept all %(count)d «%(name)s» in this article",
                in_article,
            )
            % {"count": in_article, **name},
            "archive_label": ngettext(
                "Accept all %(count)d «%(name)s» in the archive",
                "Accept all %(count)d «%(name)s» in the archive",
                in_archive,
            )
            % {"count": in_archive, **name},
        },
    }


def _decide(request, mention: Mention, data: dict) -> tuple[list[Mention], str]:
    """Carry out one decision; the mentions it changed and what to tell the editor."""
    action = data.get("action")
    user = request.user
    quoted = {"name": mention.text}
    if action == "confirm":
        return [mention_confirm(mention=mention, user=user)], _("Accepted «%(name)s».") % quoted
    if action == "reject":
        return [mention_reject(mention=mention, user=user)], _("Rejected «%(name)s».") % quoted
    if action == "retype":
        mention = mention_retype(mention=mention, label=str(data.get("label", "")), user=user)
        return [mention], _("The type of «%(name)s» is now %(type)s.") % {**quoted, "type": mention.get_label_display()}
    if action == "link":
        entity = None
        if data.get("entity"):
            entity = Entity.objects.filter(pk=_integer(data["entity"])).first()
            if entity is None:
                raise MentionError("no such entity")
        mention = mention_link(mention=mention, entity=entity, user=user)
        if entity is None:
            return [mention], _("«%(name)s» is no longer linked to an entity.") % quoted
        return [mention], _("Linked «%(name)s» to %(entity)s.") % {**quoted, "entity": entity}
    if action == "create_entity":
        if not user.has_perm("articles.add_entity"):
            raise PermissionDenied
        entity = entity_create_for_mention(
            mention=mention,
            user=user,
            name_ar=str(data.get("name_ar", "")),
            name_en=str(data.get("name_en", "")),
            wikidata_id=str(data.get("wikidata_id", "")),
        )
        mention.refresh_from_db()
        return [mention], _("Created %(entity)s and linked «%(name)s» to it.") % {**quoted, "entity": entity}
    if action == "accept_name":
        archive = data.get("scope") == "archive"
        decided = mentions_accept_name(mention=mention, user=user, archive=archive)
        count = len(decided)
        if archive:
            message = ngettext(
                "Accepted %(count)d «%(name)s» in the archive.", "Accepted %(count)d «%(name)s» in the archive.", count
            )
        else:
            message = ngettext(
                "Accepted %(count)d «%(name)s» in this article.",
                "Accepted %(count)d «%(name)s» in this article.",
                count,
            )
        return decided, message % {"count": count, **quoted}
    raise MentionError(f"unknown decision {action!r}")


def _integer(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise MentionError(f"not an id: {value!r}") from None


def mention_view(model_admin, request, article_id, mention_id):
    """GET: what the popover shows about a mention (how many of its name wait, in the article
    and the archive). POST (JSON): an editor's decision on it; answers with the mentions of
    this article it changed, and the message to show."""
    if not request.user.has_perm("articles.view_mention"):
        raise PermissionDenied
    mention = get_object_or_404(Mention.objects.select_related("entity"), pk=mention_id, article_id=article_id)
    if request.method == "GET":
        return JsonResponse(_mention_info(mention))
    if request.method != "POST":
        return json_error(405, "GET or POST")
    if not request.user.has_perm("articles.change_mention"):
        return json_error(403, _("You may not decide entity mentions."))
    try:
        data = json_parse(request.body, max_bytes=10_000)
    except UntrustedJSONError as error:
        return json_error(400, str(error))
    if not isinstance(data, dict):
        return json_error(400, "send a JSON object")
    try:
        with transaction.atomic():
            decided, message = _decide(request, mention, data)
    except MentionError as error:
        return json_error(400, str(error))
    except PermissionDenied:
        return json_error(403, _("You may not create entities."))
    here = [m for m in decided if m.article_id == mention.article_id]
    # The entities the decisions linked, read at once (a name accepted all over an article links many).
    field = Mention._meta.get_field("entity")
    stale = {
        m.entity_id
        for m in here
        if m.entity_id is not None and getattr(field.get_cached_value(m, default=None), "pk", None) != m.entity_id
    }
    entities = Entity.objects.in_bulk(stale) if stale else {}
    for m in here:
        if m.entity_id in stale:
            m.entity = entities[m.entity_id]
    left = Mention.objects.shown().filter(article_id=mention.article_id, status=Mention.Status.SUGGESTED).count()
    return JsonResponse(
        {
            "message": message,
            "decided": len(decided),
            "mentions": [_mention_json(m) for m in here],
            # The heading of the list beside the text, worded for the count (Arabic has six forms).
            "suggestions_left": left,
            "suggestions_title": ngettext(
                "%(counter)s entity suggestion to decide", "%(counter)s entity suggestions to decide", left
            )
            % {"counter": left},
        }
        | _mention_info(Mention.objects.select_related("entity").get(pk=mention.pk))
    )


def progress_view(model_admin, request, article_id):
    """The article's background work still waiting or running, as JSON, for the pages that wait for it."""
    article = get_object_or_404(Article, pk=article_id)
    if not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    pending = article_pending_work(article_id=article.pk)
    return JsonResponse(
        {
            "pending": [{"work": item.work, "running": item.running, "text": item.text} for item in pending],
            "done_text": _("Recognition and translation are done: reload to see what they found."),
        }
    )


def annotate_urls(model_admin) -> list:
    wrap = model_admin.admin_site.admin_view
    return [
        path("<int:article_id>/annotate/", wrap(partial(annotate_view, model_admin)), name="articles_article_annotate"),
        path(
            "<int:article_id>/annotate/reading/",
            wrap(partial(reading_view, model_admin)),
            name="articles_article_reading",
        ),
        path(
            "<int:article_id>/annotate/suggestions/",
            wrap(partial(suggestions_view, model_admin)),
            name="articles_article_suggestions",
        ),
        path(
            "<int:article_id>/annotate/mentions/<int:mention_id>/",
            wrap(partial(mention_view, model_admin)),
            name="articles_article_mention",
        ),
        path("<int:article_id>/progress/", wrap(partial(progress_view, model_admin)), name="articles_article_progress"),
    ]
