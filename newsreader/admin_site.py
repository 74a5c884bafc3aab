"""The admin site: the one site name, in both languages, and search results
that say more than an object's name.

The public pages and the admin carry the same name (`SITE_NAME`), and the
autocomplete that links a mention to an entity (select2 in the admin's forms,
the Annotate page's search) asks the model's admin for what else to show
beside each result: an entity's type and how many articles mention it.
"""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.utils.translation import gettext_lazy as _

SITE_NAME = _("Arabic News Reader")


class DescribedAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete answer, with the fields a model admin's `autocomplete_result` adds."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        describe = getattr(self.model_admin, "autocomplete_result", None)
        return result | describe(obj) if describe else result


class NewsAdminSite(admin.AdminSite):
    site_header = SITE_NAME
    site_title = SITE_NAME
    index_title = _("Site administration")

    def autocomplete_view(self, request):
        return DescribedAutocompleteJsonView.as_view(admin_site=self)(request)
