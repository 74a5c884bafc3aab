"""The app's configuration: after every migrate, the database objects the ORM does not describe;
the article text's history (django-reversion) told what to keep."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def database_objects_ensure(using, **kwargs):
    """The page-version and entity-count triggers and the search index, after every migrate.

    SQLite drops a table's triggers when a migration rebuilds the table (an
    altered field, a new constraint): ensuring them here means no migration
    added later can silently turn off cache invalidation or search.
    """
    from django.db import connections

    from .caching import page_version_triggers_ensure
    from .entity_counts import entity_count_triggers_ensure
    from .search import search_index_ensure

    connection = connections[using]
    if "articles_pageversion" not in connection.introspection.table_names():
        return
    page_version_triggers_ensure(connection=connection)
    entity_count_triggers_ensure(connection=connection)
    search_index_ensure(connection=connection)


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from .history import history_register

        post_migrate.connect(database_objects_ensure, sender=self, dispatch_uid="articles_database_objects")
        history_register()
