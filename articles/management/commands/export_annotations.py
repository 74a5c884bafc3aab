import json
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from articles.annotations import exports, w3c
from articles.models import Annotation, Article
from articles.selectors import articles_named


class Command(BaseCommand):
    help = (
        "Export annotations: w3c (a W3C Web Annotation collection, JSON-LD), conll (tokens with BIO "
        "entity tags from confirmed and editor-added mentions) or jsonl (one paragraph per line). "
        "Offsets are Unicode code points over each paragraph's original text."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="articles (default: all)")
        parser.add_argument("--format", choices=["w3c", "conll", "jsonl"], default="w3c")
        parser.add_argument("--output", type=Path, help="file to write (default: standard output)")
        parser.add_argument(
            "--public-only",
            action="store_true",
            help="what readers see: leave out draft articles, editors-only annotations and their entity labels",
        )

    def handle(self, *, slugs, format, output, public_only, **options):
        try:
            articles = articles_named(slugs=slugs, every=not slugs)
        except LookupError as error:
            raise CommandError(str(error)) from None
        if public_only:
            drafts = articles.exclude(status=Article.Status.PUBLISHED).count()
            if drafts:
                self.stderr.write(f"Left out {drafts} draft article(s)")
            articles = articles.published()
        annotations = Annotation.objects.filter(article__in=articles)
        if public_only:
            annotations = annotations.public()
        base_url = settings.SITE_URL.rstrip("/")

        if format == "w3c":
            # The collection's id is the site's collection of the same annotations, so it answers.
            query = "?" + urlencode([("article", slug) for slug in sorted(set(slugs))]) if slugs else ""
            data = w3c.collection(
                w3c.exportable(annotations),
                collection_id=base_url + reverse("articles:api-annotation-list") + query,
                label=f"Annotations of {articles.count()} article(s)",
                # Login names only in an export that may hold editors-only annotations.
                site=w3c.Site(base_url=base_url, editor=not public_only),
            )
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        elif format == "conll":
            text = exports.conll(articles, public_only=public_only)
        else:
            text = exports.jsonl(
                articles, lambda article: annotations.filter(article=article).order_by("start"), public_only=public_only
            )

        if output:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")
