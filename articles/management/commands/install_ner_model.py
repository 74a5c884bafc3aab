import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from arabic.ner import camel
from arabic.ner.camel_install import InstallError, Unavailable, ner_model_install
from articles.entities.recognition import bert_extra_missing


class Command(BaseCommand):
    help = (
        "Install camel-tools' NER model (ner-arabert, about 540 MB) into CAMELTOOLS_DATA from the catalogue at "
        "CAMELTOOLS_CATALOGUE_URL, checking its checksums. Prints one line: installed, already installed, or "
        "not installed and why. Without the BERT extra (torch and transformers: make bert), or offline, or when "
        "the server fails, it installs nothing and exits 0 unless --strict; a package that fails its checks, or "
        "a catalogue not in camel-tools' layout, always exits 1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout", type=float, default=15, help="seconds to wait for a connection or for data (default 15)"
        )
        parser.add_argument("--strict", action="store_true", help="exit non-zero when offline too")

    def handle(self, *, timeout, strict, **options):
        if not settings.NER_MODEL_ENABLED:
            self.stdout.write("camel-tools NER model: turned off (NER_MODEL_ENABLED=0); nothing installed.")
            return
        others = "the gazetteer and the shipped model" if settings.CRF_MODEL_ENABLED else "the gazetteer alone"
        missing = bert_extra_missing()
        if missing:
            # Not downloaded: 540 MB this install could not run.
            present = camel.model_path(camel.data_dir())
            state = f"installed in {present} but not used" if present else "not installed"
            self._not_installed(f"camel-tools NER model: {state}: {missing}. Entities come from {others}.", strict)
            return
        try:
            installed = ner_model_install(
                catalogue_url=settings.CAMELTOOLS_CATALOGUE_URL,
                data_dir=camel.data_dir(),
                timeout=timeout,
                progress=sys.stderr.isatty(),
            )
        except Unavailable as error:
            message = f"camel-tools NER model: not installed: {error}. Entities come from {others}."
            self._not_installed(message, strict)
            return
        except InstallError as error:
            raise CommandError(f"camel-tools NER model: not installed: {error}. Nothing was changed.") from None
        except OSError as error:
            raise CommandError(
                f"camel-tools NER model: not installed: could not write in {camel.data_dir()}: {error}"
            ) from None
        version = f" {installed.version}" if installed.version else ""
        if installed.already:
            self.stdout.write(f"camel-tools NER model: already installed in {installed.path}")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"camel-tools NER model: installed ner-arabert{version} in {installed.path}")
            )

    def _not_installed(self, message: str, strict: bool) -> None:
        """Nothing installed, for a reason no one has to fix now: a warning, or a failure with --strict."""
        if strict:
            raise CommandError(message)
        self.stdout.write(self.style.WARNING(message))
