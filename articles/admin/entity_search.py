"""The entity admin's search, shared by its list and by every autocomplete that links to an
entity (select2 in the mention and annotation forms, the Annotate page's own search): names
in Arabic or English and their aliases, a type filter, and results that say what they are."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..entities.search import entities_matching
from ..search import query_clean

# The autocomplete request's extra parameter: only entities of this type (PERS, LOC, ORG, MISC).
TYPE_PARAMETER = "entity_type"


class EntitySearchMixin:
    def get_search_results(self, request, queryset, search_term):
        term = query_clean(search_term)
        if not term:
            return queryset, False
        entity_type = request.GET.get(TYPE_PARAMETER, "") if request is not None else ""
        return entities_matching(queryset=queryset, query=term, entity_type=entity_type), False

    def autocomplete_result(self, entity) -> dict:
        """What a search result says beside its name: its type, how many articles mention it."""
        articles = ngettext("%(count)d article", "%(count)d articles", entity.article_count) % {
            "count": entity.article_count
        }
        names = " · ".join(name for name in (entity.name_ar, entity.name_en) if name)
        return {
            "text": f"{names} — {entity.get_type_display()} · {articles}",
            "name_ar": entity.name_ar,
            "name_en": entity.name_en,
            "type": entity.type,
            "type_label": str(entity.get_type_display()),
            "articles": entity.article_count,
            "wikidata_id": entity.wikidata_id,
            "url": reverse("admin:articles_entity_change", args=[entity.pk]),
        }

    def get_list_display(self, request):
        return ["wikidata_link" if name == "wikidata_id" else name for name in super().get_list_display(request)]

    @admin.display(description=_("Wikidata id"), ordering="wikidata_id")
    def wikidata_link(self, entity):
        if not entity.wikidata_id:
            return "—"
        return format_html(
            '<a href="https://www.wikidata.org/wiki/{}" rel="external noopener" dir="ltr">{}</a>',
            entity.wikidata_id,
            entity.wikidata_id,
        )
