import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from arabic.camel_data import InstallError, Unavailable, package_install
from arabic.morphology import MORPHOLOGY_PACKAGE, camel_morphology_missing
from arabic.ner import camel


class Command(BaseCommand):
    help = (
        "Install camel-tools' morphology database (morphology-db-msa-r13, about 40 MB, GPL v2) into "
        "CAMELTOOLS_DATA from the catalogue at CAMELTOOLS_CATALOGUE_URL, checking its checksums; word lookup then "
        "gives each word's root from it (restart the server). Prints one line: installed, already installed, or "
        "not installed and why. Offline, or when the server fails, it installs nothing and exits 0 unless "
        "--strict; a package that fails its checks, or a catalogue not in camel-tools' layout, always exits 1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout", type=float, default=15, help="seconds to wait for a connection or for data (default 15)"
        )
        parser.add_argument("--strict", action="store_true", help="exit non-zero when offline too")

    def handle(self, *, timeout, strict, **options):
        what = "camel-tools morphology database"
        fallback = "Word lookup uses Buckwalter's lexicon."
        if not settings.MORPHOLOGY_DB_ENABLED:
            self.stdout.write(f"{what}: turned off (MORPHOLOGY_DB_ENABLED=0); nothing installed. {fallback}")
            return
        try:
            installed = package_install(
                MORPHOLOGY_PACKAGE,
                catalogue_url=settings.CAMELTOOLS_CATALOGUE_URL,
                data_dir=camel.data_dir(),
                timeout=timeout,
                progress=sys.stderr.isatty(),
            )
        except Unavailable as error:
            message = f"{what}: not installed: {error}. {fallback}"
            if strict:
                raise CommandError(message) from None
            self.stdout.write(self.style.WARNING(message))
            return
        except InstallError as error:
            raise CommandError(f"{what}: not installed: {error}. Nothing was changed.") from None
        except OSError as error:
            raise CommandError(f"{what}: not installed: could not write in {camel.data_dir()}: {error}") from None
        missing = camel_morphology_missing()
        unused = f" but not used: {missing}. {fallback}" if missing else ""
        version = f" {installed.version}" if installed.version else ""
        if installed.already:
            self.stdout.write(f"{what}: already installed in {installed.path}{unused}")
        else:
            line = f"{what}: installed {MORPHOLOGY_PACKAGE.name}{version} in {installed.path}{unused}"
            self.stdout.write(self.style.WARNING(line) if missing else self.style.SUCCESS(line))
