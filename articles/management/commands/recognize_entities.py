import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.entities import camel
from articles.entities.recognition import RecognitionSummary, article_recognize, recognizers_available
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Recognise named entities (gazetteer, and the camel-tools model when its data is installed). "
        "Replaces machine suggestions only; editors' decisions are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="articles (by slug)")
        parser.add_argument("--all", action="store_true", help="every article")

    def handle(self, *, slugs, all, verbosity, **options):
        if not slugs and not all:
            raise CommandError("name articles by slug, or pass --all")
        articles = Article.objects.order_by("pk")
        if not all:
            articles = articles.filter(slug__in=slugs)
            missing = sorted(set(slugs) - set(articles.values_list("slug", flat=True)))
            if missing:
                raise CommandError(f"no article with slug: {', '.join(missing)}")
        names, model = recognizers_available()
        self.stdout.write(f"Recognisers: {', '.join(names)}")
        if model is None:
            self.stdout.write(camel.status())
        total = RecognitionSummary(recognizers=names)
        articles = list(articles)
        for article in tqdm(articles, unit="article", disable=verbosity == 0 or len(articles) < 2, file=sys.stderr):
            total.add(article_recognize(article=article, model=model))
        sources = ", ".join(f"{count} from the {source}" for source, count in sorted(total.by_source.items()))
        self.stdout.write(
            f"{total.articles} article(s): {total.suggested} machine mention(s) ({sources or 'none'}); "
            f"{total.kept_decisions} editor decision(s) kept"
        )
