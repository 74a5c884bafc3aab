from django.core.management.base import BaseCommand, CommandError

from articles.importing import ImportFailure
from articles.importing.feeds import feed_add


class Command(BaseCommand):
    help = "Follow an RSS or Atom feed; fetch_feeds imports its entries. Re-running updates --publish."

    def add_arguments(self, parser):
        parser.add_argument("url", metavar="URL")
        parser.add_argument(
            "--publish", action="store_true", help="publish this feed's new articles at once (default: drafts)"
        )

    def handle(self, *, url, publish, **options):
        try:
            feed, created = feed_add(url=url, publish=publish)
        except ImportFailure as error:
            raise CommandError(str(error)) from None
        mode = "published at once" if feed.publish else "kept as drafts"
        verb = "added" if created else "already followed, updated"
        self.stdout.write(self.style.SUCCESS(f"{verb}: feed {feed.pk} {feed.url} (new articles {mode})"))
