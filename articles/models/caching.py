"""The version of everything the public pages show (see `articles.caching`).

One row. Database triggers (migration 0008) add one to `value` in the same
transaction as any insert, update or delete of articles, paragraphs, related
stories, translations, entities, mentions and annotations, whoever writes
them (services, the admin, bulk updates, raw SQL). Cached pages carry the
value in their key, so a committed change is seen by every process at once.
"""

from django.db import models


class PageVersion(models.Model):
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "page version"

    def __str__(self):
        return str(self.value)
