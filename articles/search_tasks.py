"""Re-indexing articles in the background, when one change touches many of them.

An article's search document holds the English names of the entities it
mentions (`search.article_entity_names`). Renaming an entity, changing its
English aliases, deleting it or reseeding the gazetteer changes the documents
of every article that mentions it: hundreds for a country. That work runs in
the task worker, never in the editor's request; one mention decided changes
one article and is queued the same way, so every path reads alike.
"""

from django.db import transaction
from django_tasks import task

from .models import Article, Mention
from .search import article_search_refresh

# After recognition (10) and before translation (0): it is local and quick.
SEARCH_REFRESH_PRIORITY = 5
BATCH = 200


@task(priority=SEARCH_REFRESH_PRIORITY)
def refresh_search_documents(article_ids: list[int]) -> dict:
    refreshed = 0
    for article in Article.objects.filter(pk__in=article_ids).order_by("pk"):
        article_search_refresh(article=article)
        refreshed += 1
    return {"refreshed": refreshed}


def search_refresh_queue(*, article_ids) -> None:
    """Re-index these articles in the background, after the current transaction commits
    (in batches of BATCH articles, so that one task never holds the worker long)."""
    ids = sorted(set(article_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        transaction.on_commit(lambda batch=batch: refresh_search_documents.enqueue(batch))


def entities_renamed_queue(*, entity_ids) -> None:
    """Re-index the articles that mention these entities (their English names or aliases changed,
    or they are about to be deleted: read the articles before the delete)."""
    if not entity_ids:
        return
    search_refresh_queue(
        article_ids=Mention.objects.filter(entity_id__in=list(entity_ids)).values_list("article_id", flat=True)
    )
