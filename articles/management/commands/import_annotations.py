from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.annotations.w3c_import import w3c_import
from articles.untrusted_json import UntrustedJSONError, json_parse


class Command(BaseCommand):
    help = (
        "Import W3C Web Annotations (as exported by export_annotations --format w3c). Each is matched "
        "to its paragraph by the path and #p<position> fragment of target.source, whatever the host, "
        "and anchored by its selectors; those that cannot be anchored are reported, the others imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *, file, **options):
        try:
            # Another tool's file: read as any JSON from outside, bounded like an article file.
            data = json_parse(file.read_bytes(), max_bytes=settings.IMPORT_MAX_BYTES)
        except (OSError, UntrustedJSONError) as error:
            raise CommandError(f"cannot read {file}: {error}") from None
        try:
            report = w3c_import(data)
        except ValueError as error:
            raise CommandError(str(error)) from None
        for identifier, reason in report.failed:
            self.stderr.write(f"not imported: {identifier}: {reason}")
        summary = f"{report.created} created, {report.updated} updated, {len(report.failed)} not imported"
        if report.failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
