"""Following RSS and Atom feeds served by a news site on 127.0.0.1."""

import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.importing import ImportFailure
from articles.importing.feeds import feed_add, feed_fetch
from articles.importing.web import url_import
from articles.models import Article, Feed, FeedEntry
from tests.news_server import FIXTURES, NewsServer

ALARABY_PATH = "/politics/turkey-intelligence-hamas-istanbul"
PORTAL_PATH = "/news/2025/11/01/fidan-hamas"


@pytest.fixture
def news(settings):
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = True
    settings.FETCH_TIMEOUT = 2
    server = NewsServer()
    server.add_fixture(ALARABY_PATH, "alaraby.html")
    server.add_fixture(PORTAL_PATH, "portal.html")
    yield server
    server.close()


def rss(news, **options):
    return news.add_fixture("/rss.xml", "rss2.xml", content_type="application/rss+xml; charset=utf-8", **options)


@pytest.mark.django_db
def test_rss2_entries_are_imported_as_drafts_by_default(news):
    feed, created = feed_add(url=rss(news))
    assert created and not feed.publish

    report = feed_fetch(feed=feed)

    assert report.status == Feed.Status.OK, report.error
    assert len(report.imported) == 2
    articles = Article.objects.order_by("source")
    assert [(a.source, a.status) for a in articles] == [
        (news.url(PORTAL_PATH), "draft"),
        (news.url(ALARABY_PATH), "draft"),
    ]
    feed.refresh_from_db()
    assert feed.title == "العربي الجديد - سياسة"
    assert feed.last_status == Feed.Status.OK and feed.last_fetched_at is not None
    assert sorted(feed.entries.values_list("guid", flat=True)) == ["alaraby-1001", "alaraby-1002"]
    assert {entry.article for entry in feed.entries.all()} == set(articles)


@pytest.mark.django_db
def test_publish_feed_publishes(news):
    feed, _ = feed_add(url=rss(news), publish=True)
    feed_fetch(feed=feed)
    assert set(Article.objects.values_list("status", flat=True)) == {"published"}


@pytest.mark.django_db
def test_seen_entries_are_not_downloaded_again(news):
    feed, _ = feed_add(url=rss(news))  # no validators: the server answers in full each time
    feed_fetch(feed=feed)
    assert news.downloads(ALARABY_PATH) == 1

    report = feed_fetch(feed=feed)

    assert report.skipped == 2 and not report.imported
    assert news.downloads(ALARABY_PATH) == 1 and news.downloads(PORTAL_PATH) == 1
    assert news.downloads("/rss.xml") == 2


@pytest.mark.django_db
def test_entry_whose_page_was_imported_by_url_is_not_downloaded(news):
    url_import(url=news.url(ALARABY_PATH))
    feed, _ = feed_add(url=rss(news))

    report = feed_fetch(feed=feed)

    assert news.downloads(ALARABY_PATH) == 1  # the import above, not the feed
    assert report.skipped == 1 and len(report.imported) == 1
    assert Article.objects.count() == 2
    entry = feed.entries.get(guid="alaraby-1001")
    assert entry.article.source == news.url(ALARABY_PATH)


@pytest.mark.django_db
def test_conditional_get_with_etag_and_last_modified(news):
    url = rss(news, etag='"v1"', last_modified="Wed, 05 Nov 2025 15:00:00 GMT")
    feed, _ = feed_add(url=url)
    feed_fetch(feed=feed)
    feed.refresh_from_db()
    assert (feed.etag, feed.last_modified) == ('"v1"', "Wed, 05 Nov 2025 15:00:00 GMT")

    report = feed_fetch(feed=feed)

    assert report.status == Feed.Status.NOT_MODIFIED
    path, headers = news.requests[-1]
    assert path == "/rss.xml"
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Wed, 05 Nov 2025 15:00:00 GMT"
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_atom_broken_entry_recorded_others_go_on_and_retried(news):
    url = news.add_fixture("/atom.xml", "atom.xml", content_type="application/atom+xml", etag='"a1"')
    feed, _ = feed_add(url=url)

    report = feed_fetch(feed=feed)

    assert report.status == Feed.Status.PARTIAL
    assert [entry.title for entry in report.imported] == ["فيدان يستقبل وفداً من حماس في إسطنبول"]
    # The relative link was resolved against the feed's address.
    assert report.imported[0].article.source == news.url(PORTAL_PATH)
    broken = FeedEntry.objects.get(guid="tag:news.test,2025:missing")
    assert broken.status == FeedEntry.Status.FAILED
    assert broken.error == f"{news.url('/news/missing')} answered 404 Not Found"
    feed.refresh_from_db()
    assert "1 of 2 entries failed" in feed.last_error
    # The validators are not kept, so the next run reads the feed again and retries the broken entry.
    assert feed.etag == ""
    news.add_fixture("/news/missing", "alaraby.html")
    report = feed_fetch(feed=feed)
    assert report.status == Feed.Status.OK
    assert report.skipped == 1 and len(report.imported) == 1
    broken.refresh_from_db()
    assert broken.status == FeedEntry.Status.IMPORTED and broken.error == ""


@pytest.mark.django_db
def test_rss1_is_read(news):
    feed, _ = feed_add(url=news.add_fixture("/rss1.xml", "rss1.xml", content_type="application/rdf+xml"))
    report = feed_fetch(feed=feed)
    assert report.status == Feed.Status.OK
    assert [entry.article.source for entry in report.imported] == [news.url(ALARABY_PATH)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case, expected",
    [
        ("html", "is not a feed: the server says its content type is text/html"),
        ("garbage", "is not a readable feed"),
        ("500", "answered 500"),
    ],
)
def test_broken_feed_is_recorded(news, case, expected):
    url = {
        "html": news.url(ALARABY_PATH),
        "garbage": news.add("/broken.xml", "<<<not xml at all", content_type="application/xml"),
        "500": news.add("/down.xml", "oops", status=500, content_type="application/xml"),
    }[case]
    feed, _ = feed_add(url=url)
    report = feed_fetch(feed=feed)
    assert report.status == Feed.Status.FAILED
    feed.refresh_from_db()
    assert feed.last_status == Feed.Status.FAILED and expected in feed.last_error
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_add_feed_and_fetch_feeds_commands(news, capsys):
    good = rss(news)
    bad = news.add("/down.xml", "oops", status=500, content_type="application/xml")
    call_command("add_feed", good, "--publish")
    call_command("add_feed", bad)
    call_command("add_feed", bad)  # re-runnable
    assert Feed.objects.count() == 2

    with pytest.raises(CommandError, match="1 feed"):
        call_command("fetch_feeds")
    captured = capsys.readouterr()
    assert f"{good}: OK; 2 imported, 0 failed, 0 already seen" in captured.out
    assert f"{bad}: Failed" in captured.err and "answered 500" in captured.err
    # The broken feed stopped nothing: the good one's articles are in, published.
    assert Article.objects.published().count() == 2

    call_command("fetch_feeds", str(Feed.objects.get(url=good).pk))
    assert "0 imported, 0 failed, 2 already seen" in capsys.readouterr().out


@pytest.mark.django_db
def test_inactive_feeds_are_not_fetched(news):
    from articles.importing.feeds import feeds_fetch

    feed, _ = feed_add(url=rss(news))
    Feed.objects.filter(pk=feed.pk).update(active=False)
    assert feeds_fetch() == []
    assert news.downloads("/rss.xml") == 0
    # add_feed again turns it back on.
    feed, _ = feed_add(url=feed.url)
    assert feed.active and len(feeds_fetch()) == 1


def test_add_feed_refuses_a_non_http_address():
    with pytest.raises(ImportFailure, match="not an http or https address"):
        feed_add(url="file:///etc/passwd")


@pytest.mark.django_db
def test_fetch_feeds_unknown_feed():
    with pytest.raises(CommandError, match="no such feed: 999"):
        call_command("fetch_feeds", "999")


@pytest.mark.django_db
def test_fetch_now_task_runs_the_fetch(news, django_capture_on_commit_callbacks):
    from articles.importing.feeds import feed_fetch_queue

    feed, _ = feed_add(url=rss(news))
    with django_capture_on_commit_callbacks(execute=True):
        feed_fetch_queue(feed_ids=[feed.pk])
    feed.refresh_from_db()
    assert feed.last_status == Feed.Status.OK
    assert feed.entries.count() == 2


# --- Admin ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_feed_admin_shows_status_fetches_now_and_lists_imported_articles(
    news, admin_client, django_capture_on_commit_callbacks
):
    from django.urls import reverse
    from django.utils.html import escape

    good, _ = feed_add(url=rss(news))
    broken, _ = feed_add(url=news.add("/down.xml", "oops", status=500, content_type="application/xml"))

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:articles_feed_changelist"),
            {"action": "fetch_now", "_selected_action": [good.pk, broken.pk]},
        )
    page = admin_client.get(reverse("admin:articles_feed_changelist")).content.decode()
    assert "2 feeds queued for fetching" in page
    # The queued tasks ran (immediate backend in tests): the list shows each feed's outcome.
    assert "العربي الجديد - سياسة" in page
    assert f"{broken.url} answered 500" in page
    good.refresh_from_db()
    assert good.last_status == Feed.Status.OK

    detail = admin_client.get(reverse("admin:articles_feed_change", args=[good.pk])).content.decode()
    for article in Article.objects.all():
        assert reverse("admin:articles_article_change", args=[article.pk]) in detail
        assert escape(article.title) in detail


@pytest.mark.django_db
def test_feed_admin_in_arabic(news, admin_client):
    from django.urls import reverse

    feed, _ = feed_add(url=rss(news))
    feed_fetch(feed=feed)
    page = admin_client.get(reverse("admin:articles_feed_changelist"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page
    assert "الخلاصات" in page and "سليم" in page and "آخر حالة" in page


# --- Bounds: entries per fetch, attempts per entry, time per entry ---------------------


def rss_of(items: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 document of (guid, link, pubDate) items, in the order given."""
    body = "".join(
        f'<item><title>خبر {guid}</title><link>{link}</link><guid isPermaLink="false">{guid}</guid>'
        f"<pubDate>{date}</pubDate></item>"
        for guid, link, date in items
    )
    channel = f"<channel><title>كثير</title>{body}</channel>"
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0">{channel}</rss>'


@pytest.mark.django_db
def test_a_feed_longer_than_the_cap_is_cut_to_its_newest_entries_and_says_so(news, settings, capsys, admin_client):
    """A feed of many entries, each refused (a private address): only the newest FEED_MAX_ENTRIES are
    considered, written and reported; the rest are counted as left out."""
    from django.urls import reverse

    settings.FETCH_ALLOW_PRIVATE_NETWORKS = False
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # the feed itself, not its entries
    settings.FEED_MAX_ENTRIES = 5
    # Oldest first in the document, as some feeds are: the cap keeps the newest by date.
    items = [(f"g{day:02d}", f"http://10.0.0.1/news/{day}", f"{day:02d} Nov 2025 10:00:00 GMT") for day in range(1, 31)]
    feed, _ = feed_add(url=news.add("/many.xml", rss_of(items), content_type="application/rss+xml"))

    report = feed_fetch(feed=feed)

    assert report.left_out == 25
    assert len(report.failed) == 5
    assert sorted(FeedEntry.objects.values_list("guid", flat=True)) == ["g26", "g27", "g28", "g29", "g30"]
    assert "private, loopback or reserved" in report.failed[0].error
    feed.refresh_from_db()
    assert feed.last_left_out == 25

    with pytest.raises(CommandError):
        call_command("fetch_feeds")
    assert "25 left out (only the newest 5 are read)" in capsys.readouterr().err
    assert FeedEntry.objects.count() == 5

    listing = admin_client.get(reverse("admin:articles_feed_changelist")).content.decode()
    assert "25 older entries left out: only the newest 5 are read." in listing
    listing = admin_client.get(reverse("admin:articles_feed_changelist"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "أُغفل 25 مدخلاً أقدم: لا يُقرأ إلا أحدث 5." in listing


@pytest.mark.django_db
def test_without_dates_the_feeds_own_order_is_kept(news, settings):
    settings.FEED_MAX_ENTRIES = 1
    undated = (FIXTURES / "rss2.xml").read_text(encoding="utf-8")
    undated = undated.replace("<pubDate>", "<!-- ").replace("</pubDate>", " -->")
    feed, _ = feed_add(url=news.add("/undated.xml", undated, content_type="application/rss+xml"))
    report = feed_fetch(feed=feed)
    assert [entry.guid for entry in report.imported] == ["alaraby-1001"] and report.left_out == 1


@pytest.mark.django_db
def test_an_entry_that_keeps_failing_is_given_up_and_no_longer_downloaded(news, settings, admin_client):
    from django.urls import reverse

    settings.FEED_ENTRY_MAX_ATTEMPTS = 2
    broken = news.url("/news/missing")
    items = [
        ("good", news.url(ALARABY_PATH), "05 Nov 2025 10:00:00 GMT"),
        ("broken", broken, "04 Nov 2025 10:00:00 GMT"),
    ]
    feed, _ = feed_add(url=news.add("/feed.xml", rss_of(items), content_type="application/rss+xml", etag='"v1"'))

    first = feed_fetch(feed=feed)
    assert [entry.guid for entry in first.failed] == ["broken"] and not first.given_up
    feed.refresh_from_db()
    assert feed.etag == ""  # the broken entry is to be tried again: the next fetch must read the feed

    second = feed_fetch(feed=feed)
    assert [entry.guid for entry in second.given_up] == ["broken"] and not second.failed
    assert second.status == Feed.Status.PARTIAL
    assert "1 given up after 2 failed attempts" in second.error
    entry = FeedEntry.objects.get(guid="broken")
    assert (entry.status, entry.failures) == (FeedEntry.Status.GIVEN_UP, 2)
    assert entry.error == f"{broken} answered 404 Not Found"
    feed.refresh_from_db()
    assert feed.etag == '"v1"'  # nothing waits for another try any more

    # Without the validators too, a given-up entry is not downloaded again.
    Feed.objects.filter(pk=feed.pk).update(etag="")
    feed.refresh_from_db()
    third = feed_fetch(feed=feed)
    assert third.status == Feed.Status.OK and third.skipped == 2
    assert news.downloads("/news/missing") == 2

    page = admin_client.get(reverse("admin:articles_feed_change", args=[feed.pk])).content.decode()
    assert "Given up" in page and f"{broken} answered 404 Not Found" in page
    listing = admin_client.get(reverse("admin:articles_feed_changelist")).content.decode()
    assert '1 / <span class="">0</span> / <span class="errors">1</span>' in listing


@pytest.mark.django_db
def test_a_stalling_entry_costs_one_deadline_and_the_others_go_on(news, settings):
    settings.FETCH_TIMEOUT = 1
    stalling = news.add("/news/stalling", b"<html></html>", trickle_head=0.5)
    items = [
        ("stalling", stalling, "06 Nov 2025 10:00:00 GMT"),
        ("good", news.url(ALARABY_PATH), "05 Nov 2025 10:00:00 GMT"),
    ]
    feed, _ = feed_add(url=news.add("/feed.xml", rss_of(items), content_type="application/rss+xml"))
    started = time.monotonic()
    report = feed_fetch(feed=feed)
    assert time.monotonic() - started < 3
    assert [entry.guid for entry in report.imported] == ["good"]
    assert [entry.error for entry in report.failed] == [f"{stalling} timed out: no complete answer within 1 s"]
