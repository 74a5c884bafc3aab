import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.entities.recognition import RecognitionSummary, article_recognize, recognizers_available
from articles.selectors import articles_named


class Command(BaseCommand):
    help = (
        "Recognise named entities: the gazetteer, the camel-tools model when its data is installed, and the "
        "shipped model (a CRF trained on ANERcorp's news and AQMAR's Wikipedia articles, or its retrained "
        "successor under NER_TRAINED_DIR). "
        "Replaces machine suggestions only; editors' decisions are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="articles (by slug)")
        parser.add_argument("--all", action="store_true", help="every article")

    def handle(self, *, slugs, all, verbosity, **options):
        try:
            articles = articles_named(slugs=slugs, every=all)
        except LookupError as error:
            raise CommandError(str(error)) from None
        recognizers = recognizers_available()
        self.stdout.write(f"Recognisers: {', '.join(recognizers.names)}")
        for note in recognizers.notes:
            self.stdout.write(note)
        total = RecognitionSummary(recognizers=recognizers.names)
        articles = list(articles)
        for article in tqdm(articles, unit="article", disable=verbosity == 0 or len(articles) < 2, file=sys.stderr):
            total.add(article_recognize(article=article, model=recognizers.model, shipped=recognizers.shipped))
        sources = ", ".join(f"{count} from the {source}" for source, count in sorted(total.by_source.items()))
        self.stdout.write(
            f"{total.articles} article(s): {total.suggested} machine mention(s) ({sources or 'none'}); "
            f"{total.kept_decisions} editor decision(s) kept"
        )
