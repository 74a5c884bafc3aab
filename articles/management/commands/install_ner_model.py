import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.deadline import request_deadline
from articles.entities import camel


class Command(BaseCommand):
    help = (
        "Install the camel-tools NER model (ner-arabert, about 540 MB) into CAMELTOOLS_DATA when the "
        "internet is reachable. Offline it says so and changes nothing: the gazetteer alone then "
        "recognises entities."
    )

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=15, help="seconds to wait for the catalogue")
        parser.add_argument("--strict", action="store_true", help="exit non-zero when it cannot be installed")

    def handle(self, *, timeout, strict, **options):
        if camel.model_path() is not None:
            self.stdout.write(f"Already installed: {camel.model_path()}")
            return
        data = Path(settings.CAMELTOOLS_DATA)
        camel.ensure_catalogue()  # camel_tools.data reads it on import
        from camel_tools.data.catalogue import CATALOGUE_URL
        from camel_tools.data.downloader import HTTPDownloader

        with tempfile.TemporaryDirectory() as folder:
            fetched = Path(folder) / "catalogue.json"
            try:
                with request_deadline(time.monotonic() + timeout):
                    HTTPDownloader.download(CATALOGUE_URL, fetched)
            except Exception as error:  # noqa: BLE001 - offline shows up as many different errors
                return self._unavailable(f"could not fetch camel-tools' catalogue ({type(error).__name__})", strict)
            shutil.copy(fetched, data / "catalogue.json")
        env = {**os.environ, "CAMELTOOLS_DATA": str(data)}
        result = subprocess.run(["camel_data", "-i", "ner-arabert"], env=env, text=True, capture_output=True)
        if result.returncode != 0 or camel.model_path() is None:
            return self._unavailable(f"camel_data failed: {result.stderr.strip()[-300:]}", strict)
        self.stdout.write(self.style.SUCCESS(f"Installed the NER model in {camel.model_path()}"))

    def _unavailable(self, reason, strict):
        message = f"camel-tools NER model not installed: {reason}. Entities come from the gazetteer alone."
        if strict:
            raise CommandError(message)
        self.stdout.write(self.style.WARNING(message))
