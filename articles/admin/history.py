"""An article's text history in the admin: the versions on its History page, the warning
after a save that orphaned annotations, and bringing an earlier text back (undo).

The versions are django-reversion's (articles.history); bringing one back is the service
`articles.services.article_version_restore`, an edit like any other, so that annotations
find their words again by the rule every edit follows.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import history
from ..models import Article
from ..services import HistoryError, article_version_restore

CHANGE_NAMES = {
    history.Change.BEFORE: gettext_lazy("as the next change found it"),
    history.Change.IMPORTED: gettext_lazy("imported"),
    history.Change.EDITED: gettext_lazy("edited"),
    history.Change.RESTORED: gettext_lazy("an earlier text brought back"),
}


def versions_context(*, article: Article, user) -> dict:
    """What the article's History page adds to Django's list of admin actions."""
    versions = history.article_versions(article=article)
    return {
        "text_versions": [
            {"version": version, "change_name": CHANGE_NAMES.get(version.change, version.change)}
            for version in versions
        ],
        "can_restore": user.has_perm("articles.change_article"),
    }


def orphans_warning(model_admin, request, *, article: Article, orphaned: list) -> None:
    """Right after a save that left annotations without their words: how many, where to see
    them, and how to undo the edit."""
    count = len(orphaned)
    target = history.article_undo_target(article=article)
    text = ngettext(
        "This edit orphaned %(count)d annotation: its words are no longer in the text.",
        "This edit orphaned %(count)d annotations: their words are no longer in the text.",
        count,
    ) % {"count": count}
    see = reverse("admin:articles_article_annotate", args=[article.pk]) + "#orphans"
    undo = reverse("admin:articles_article_restore", args=[article.pk, target]) if target else ""
    message = format_html(
        '{} <a href="{}" class="orphans-link">{}</a>{}',
        text,
        see,
        _("See them on the Annotate page"),
        format_html(' · <a href="{}" class="undo-link">{}</a>', undo, _("Undo this edit")) if undo else "",
    )
    model_admin.message_user(request, message, messages.WARNING)


def restore_view(model_admin, request, article_id, revision_id):
    """GET: what bringing this text back changes; POST: bring it back."""
    article = get_object_or_404(Article, pk=article_id)
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    if not history.article_has_revision(article=article, revision_id=revision_id):
        raise PermissionDenied
    if request.method == "POST":
        try:
            summary = article_version_restore(article=article, revision_id=revision_id, user=request.user)
        except HistoryError as error:
            model_admin.message_user(request, str(error), messages.ERROR)
            return redirect("admin:articles_article_history", article.pk)
        model_admin.log_change(request, article, _("Brought back the text of an earlier version."))
        parts = [_("The earlier text is back.")]
        if summary.found_again:
            count = len(summary.found_again)
            parts.append(
                ngettext(
                    "%(count)d orphaned annotation found its words again.",
                    "%(count)d orphaned annotations found their words again.",
                    count,
                )
                % {"count": count}
            )
        if summary.decisions_back:
            parts.append(
                ngettext(
                    "%(count)d entity decision is back on its words.",
                    "%(count)d entity decisions are back on their words.",
                    summary.decisions_back,
                )
                % {"count": summary.decisions_back}
            )
        level = messages.SUCCESS
        if summary.orphaned:
            level = messages.WARNING
            parts.append(
                ngettext(
                    "%(count)d annotation lost its words.",
                    "%(count)d annotations lost their words.",
                    len(summary.orphaned),
                )
                % {"count": len(summary.orphaned)}
            )
        annotate = reverse("admin:articles_article_annotate", args=[article.pk])
        model_admin.message_user(
            request, format_html('{} <a href="{}">{}</a>', " ".join(parts), annotate, _("Annotate")), level
        )
        return redirect("admin:articles_article_change", article.pk)
    state = history.revision_states([revision_id])[revision_id]
    current = {p.pk: p for p in article.paragraphs.order_by("position")}
    changes = []
    for pk, values in sorted(state.paragraphs.items(), key=lambda item: item[1]["position"]):
        now = current.get(pk)
        if now is None or now.text != values["text"]:
            changes.append({"position": values["position"], "now": now.text if now else "", "then": values["text"]})
    removed = [p for pk, p in current.items() if pk not in state.paragraphs]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Bring back an earlier text"),
        "article": article,
        "original": article,
        "revision": state.revision,
        "title_then": state.article.get("title", ""),
        "changes": changes,
        "removed": removed,
        "orphan_count": article.annotations.filter(anchor="orphaned").count(),
    }
    return TemplateResponse(request, "admin/articles/article/restore.html", context)


def history_urls(model_admin) -> list:
    return [
        path(
            "<int:article_id>/history/<int:revision_id>/restore/",
            model_admin.admin_site.admin_view(partial(restore_view, model_admin)),
            name="articles_article_restore",
        ),
    ]
