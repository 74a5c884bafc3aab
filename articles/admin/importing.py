"""Admin pages on the article list: "Add from URL" and "Upload files".

Both call the same services as the commands (`url_import`, `upload_import`)
and show the same per-item report: created, updated, unchanged or failed with
its reason. Addresses (at most FETCH_ADMIN_MAX_URLS per submission) are
fetched by the task worker, not inside the request: the form queues them and
redirects to a page that lists each one with its state and reloads itself
(a <meta> refresh: the CSP allows no inline script) until none is pending.
Uploaded files are imported in the request, each on its own: one bad file
is a line of the report and the others go on.
"""

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..importing import FORMATS
from ..importing.selectors import url_import_progress
from ..importing.services import upload_import
from ..importing.tasks import url_imports_queue
from ..models import Article, UrlImport
from .search import BoundedSearchMixin

# Seconds between reloads of the progress page while an address is pending.
PROGRESS_REFRESH_SECONDS = 2


class UrlImportForm(forms.Form):
    urls = forms.CharField(
        label=_("Addresses"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 90, "dir": "ltr", "placeholder": "https://"}),
        help_text=_("One web page per line. Each page's article is imported under its canonical address."),
    )
    publish = forms.BooleanField(
        label=_("Publish new articles at once"),
        required=False,
        help_text=_("Otherwise they are drafts, as from a feed or the command line, until a curator publishes them."),
    )
    overwrite_edits = forms.BooleanField(
        label=_("Let a changed page replace an article edited in the admin since its last import"),
        required=False,
    )

    def clean_urls(self):
        urls = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        for url in urls:
            try:
                validate(url)
            except ValidationError:
                raise ValidationError(_("Not an http or https address: %(url)s"), params={"url": url}) from None
        limit = settings.FETCH_ADMIN_MAX_URLS
        if len(urls) > limit:
            raise ValidationError(_("At most %(limit)d addresses at a time."), params={"limit": limit})
        return list(dict.fromkeys(urls))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item] or super().clean(
            None, initial
        )


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "News pages copied as text, plain text (title, then blank-line separated paragraphs) or the API's JSON."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[(name, name) for name in FORMATS], initial="auto", required=False
    )
    publish = forms.BooleanField(
        label=_("Publish new articles at once"),
        required=False,
        help_text=_("Otherwise they are drafts, as from a feed or the command line, until a curator publishes them."),
    )
    overwrite_edits = forms.BooleanField(
        label=_("Let a changed file replace an article edited in the admin since its last import"),
        required=False,
    )


def _counts(rows) -> dict[str, int]:
    return {action: sum(row["action"] == action for row in rows) for action in UrlImport.Status.values}


def _render(model_admin, request, *, title, form, results, multipart=False):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "form": form,
        "results": results,
        "multipart": multipart,
        "counts": _counts(results),
        "history_url": reverse("admin:articles_urlimport_changelist") if not multipart else "",
    }
    return TemplateResponse(request, "admin/articles/import_form.html", context)


def _row(label, result):
    return {"label": label, "action": result.action, "error": result.error, "article": result.article}


def url_import_view(model_admin, request):
    """Queue the pasted addresses for the task worker and go to their progress page."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method == "POST":
        form = UrlImportForm(request.POST)
        if form.is_valid():
            batch = url_imports_queue(
                urls=form.cleaned_data["urls"],
                draft=not form.cleaned_data["publish"],
                overwrite_edits=form.cleaned_data["overwrite_edits"],
                user=request.user,
            )
            return redirect("admin:articles_article_import_url_progress", batch=batch)
    else:
        form = UrlImportForm()
    return _render(model_admin, request, title=_("Add articles from the web"), form=form, results=[])


def url_import_progress_view(model_admin, request, batch: uuid.UUID):
    """Each address of one submission with its state: queued, fetching, or what came of it."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    progress = url_import_progress(batch=batch)
    if progress is None:
        raise Http404("no such submission")
    results = [
        {"label": row.url, "action": row.status, "error": row.error, "article": row.article} for row in progress.rows
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Add articles from the web"),
        "results": results,
        "counts": _counts(results),
        "pending": progress.pending,
        "refresh_seconds": PROGRESS_REFRESH_SECONDS,
        "form_url": reverse("admin:articles_article_import_url"),
        "history_url": reverse("admin:articles_urlimport_changelist"),
    }
    return TemplateResponse(request, "admin/articles/import_progress.html", context)


def upload_view(model_admin, request):
    """Import uploaded files, each on its own, with the importer's per-file report."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    results = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            status = Article.Status.PUBLISHED if form.cleaned_data["publish"] else Article.Status.DRAFT
            for upload in form.cleaned_data["files"]:
                result = upload_import(
                    name=Path(upload.name).name,
                    chunks=upload.chunks(),
                    size=upload.size,
                    status=status,
                    fmt=form.cleaned_data["format"] or "auto",
                    overwrite_edits=form.cleaned_data["overwrite_edits"],
                )
                results.append(_row(upload.name, result))
                if result.article is not None and result.action == "created":
                    model_admin.log_addition(request, result.article, [{"added": {}}])
    else:
        form = UploadForm()
    return _render(model_admin, request, title=_("Upload article files"), form=form, results=results, multipart=True)


@admin.register(UrlImport)
class UrlImportAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """Every address asked for with "Add from URL", with what came of it; read only."""

    list_display = ["address", "status", "article_link", "error", "requested_by", "requested_at", "progress_link"]
    list_filter = ["status", "requested_at"]
    search_fields = ["url", "error"]
    list_select_related = ["article", "requested_by"]
    date_hierarchy = "requested_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("address"), ordering="url")
    def address(self, obj):
        return format_html('<bdi dir="ltr">{}</bdi>', obj.url)

    @admin.display(description=_("article"))
    def article_link(self, obj):
        if obj.article_id is None:
            return self.get_empty_value_display()
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}" lang="ar" dir="rtl">{}</a>', url, obj.article.title)

    @admin.display(description=_("submission"))
    def progress_link(self, obj):
        url = reverse("admin:articles_article_import_url_progress", kwargs={"batch": obj.batch})
        return format_html('<a href="{}">{}</a>', url, _("all its addresses"))
