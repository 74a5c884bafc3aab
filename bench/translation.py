"""Translation benchmark: the seed article imported 100 times under different
ids, translated against a LibreTranslate-compatible server on 127.0.0.1.

    .venv/bin/python bench/translation.py [--articles 100]

Prints the requests sent, the segments translated and the seconds taken, then
the same for a second run, which must send nothing. Then every article is
translated again (as `--force` does) against the same server misbehaving the
ways providers do with the markers packing uses (standins/libre_server.py's
MARKER_MODES): requests per article, and whether every segment got its own
text.
"""

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import ROOT, django_on_temp_db  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    args = parser.parse_args()

    django_on_temp_db()
    from django.conf import settings

    from arabic.translation.client import TranslationClient
    from articles.importing import article_import
    from articles.importing.formats import parse_file
    from articles.models import Translation
    from articles.translation.config import config_from_settings
    from articles.translation.services import TranslationSummary, article_translate
    from standins.libre_server import MARKER_MODES, LibreStandIn, fake_translate

    seed = ROOT / "seeds" / "000_f43ac9fcd8114102.txt"
    record = parse_file(seed, seed.read_bytes())
    started = time.perf_counter()
    articles = [
        article_import(record=record, source_id=f"bench-{n:03d}", source=seed.name).article
        for n in range(args.articles)
    ]
    import_seconds = time.perf_counter() - started

    with LibreStandIn() as server:
        settings.TRANSLATION_PROVIDER = "libre"
        settings.TRANSLATION_LIBRE_URL = server.url
        settings.TRANSLATION_API_KEY = "bench"
        for run in ("first run", "second run"):
            client = TranslationClient(config_from_settings())
            summary = TranslationSummary()
            before = len(server.requests)
            started = time.perf_counter()
            for article in articles:
                summary.add(article_translate(article=article, client=client))
            seconds = time.perf_counter() - started
            print(
                f"{run}: {len(articles)} articles, {summary.done} segments translated, "
                f"{summary.skipped} skipped, {summary.failed} failed, "
                f"{len(server.requests) - before} requests sent, {seconds:.2f} s"
            )
        # The client warns once per request whose markers were all lost; here that is the point being measured.
        logging.getLogger("articles.translation.client").setLevel(logging.ERROR)
        segments = Translation.objects.filter(article__in=articles).count() / len(articles)
        print(
            f"\nre-translating all {len(articles)} articles (force) under each provider behaviour "
            f"(baseline, one request per segment: {segments:.1f} requests per article):"
        )
        for mode in ["ok", *MARKER_MODES]:
            server.mode = mode
            client = TranslationClient(config_from_settings())
            summary = TranslationSummary()
            before = len(server.requests)
            started = time.perf_counter()
            for article in articles:
                summary.add(article_translate(article=article, client=client, force=True))
            seconds = time.perf_counter() - started
            sent = len(server.requests) - before
            rows = Translation.objects.filter(article__in=articles)
            wrong = sum(1 for row in rows if row.text != fake_translate(row.source_text))
            print(
                f"  {mode:14s}: {sent / len(articles):5.1f} requests per article, {summary.done} done, "
                f"{summary.failed} failed, {wrong} with another segment's text, {seconds:.2f} s"
            )
    total = Translation.objects.count()
    print(f"import of {len(articles)} articles: {import_seconds:.2f} s; {total} segments stored")


if __name__ == "__main__":
    main()
