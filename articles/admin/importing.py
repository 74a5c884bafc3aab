"""Admin pages on the article list: "Add from URL" and "Upload files".

Both call the same services as the commands (`url_import`, `upload_import`)
and show the same per-item report: created, updated, unchanged or failed with
its reason. A URL is fetched inside the request, bounded by FETCH_TIMEOUT and
by FETCH_ADMIN_MAX_URLS addresses per submission.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from ..importing import FORMATS
from ..importing.services import upload_import
from ..importing.web import url_import
from ..models import Article


class UrlImportForm(forms.Form):
    urls = forms.CharField(
        label=_("Addresses"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 90, "dir": "ltr", "placeholder": "https://"}),
        help_text=_("One web page per line. Each page's article is imported under its canonical address."),
    )
    draft = forms.BooleanField(label=_("Import new articles as drafts"), required=False)
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
    draft = forms.BooleanField(label=_("Import new articles as drafts"), required=False)
    overwrite_edits = forms.BooleanField(
        label=_("Let a changed file replace an article edited in the admin since its last import"),
        required=False,
    )


def _render(model_admin, request, *, title, form, results, multipart=False):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "form": form,
        "results": results,
        "multipart": multipart,
        "counts": {
            action: sum(row["action"] == action for row in results)
            for action in ("created", "updated", "unchanged", "failed")
        },
    }
    return TemplateResponse(request, "admin/articles/import_form.html", context)


def _row(label, result):
    return {"label": label, "action": result.action, "error": result.error, "article": result.article}


def url_import_view(model_admin, request):
    """Fetch and import the pages whose addresses were pasted; one report line per address."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    results = []
    if request.method == "POST":
        form = UrlImportForm(request.POST)
        if form.is_valid():
            status = Article.Status.DRAFT if form.cleaned_data["draft"] else Article.Status.PUBLISHED
            for url in form.cleaned_data["urls"]:
                result = url_import(url=url, status=status, overwrite_edits=form.cleaned_data["overwrite_edits"])
                results.append(_row(url, result))
                if result.article is not None and result.action == "created":
                    model_admin.log_addition(request, result.article, [{"added": {}}])
    else:
        form = UrlImportForm()
    return _render(model_admin, request, title=_("Add articles from the web"), form=form, results=results)


def upload_view(model_admin, request):
    """Import uploaded files, each on its own, with the importer's per-file report."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    results = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            status = Article.Status.DRAFT if form.cleaned_data["draft"] else Article.Status.PUBLISHED
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
