import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from arabic.translation.client import TranslationClient
from arabic.translation.providers import ConfigurationError
from articles.selectors import articles_named
from articles.translation.config import config_from_settings
from articles.translation.services import TranslationSummary, article_translate


class Command(BaseCommand):
    help = (
        "Translate articles' title, lead caption, paragraphs and related headlines with the configured "
        "provider. Segments already translated from the same source text are not sent again; editors' "
        "translations are never replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="articles to translate (by slug)")
        parser.add_argument("--all", action="store_true", help="translate every article")
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="send failed segments again now (those that failed under other translation settings are sent anyway)",
        )
        parser.add_argument("--force", action="store_true", help="retranslate every segment not reviewed by an editor")

    def handle(self, *, slugs, all, retry_failed, force, verbosity, **options):
        try:
            articles = articles_named(slugs=slugs, every=all)
        except LookupError as error:
            raise CommandError(str(error)) from None
        try:
            config = config_from_settings()
        except ConfigurationError as error:
            raise CommandError(str(error)) from None
        client = TranslationClient(config) if config else None
        if client is None:
            self.stdout.write("Machine translation is off (TRANSLATION_PROVIDER=none): nothing will be sent.")
        else:
            self.stdout.write(f"Provider: {client.label} → {config.target}")

        total = TranslationSummary()
        articles = list(articles)
        for article in tqdm(articles, unit="article", disable=verbosity == 0 or len(articles) < 2, file=sys.stderr):
            total.add(article_translate(article=article, client=client, retry_failed=retry_failed, force=force))

        requests = client.requests_sent if client else 0
        self.stdout.write(
            f"{len(articles)} article(s): {total.done} segment(s) done, {total.failed} failed, "
            f"{total.skipped} skipped; {requests} request(s) sent"
        )
        for error in total.errors:
            self.stderr.write(f"  failed: {error}")
        if total.failed_before:
            when = (
                f"the task worker sends them again after {timezone.localtime(total.retry_at):%Y-%m-%d %H:%M %Z}"
                if total.retry_at
                else "the provider refused them"
            )
            self.stdout.write(
                f"{total.failed_before} skipped segment(s) failed earlier and were not sent ({when}); "
                "--retry-failed sends them now"
            )
        if total.failed:
            raise CommandError(f"{total.failed} segment(s) failed; run again with --retry-failed")
