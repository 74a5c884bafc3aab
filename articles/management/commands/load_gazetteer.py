from django.core.management.base import BaseCommand

from arabic.ner.seed import gazetteer_seed
from articles.entities.services import gazetteer_seed_load


class Command(BaseCommand):
    help = (
        "Seed the gazetteer offline: countries and cities from CLDR (Babel), Arabic country names "
        "from iso-codes (pycountry), and the project's curated short forms. Re-runnable; entities "
        "an editor saved are left alone."
    )

    def handle(self, **options):
        entries = gazetteer_seed()
        summary = gazetteer_seed_load(entries=entries)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(entries)} seeded entities: {summary.created} created, {summary.updated} updated, "
                f"{summary.kept} kept as an editor left them"
            )
        )
