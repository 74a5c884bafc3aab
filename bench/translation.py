"""Translation benchmark: the seed article imported 100 times under different
ids, translated against a LibreTranslate-compatible server on 127.0.0.1.

    .venv/bin/python bench/translation.py [--articles 100]

Prints the requests sent, the segments translated and the seconds taken, then
the same for a second run, which must send nothing.
"""

import argparse
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

    from articles.importing import article_import
    from articles.importing.formats import parse_file
    from articles.models import Translation
    from articles.translation.client import TranslationClient
    from articles.translation.providers import config_from_settings
    from articles.translation.services import TranslationSummary, article_translate
    from tests.libre_server import LibreStandIn

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
    total = Translation.objects.count()
    print(f"import of {len(articles)} articles: {import_seconds:.2f} s; {total} segments stored")


if __name__ == "__main__":
    main()
