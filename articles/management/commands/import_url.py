from django.core.management.base import BaseCommand, CommandError

from articles.importing.web import url_import
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Import articles from their web pages: each page is fetched (limits, private addresses refused), "
        "its article extracted and imported under its canonical URL; importing it again updates the same "
        "article, and an unchanged page writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="+", metavar="URL")
        parser.add_argument(
            "--publish", action="store_true", help="publish new articles at once (default: they are drafts)"
        )
        parser.add_argument(
            "--overwrite-edits",
            action="store_true",
            help="let a changed page replace an article edited in the admin since its last import",
        )

    def handle(self, *, urls, publish, overwrite_edits, verbosity, **options):
        status = Article.Status.PUBLISHED if publish else Article.Status.DRAFT
        failed = 0
        for url in urls:
            result = url_import(url=url, status=status, overwrite_edits=overwrite_edits)
            if result.failed:
                failed += 1
                self.stderr.write(self.style.ERROR(f"FAILED {url}: {result.error}"))
            elif verbosity >= 1:
                self.stdout.write(f"{result.action:9} {url} → {result.article.slug} ({result.article.source})")
        if failed:
            raise CommandError(f"{failed} of {len(urls)} URL(s) failed")
        self.stdout.write(self.style.SUCCESS(f"{len(urls)} URL(s) imported"))
