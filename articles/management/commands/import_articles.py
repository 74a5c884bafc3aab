import logging
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from articles.importing import FORMATS, paths_import
from articles.importing.services import paths_expand
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Import articles from files or folders: news pages copied as text, plain text "
        "(title, then blank-line separated paragraphs) or the API's JSON. Each file is "
        "one transaction; re-importing an unchanged file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders")
        parser.add_argument(
            "--publish", action="store_true", help="publish new articles at once (default: they are drafts)"
        )
        parser.add_argument("--format", choices=FORMATS, default="auto", help="force a format (default: detect)")
        parser.add_argument(
            "--overwrite-edits",
            action="store_true",
            help="let a changed file replace an article edited in the admin since its last import",
        )

    def handle(self, *, paths, publish, format, overwrite_edits, verbosity, **options):
        files = paths_expand(paths)
        progress = tqdm(total=len(files), unit="file", disable=len(files) < 2 or verbosity == 0, file=sys.stderr)

        def report(result):
            with progress.external_write_mode():
                if result.failed:
                    self.stderr.write(self.style.ERROR(f"FAILED {result.path}: {result.error}"))
                elif verbosity >= 1:
                    self.stdout.write(f"{result.action:9} {result.path} → {result.article.slug}")
            progress.update(1)

        status = Article.Status.PUBLISHED if publish else Article.Status.DRAFT
        # Each message once, each on its own line: failures are reported here from the
        # results, and whatever the app logs meanwhile is written above the bar, not into it.
        with logging_redirect_tqdm(loggers=[logging.getLogger("articles")]):
            results = paths_import(
                paths=paths, status=status, fmt=format, overwrite_edits=overwrite_edits, on_result=report
            )
        progress.close()

        counts = {
            action: sum(r.action == action for r in results) for action in ("created", "updated", "unchanged", "failed")
        }
        summary = ", ".join(f"{count} {action}" for action, count in counts.items())
        if counts["failed"]:
            raise CommandError(f"{len(results)} file(s): {summary}")
        if not results:
            raise CommandError("no importable file found (.txt, .json, .text, .md)")
        self.stdout.write(self.style.SUCCESS(f"{len(results)} file(s): {summary}"))
