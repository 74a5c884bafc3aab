import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from articles.importing.feeds import feeds_fetch
from articles.models import Feed


class Command(BaseCommand):
    help = (
        "Fetch the active feeds (or the given ones) and import their new entries. With --every SECONDS it "
        "keeps running and fetches again after each pause (for systemd or `make serve`); without it, it "
        "runs once (for cron) and exits 1 if a feed or an entry failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("feeds", nargs="*", metavar="FEED", help="feed ids or URLs (default: all active)")
        parser.add_argument("--every", type=float, metavar="SECONDS", help="repeat after this pause, forever")

    def handle(self, *, feeds, every, verbosity, **options):
        if every is not None and every <= 0:
            raise CommandError("--every needs a positive number of seconds")
        if every is None:
            failures = self.fetch_once(feeds, verbosity)
        while every is not None:
            # A long-running loop: a database that went away or any surprise is
            # reported and the next round tries again.
            close_old_connections()
            try:
                self.fetch_once(feeds, verbosity)
            except CommandError:
                raise
            except Exception as error:  # noqa: BLE001 - kept alive on purpose, and said
                self.stderr.write(self.style.ERROR(f"this round failed: {type(error).__name__}: {error}"))
            time.sleep(every)
        if failures:
            raise CommandError(f"{failures} feed(s) had failures")

    def fetch_once(self, selectors, verbosity) -> int:
        chosen = None
        if selectors:
            chosen = []
            for value in selectors:
                feed = Feed.objects.filter(pk=int(value)).first() if value.isdigit() else None
                feed = feed or Feed.objects.filter(url=value).first()
                if feed is None:
                    raise CommandError(f"no such feed: {value} (add it with add_feed)")
                chosen.append(feed)

        def report(result):
            line = (
                f"{result.feed.url}: {result.feed.get_last_status_display()}; {len(result.imported)} imported, "
                f"{len(result.failed)} failed, {result.skipped} already seen"
            )
            if result.given_up:
                line += f", {len(result.given_up)} given up after {settings.FEED_ENTRY_MAX_ATTEMPTS} failed attempts"
            if result.left_out:
                line += f", {result.left_out} left out (only the newest {settings.FEED_MAX_ENTRIES} are read)"
            if result.ok:
                if verbosity >= 1:
                    self.stdout.write(line)
            else:
                self.stderr.write(self.style.ERROR(f"{line}: {result.error}"))
            for entry in result.failed:
                self.stderr.write(self.style.ERROR(f"  FAILED {entry.url or entry.guid}: {entry.error}"))
            for entry in result.given_up:
                self.stderr.write(self.style.ERROR(f"  GIVEN UP {entry.url or entry.guid}: {entry.error}"))

        reports = feeds_fetch(feeds=chosen, on_report=report)
        return sum(not result.ok for result in reports)
