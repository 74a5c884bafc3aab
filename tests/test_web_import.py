"""Importing articles from web pages served by a news site on 127.0.0.1 (tests/news_server.py)."""

import contextlib
import gzip
import socket
import threading
import time
import tracemalloc

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from articles.importing.fetch import url_fetch
from articles.importing.records import ImportFailure
from articles.importing.web import url_import
from articles.models import Article, Entity, EntityType, Paragraph, Translation
from tests.news_server import FIXTURES, NewsServer, TricklingServer

SEED_PARAGRAPHS = [
    block.strip()
    for block in (FIXTURES.parent.parent.parent / "seeds" / "000_f43ac9fcd8114102.txt")
    .read_text(encoding="utf-8")
    .split("\n\n")
]
# The four body paragraphs of the seed (its only blocks of more than one sentence).
SEED_BODY = [block for block in SEED_PARAGRAPHS if len(block) > 300]
ALARABY_PATH = "/politics/turkey-intelligence-hamas-istanbul"


@pytest.fixture
def news(settings):
    """A news site on 127.0.0.1, with fetching of private addresses allowed (as local setups do)."""
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = True
    settings.FETCH_TIMEOUT = 2
    server = NewsServer()
    yield server
    server.close()


def test_seed_paragraphs_are_read_as_the_page_shows_them():
    assert len(SEED_BODY) == 4
    assert SEED_BODY[0].startswith("التقى رئيس الاستخبارات التركية")
    assert SEED_BODY[3].startswith("واستضافت تركيا الاثنين")


@pytest.mark.django_db
def test_news_page_gives_exactly_its_body_and_metadata(news):
    url = news.add_fixture(ALARABY_PATH, "alaraby.html")
    result = url_import(url=url + "?utm_source=newsletter")

    assert result.action == "created", result.error
    article = result.article
    assert [p.text for p in article.paragraphs.order_by("position")] == SEED_BODY
    assert article.title == 'رئيس الاستخبارات التركية يلتقي وفد "حماس" في إسطنبول'
    assert article.author == "محمد شيخ يوسف"
    assert article.published.isoformat() == "2025-11-05"
    assert article.section == "سياسة"
    # The page's breadcrumb: the category, then the dateline city, as a copied page has them.
    assert (article.category, article.dateline) == ("أخبار", "إسطنبول")
    assert article.lead_caption == "إبراهيم قالن خلال لقاء في نيامي بالنيجر، 17 يوليو 2024 (الأناضول)"
    assert article.tags == ["تركيا", "حماس"]
    # The slug is the title's, romanised, as for files; not the address's.
    assert article.slug.startswith("rais-al-astakhbarat") and "127-0-0-1" not in article.slug
    # The canonical URL, not the address with its tracking parameter, is the source.
    assert article.source == article.source_id == news.url(ALARABY_PATH)
    assert article.related_stories.count() == 0
    everything = " ".join([article.title, article.lead_caption, *(p.text for p in article.paragraphs.all())])
    for boilerplate in ("التحديثات الحية", "المزيد في", "فيسبوك", "الكوكيز", "جميع الحقوق", "دلالات", "فيدان عقب"):
        assert boilerplate not in everything


@pytest.mark.django_db
def test_other_site_shape_og_only_relative_canonical(news):
    url = news.add_fixture("/news/2025/11/01/fidan-hamas", "portal.html")
    result = url_import(url=url + "?utm_source=rss")

    assert result.action == "created", result.error
    article = result.article
    assert [p.text for p in article.paragraphs.order_by("position")] == [
        "وكان وزير الخارجية التركي، هاكان فيدان، قد استقبل السبت، أعضاء من المكتب السياسي لحركة حماس في مدينة "
        "إسطنبول. ووفق مصادر في وزارة الخارجية التركية، فإن اللقاء تناول تطورات الأوضاع المرتبطة بوقف إطلاق "
        "النار، واحتياجات المساعدات الإنسانية، من دون إضافة مزيد من التفاصيل.",
        "اجتماع وزاري في إسطنبول",
        "واستضافت تركيا الاثنين، اجتماعاً وزارياً إسلامياً ضم قطر، والسعودية، والإمارات، والأردن، وإندونيسيا "
        "وباكستان، فيما غابت مصر بسبب استضافتها مؤتمراً دولياً.",
        'وأكد فيدان أن "حماس" مستعدة لتسليم إدارة قطاع غزة إلى لجنة مكونة من فلسطينيين، كما ناقش المجتمعون '
        "المفاوضات المتعلقة بتشكيل قوة الاستقرار الدولية المقرّر تشكيلها في الأيام المقبلة.",
    ]
    assert article.title == "فيدان يستقبل وفداً من حماس في إسطنبول"
    assert article.section == "شؤون دولية"
    assert article.published.isoformat() == "2025-11-01"
    assert article.lead_caption == "وزير الخارجية التركي هاكان فيدان في أنقرة (أرشيف)"
    # <link rel=canonical> (relative) wins over og:url with its ?ref=og.
    assert article.source == news.url("/news/2025/11/01/fidan-hamas")
    # A readable slug from the title, romanised (the address's words are only a fallback).
    assert article.slug.startswith("fidan-") and "hamas" in article.slug and "127-0-0-1" not in article.slug
    # No breadcrumb, no dateline: nothing invented.
    assert (article.category, article.dateline) == ("", "")


@pytest.mark.django_db
def test_api_shows_the_canonical_url_as_source(news, client):
    url = news.add_fixture(ALARABY_PATH, "alaraby.html")
    article = url_import(url=url, status=Article.Status.PUBLISHED).article
    response = client.get(reverse("articles:api-detail", kwargs={"slug": article.slug}))
    assert response.status_code == 200
    assert response.json()["source"] == news.url(ALARABY_PATH)
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_reimport_same_url_or_same_canonical_never_duplicates(news, django_capture_on_commit_callbacks):
    url = news.add_fixture(ALARABY_PATH, "alaraby.html")
    news.add_fixture("/amp/turkey-hamas", "alaraby.html")  # another address, same canonical
    first = url_import(url=url)
    assert first.action == "created"
    rows = list(first.article.paragraphs.values_list("pk", flat=True))

    assert url_import(url=url).action == "unchanged"
    again = url_import(url=news.url("/amp/turkey-hamas"))
    assert again.action == "unchanged"
    assert again.article.pk == first.article.pk
    assert Article.objects.count() == 1

    changed = (FIXTURES / "alaraby.html").read_text(encoding="utf-8")
    changed = changed.replace("اليوم الأربعاء", "الأربعاء الماضي")
    news.add(ALARABY_PATH, changed)
    with django_capture_on_commit_callbacks() as callbacks:
        updated = url_import(url=url)
    assert updated.action == "updated"
    assert Article.objects.count() == 1
    # The rows of unchanged paragraphs are kept, as for any re-import; only the edited one changed text.
    assert list(updated.article.paragraphs.values_list("pk", flat=True)) == rows
    assert "الأربعاء الماضي" in Paragraph.objects.get(pk=rows[0]).text
    # Translation and recognition are queued for what was imported.
    assert len(callbacks) == 2


@pytest.mark.django_db
def test_reimport_keeps_status_and_draft_flag(news):
    url = news.add_fixture(ALARABY_PATH, "alaraby.html")
    assert url_import(url=url, status=Article.Status.DRAFT).article.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_imported_article_is_recognised_and_translated(news, libre, django_capture_on_commit_callbacks):
    libre()
    Entity.objects.create(name_ar="إسطنبول", name_en="Istanbul", type=EntityType.LOC)
    url = news.add_fixture(ALARABY_PATH, "alaraby.html")
    with django_capture_on_commit_callbacks(execute=True):
        article = url_import(url=url).article
    # The queued tasks ran (the tests' immediate backend): entities found, every paragraph translated.
    assert article.mentions.filter(paragraph__position=1, text="إسطنبول", entity__name_en="Istanbul").exists()
    first = article.translations.get(paragraph__position=1)
    assert first.status == Translation.Status.DONE
    assert first.text.startswith("EN ")


def _refused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case, expected",
    [
        ("dns", "cannot resolve the host name 'no-such-host.invalid'"),
        ("refused", "connection refused"),
        ("timeout", "timed out"),
        ("trickle", "timed out: no complete answer within 0.5 s"),
        ("404", "answered 404"),
        ("500", "answered 500"),
        ("not-html", "is not an HTML page: the server says its content type is application/pdf"),
        ("too-big", "is too large: 607 bytes, the limit is 500 bytes"),
        ("too-big-unannounced", "is too large: more than 500 bytes"),
        ("nothing", "no article text could be extracted"),
        ("ftp", "only http and https addresses can be fetched"),
        ("redirect-loop", "redirects more than"),
    ],
)
def test_every_failure_says_why_and_writes_nothing(news, settings, case, expected):
    settings.FETCH_TIMEOUT = 0.5
    settings.FETCH_MAX_BYTES = 500
    urls = {
        "dns": "http://no-such-host.invalid/article",
        "refused": f"http://127.0.0.1:{_refused_port()}/article",
        "timeout": news.add("/slow", hang=True),
        "trickle": news.add("/trickle", "<p>" + "ا" * 100 + "</p>", trickle=0.05),  # 10 s in full
        "404": news.url("/missing"),
        "500": news.add("/error", "<html>oops</html>", status=500),
        "not-html": news.add("/file.pdf", b"%PDF-1.4", content_type="application/pdf"),
        "too-big": news.add("/big", "<p>" + "ا" * 300 + "</p>"),
        "too-big-unannounced": news.add("/big2", "<p>" + "ا" * 300 + "</p>", send_length=False),
        "nothing": news.add_fixture("/home", "navigation_only.html"),
        "ftp": "ftp://127.0.0.1/article",
        "redirect-loop": news.redirect("/loop", "/loop"),
    }
    result = url_import(url=urls[case])
    assert result.failed
    assert expected in result.error
    assert Article.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("trickled", ["status line and headers", "gzip body"])
def test_a_trickling_server_is_cut_at_the_deadline(news, settings, trickled):
    """One wall clock covers the whole exchange: a server that sends a byte every so often never holds a fetch."""
    settings.FETCH_TIMEOUT = 1
    page = (FIXTURES / "alaraby.html").read_bytes()
    if trickled == "status line and headers":
        url = news.add("/slow-head", page, trickle_head=0.5)  # over a minute for the headers alone
    else:
        url = news.add("/slow-gzip", gzip.compress(page), trickle=0.05, headers={"Content-Encoding": "gzip"})
    started = time.monotonic()
    result = url_import(url=url)
    elapsed = time.monotonic() - started
    assert elapsed < 2  # the deadline, with room for a busy machine; in full, over a minute
    assert result.failed
    assert result.error == f"{url} timed out: no complete answer within 1 s"
    assert Article.objects.count() == 0


def test_a_tls_handshake_trickled_is_cut_at_the_deadline(news, settings):
    settings.FETCH_TIMEOUT = 1
    # A TLS record header announcing a handshake, then its body a byte at a time (20 s in full).
    server = TricklingServer(b"\x16\x03\x03\x00\x40" + b"\x02" * 64, pause=0.3)
    try:
        started = time.monotonic()
        with pytest.raises(ImportFailure, match=r"timed out: no complete answer within 1 s"):
            url_fetch(url=f"https://127.0.0.1:{server.port}/article")
        assert time.monotonic() - started < 2  # in full, 20 s
    finally:
        server.close()


@pytest.mark.django_db
def test_a_gzip_page_is_read(news):
    page = (FIXTURES / "alaraby.html").read_text(encoding="utf-8").replace("{base}", news.base)
    url = news.add(ALARABY_PATH, gzip.compress(page.encode("utf-8")), headers={"Content-Encoding": "gzip"})
    result = url_import(url=url)
    assert result.action == "created", result.error
    assert [p.text for p in result.article.paragraphs.order_by("position")] == SEED_BODY
    assert news.requests[0][1]["Accept-Encoding"] == "gzip, deflate"


def test_a_gzip_bomb_is_refused_at_the_limit_without_being_inflated(news, settings):
    settings.FETCH_MAX_BYTES = 1_000_000
    bomb = gzip.compress(b" " * 50_000_000)  # about 50 kB on the wire
    url = news.add("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        with pytest.raises(ImportFailure, match="is too large: more than 1,000,000 bytes once decompressed"):
            url_fetch(url=url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4_000_000  # the limit and a piece, never the 50 MB


def test_an_encoding_that_was_not_asked_for_is_refused(news):
    url = news.add("/brotli", b"\x1b\x00", headers={"Content-Encoding": "br"})
    with pytest.raises(ImportFailure, match="encoded as br; only gzip or deflate"):
        url_fetch(url=url)


@pytest.mark.django_db
def test_import_url_command_exits_non_zero_with_the_reason(news, capsys):
    good = news.add_fixture(ALARABY_PATH, "alaraby.html")
    bad = news.url("/gone")
    with pytest.raises(CommandError, match="1 of 2 URL"):
        call_command("import_url", good, bad)
    err = capsys.readouterr().err
    assert f"FAILED {bad}: {bad} answered 404" in err
    # The good page went in, as a draft (the default); the bad one wrote nothing.
    assert list(Article.objects.values_list("source", "status")) == [(news.url(ALARABY_PATH), "draft")]


@pytest.mark.django_db
def test_import_url_command_reports_created_then_unchanged(news, capsys):
    url = news.add_fixture(ALARABY_PATH, "alaraby.html")
    call_command("import_url", url)
    call_command("import_url", url)
    out = capsys.readouterr().out
    assert out.count("created") == 1 and out.count("unchanged") == 1


# --- The address guard -----------------------------------------------------------


def test_loopback_refused_by_default(settings):
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = False
    server = NewsServer()
    try:
        url = server.add("/page", "<html><body><p>x</p></body></html>")
        with pytest.raises(ImportFailure, match="resolves to 127.0.0.1, a private, loopback or reserved address"):
            url_fetch(url=url)
        assert server.requests == []  # nothing was sent
    finally:
        server.close()


@pytest.mark.parametrize(
    "address",
    ["10.1.2.3", "192.168.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "[::1]", "[fd00::1]", "240.0.0.1"],
)
def test_private_link_local_and_reserved_refused(settings, address):
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = False
    with pytest.raises(ImportFailure, match="fetching it is refused"):
        url_fetch(url=f"http://{address}/latest/meta-data/")


@pytest.mark.parametrize(
    "address, carried",
    [
        ("64:ff9b::a00:1", "NAT64, carrying 10.0.0.1"),
        ("64:ff9b::a9fe:a9fe", "NAT64, carrying 169.254.169.254"),
        ("2002:7f00:1::", "6to4, carrying 127.0.0.1"),
        ("::ffff:0:7f00:1", "IPv4-translated, carrying 127.0.0.1"),
        ("::ffff:127.0.0.1", "IPv4-mapped, carrying 127.0.0.1"),
        ("::a00:1", "IPv4-compatible, carrying 10.0.0.1"),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo, carrying 127.0.0.1"),
    ],
)
def test_ipv6_addresses_carrying_a_refused_ipv4_address_are_refused(settings, address, carried):
    from articles.importing.fetch import url_check

    settings.FETCH_ALLOW_PRIVATE_NETWORKS = False
    with pytest.raises(ImportFailure, match=rf"\({carried}\), a private, loopback or reserved address"):
        url_check(f"http://[{address}]/latest/meta-data/")


def test_the_local_use_nat64_prefix_is_refused(settings):
    from articles.importing.fetch import url_check

    settings.FETCH_ALLOW_PRIVATE_NETWORKS = False
    with pytest.raises(ImportFailure, match="fetching it is refused"):
        url_check("http://[64:ff9b:1::5db8:d822]/news")


def test_public_addresses_pass_the_guard(settings):
    from articles.importing.fetch import url_check

    settings.FETCH_ALLOW_PRIVATE_NETWORKS = False
    for url in (
        "http://93.184.216.34/news",
        "https://[2606:4700::1111]/feed.xml",
        "http://[64:ff9b::5db8:d822]/news",  # a public IPv4 site behind NAT64 (DNS64 networks)
        "http://[2002:5db8:d822::1]/news",  # 6to4 of a public IPv4 address
        "http://[::ffff:93.184.216.34]/news",
    ):
        url_check(url)  # literal addresses resolve offline; nothing is sent


def test_an_allowed_network_is_allowed_behind_nat64(settings):
    from articles.importing.fetch import url_check

    settings.FETCH_ALLOW_PRIVATE_NETWORKS = False
    settings.FETCH_ALLOWED_NETWORKS = ["10.1.2.0/24"]
    url_check("http://[64:ff9b::a01:203]/feed.xml")  # 10.1.2.3
    with pytest.raises(ImportFailure, match="carrying 10.1.3.3"):
        url_check("http://[64:ff9b::a01:303]/feed.xml")


@pytest.mark.django_db
def test_redirect_to_loopback_refused_when_the_guard_is_on(settings):
    """A site allowed by FETCH_ALLOWED_NETWORKS (127.0.0.2) redirects to 127.0.0.1: refused, nothing fetched."""
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = False
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    inside, outside = NewsServer(host="127.0.0.1"), NewsServer(host="127.0.0.2")
    try:
        inside.add_fixture(ALARABY_PATH, "alaraby.html")
        outside.add_fixture("/allowed", "alaraby.html")
        redirecting = outside.redirect("/go", inside.url(ALARABY_PATH))
        # The allowed site itself is fetched…
        assert url_fetch(url=outside.url("/allowed")).status == 200
        # …but its redirect to a loopback address is not followed.
        result = url_import(url=redirecting)
        assert result.failed
        assert "127.0.0.1" in result.error and "refused" in result.error
        assert inside.requests == []
        assert Article.objects.count() == 0
    finally:
        inside.close()
        outside.close()


def test_redirects_are_followed_and_checked(news):
    news.add_fixture(ALARABY_PATH, "alaraby.html")
    news.redirect("/short/1", "/r/2", status=301)
    news.redirect("/r/2", ALARABY_PATH, status=307)
    page = url_fetch(url=news.url("/short/1"))
    assert page.url == news.url(ALARABY_PATH)
    assert "التقى رئيس الاستخبارات" in page.text()


def test_a_clear_user_agent_is_sent(news, settings):
    url = news.add_fixture(ALARABY_PATH, "alaraby.html")
    url_fetch(url=url)
    assert news.requests[0][1]["User-Agent"] == settings.FETCH_USER_AGENT
    assert settings.FETCH_USER_AGENT.startswith("ArabicNewsReader/")


# --- The admin pages: "Add from URL" and "Upload files" --------------------------


@pytest.mark.django_db
def test_article_list_links_to_both_import_pages(admin_client):
    page = admin_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert reverse("admin:articles_article_import_url") in page and "Add from URL" in page
    assert reverse("admin:articles_article_upload") in page and "Upload files" in page


PORTAL_PATH = "/news/2025/11/01/fidan-hamas"


@pytest.mark.django_db
def test_add_from_url_queues_for_the_worker_and_reports_each_address(
    news, admin_client, admin_user, django_capture_on_commit_callbacks
):
    from articles.models import UrlImport

    first = news.add_fixture(ALARABY_PATH, "alaraby.html")
    bad = news.url("/gone")
    second = news.add_fixture(PORTAL_PATH, "portal.html")
    with django_capture_on_commit_callbacks() as queued:
        response = admin_client.post(
            reverse("admin:articles_article_import_url"), {"urls": f"{first}\n\n{bad}\n{second}\n"}
        )
    # The request fetched nothing: it queued one task per address and went to their progress page.
    assert news.requests == []
    assert len(queued) == 3
    progress_url = response["Location"]
    assert response.status_code == 302
    assert progress_url == reverse(
        "admin:articles_article_import_url_progress", kwargs={"batch": UrlImport.objects.first().batch}
    )
    waiting = admin_client.get(progress_url).content.decode()
    assert "3 addresses are still to be fetched by the task worker" in waiting
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert waiting.count('class="result-queued"') == 3

    for task in queued:  # what the task worker does
        task()

    page = admin_client.get(progress_url).content.decode()
    assert "2 created, 0 updated, 0 unchanged, 1 failed" in page
    assert "still to be fetched" not in page and 'http-equiv="refresh"' not in page
    assert f"{bad} answered 404 Not Found" in page
    # In the order pasted, each with its outcome.
    assert [row.status for row in UrlImport.objects.order_by("position")] == ["created", "failed", "created"]
    assert page.index(first) < page.index(bad) < page.index(second)
    for article in Article.objects.all():
        assert article.status == Article.Status.DRAFT
        assert reverse("admin:articles_article_change", args=[article.pk]) in page
        # The history says who brought it in.
        history = admin_client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
        assert admin_user.username in history and "Added" in history

    with django_capture_on_commit_callbacks(execute=True):
        again = admin_client.post(reverse("admin:articles_article_import_url"), {"urls": first})
    assert "0 created, 0 updated, 1 unchanged, 0 failed" in admin_client.get(again["Location"]).content.decode()
    assert Article.objects.count() == 2
    # Every address asked for is listed in the admin, with its outcome.
    history = admin_client.get(reverse("admin:articles_urlimport_changelist")).content.decode()
    assert history.count(f'<bdi dir="ltr">{first}</bdi>') == 2 and f"{bad} answered 404 Not Found" in history


@pytest.mark.django_db
def test_a_slow_address_never_holds_the_admin_request(news, admin_client, settings, django_capture_on_commit_callbacks):
    settings.FETCH_TIMEOUT = 1
    slow = news.add("/slow", hang=True)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = admin_client.post(reverse("admin:articles_article_import_url"), {"urls": f"{slow}\n{slow}?2"})
    assert response.status_code == 302 and news.requests == []  # the request only queued them
    queued[0]()
    page = admin_client.get(response["Location"]).content.decode()
    assert f"{slow} timed out: no complete answer within 1 s" in page
    assert "1 address is still to be fetched" in page


@pytest.mark.django_db
def test_a_finished_address_is_not_fetched_again_when_its_task_runs_twice(news, admin_client):
    from articles.importing.tasks import import_queued_url
    from articles.models import UrlImport

    url = news.add_fixture(ALARABY_PATH, "alaraby.html")
    admin_client.post(reverse("admin:articles_article_import_url"), {"urls": url})
    row = UrlImport.objects.get()
    import_queued_url.call(row.pk)
    assert import_queued_url.call(row.pk) == {"skipped": "the address is gone or already imported"}
    assert news.downloads(ALARABY_PATH) == 1


@pytest.mark.django_db
def test_progress_page_in_arabic(news, admin_client, django_capture_on_commit_callbacks):
    url = news.add_fixture(ALARABY_PATH, "alaraby.html")
    with django_capture_on_commit_callbacks() as queued:
        response = admin_client.post(reverse("admin:articles_article_import_url"), {"urls": f"{url}\n{url}?b"})
    waiting = admin_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in waiting
    assert "عنوانان (2) ما زالا ينتظران أن يجلبهما عامل المهام" in waiting and "في الانتظار" in waiting
    for task in queued:
        task()
    done = admin_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "أُنشئ" in done and "دون تغيير" in done and "ينتظر" not in done


@pytest.mark.django_db
def test_unknown_submission_is_not_found(admin_client):
    import uuid

    url = reverse("admin:articles_article_import_url_progress", kwargs={"batch": uuid.uuid4()})
    assert admin_client.get(url).status_code == 404


@pytest.mark.django_db
def test_add_from_url_refuses_what_is_not_an_address(admin_client, settings):
    settings.FETCH_ADMIN_MAX_URLS = 2
    url = reverse("admin:articles_article_import_url")
    page = admin_client.post(url, {"urls": "javascript:alert(1)"}).content.decode()
    assert "Not an http or https address: javascript:alert(1)" in page
    page = admin_client.post(url, {"urls": "http://a.example/1\nhttp://a.example/2\nhttp://a.example/3"})
    assert "At most 2 addresses at a time." in page.content.decode()
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_upload_imports_each_file_with_its_report(admin_client, seed_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [
        SimpleUploadedFile(seed_path.name, seed_path.read_bytes(), content_type="text/plain"),
        SimpleUploadedFile("empty.txt", b"  \n", content_type="text/plain"),
        SimpleUploadedFile("latin1.txt", "Titre\n\ncaf\xe9".encode("latin-1"), content_type="text/plain"),
    ]
    response = admin_client.post(reverse("admin:articles_article_upload"), {"files": files, "format": "auto"})
    page = response.content.decode()
    assert "1 created, 0 updated, 0 unchanged, 2 failed" in page
    assert "file is empty" in page
    assert "file is not UTF-8 text (byte 0xe9 at offset 10)" in page
    article = Article.objects.get()
    # Keyed and shaped as import_articles would: the seed's page shape was read.
    assert article.source_id == seed_path.stem and article.section == "سياسة"
    assert article.paragraphs.count() == 4

    settings.IMPORT_MAX_BYTES = 100
    big = SimpleUploadedFile("big.txt", b"x" * 101)
    page = admin_client.post(reverse("admin:articles_article_upload"), {"files": [big]}).content.decode()
    assert "file is too large: 101 bytes, the limit is 100 bytes" in page


@pytest.mark.django_db
def test_an_uploaded_json_file_of_hostile_json_is_reported_not_a_500(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [
        SimpleUploadedFile("digits.json", b'{"title": ' + b"9" * 100_000 + b"}", content_type="application/json"),
        SimpleUploadedFile("deep.json", b"[" * 50_000, content_type="application/json"),
        SimpleUploadedFile("surrogate.json", b'{"title": "\\ud800", "paragraphs": ["x"]}'),
    ]
    response = admin_client.post(reverse("admin:articles_article_upload"), {"files": files, "format": "auto"})
    page = response.content.decode()
    assert response.status_code == 200 and "0 created, 0 updated, 0 unchanged, 3 failed" in page
    assert "a number has 100,000 digits; at most 100 are accepted" in page
    assert "nested too deeply" in page and "U+D800, a lone surrogate" in page
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_upload_good_bad_good_tries_and_reports_every_file(admin_client, seed_path):
    """One bad file never stops the others: whatever goes wrong with it is its own line of the report."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    plain = "خبر ثان من الوكالة\n\nقال المتحدث باسم الوزارة إن الاجتماع سيعقد في القاهرة الأسبوع المقبل."

    def good(name, data):
        return SimpleUploadedFile(name, data, content_type="text/plain")

    files = [
        good(seed_path.name, seed_path.read_bytes()),
        # A number of 100,000 digits: more than Python will turn into an int.
        SimpleUploadedFile("huge-number.json", b'{"title": "x", "paragraphs": [' + b"9" * 100_000 + b"]}"),
        good("second.txt", plain.encode("utf-8")),
    ]
    response = admin_client.post(reverse("admin:articles_article_upload"), {"files": files, "format": "auto"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 created, 0 updated, 0 unchanged, 1 failed" in page
    assert page.count('class="result-created"') == 2 and page.count('class="result-failed"') == 1
    failed_row = page[page.index('class="result-failed"') :]
    assert "huge-number.json" in failed_row[: failed_row.index("</tr>")]
    assert sorted(Article.objects.values_list("source_id", flat=True)) == sorted([seed_path.stem, "second"])

    again_files = [good(seed_path.name, seed_path.read_bytes()), good("second.txt", plain.encode("utf-8"))]
    again = admin_client.post(reverse("admin:articles_article_upload"), {"files": again_files})
    assert "0 created, 0 updated, 2 unchanged, 0 failed" in again.content.decode()


@pytest.mark.django_db
def test_an_upload_with_a_name_too_long_for_a_source_id_is_refused_as_the_command_line_does(
    admin_client, seed_path, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.importing import file_import

    name = "x" * 239 + ".txt"  # 243 characters
    on_disk = tmp_path / name
    on_disk.write_bytes(seed_path.read_bytes())
    reason = file_import(path=on_disk).error
    assert reason == "source_id: the file name gives 239 characters; at most 200"

    upload = SimpleUploadedFile(name, seed_path.read_bytes(), content_type="text/plain")
    page = admin_client.post(reverse("admin:articles_article_upload"), {"files": [upload]}).content.decode()
    assert "0 created, 0 updated, 0 unchanged, 1 failed" in page
    assert reason in page
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_editors_cannot_import(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:articles_article_import_url")).status_code == 403
    assert client.get(reverse("admin:articles_article_upload")).status_code == 403
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Add from URL" not in page


# --- In a browser --------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en-US", "ar"])
def test_add_from_url_in_the_admin_browser(browser, live_server, transactional_db, news, django_user_model, locale):
    """The form queues the address; its progress page shows the outcome (the tests' task backend runs
    tasks at once), reloads by itself while an address waits for the worker, and breaks no CSP rule."""
    from articles.importing.url_queue import url_import_run
    from articles.models import UrlImport
    from tests.browser import screenshot
    from tests.test_browser import csp_page, violations

    curator = django_user_model.objects.create_superuser(username="curator", password="pw")
    url = news.add_fixture(ALARABY_PATH, "alaraby.html")
    tag = "en" if locale == "en-US" else "ar"
    for width in (1280, 390):
        context, page = csp_page(browser, width=width, language=locale)
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", "curator")
        page.fill("#id_password", "pw")
        page.locator("input[type=submit]").click()
        page.goto(live_server.url + reverse("admin:articles_article_changelist"))
        page.locator(f"a[href='{reverse('admin:articles_article_import_url')}']").click()
        assert page.locator("html").get_attribute("dir") == ("rtl" if tag == "ar" else "ltr")
        page.fill("#id_urls", url + "?utm_source=browser")
        # Drafts by default, as every other way in: nothing to tick (issue 23).
        assert not page.locator("#id_publish").is_checked()
        screenshot(page, f"web-import-form-{tag}-{width}")
        page.locator(".submit-row input[type=submit]").click()
        page.wait_for_url("**/import-url/*/")
        report = page.locator(".import-report")
        report.wait_for()
        article = Article.objects.get()
        link = report.locator(f"a[href='{reverse('admin:articles_article_change', args=[article.pk])}']")
        assert link.inner_text() == article.title
        expected = "created" if width == 1280 else "unchanged"
        assert report.locator(f"tr.result-{expected}").count() == 1
        assert page.locator("html").get_attribute("dir") == ("rtl" if tag == "ar" else "ltr")
        # The report fits the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        assert violations(page) == []
        screenshot(page, f"web-import-report-{tag}-{width}")
        context.close()
    assert Article.objects.get().status == Article.Status.DRAFT

    # An address still waiting for the worker: the page says so and reloads until it is done.
    waiting = UrlImport.objects.create(url=url, requested_by=curator)
    context, page = csp_page(browser, width=1280, language=locale)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "curator")
    page.fill("#id_password", "pw")
    page.locator("input[type=submit]").click()
    page.goto(live_server.url + reverse("admin:articles_article_import_url_progress", kwargs={"batch": waiting.batch}))
    assert page.locator("tr.result-queued").count() == 1
    assert page.locator(".import-pending").is_visible()
    screenshot(page, f"web-import-waiting-{tag}")
    url_import_run(url_import_id=waiting.pk)  # what the worker does
    page.locator("tr.result-unchanged").wait_for(timeout=10_000)
    assert page.locator(".import-pending").count() == 0
    assert violations(page) == []
    context.close()


@pytest.mark.django_db
def test_page_in_windows_1256_declared_only_in_its_meta_tag(news):
    html = (FIXTURES / "alaraby.html").read_text(encoding="utf-8").replace("&nbsp;", " ")
    html = html.replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
    )
    html = html.replace("{base}", news.base)
    news.add(ALARABY_PATH, html.encode("cp1256", errors="xmlcharrefreplace"), content_type="text/html")
    article = url_import(url=news.url(ALARABY_PATH)).article
    assert article.title == 'رئيس الاستخبارات التركية يلتقي وفد "حماس" في إسطنبول'
    assert article.paragraphs.get(position=1).text == SEED_BODY[0]


@pytest.mark.django_db
def test_changed_page_never_silently_replaces_an_admin_edit(news):
    from articles.services import article_text_changed, article_texts

    url = news.add_fixture(ALARABY_PATH, "alaraby.html")
    article = url_import(url=url).article
    before = article_texts(article)
    paragraph = article.paragraphs.get(position=2)
    paragraph.text = "فقرة صحّحها محرر."
    paragraph.save()
    article_text_changed(article=article, before=before, by_editor=True)
    news.add(ALARABY_PATH, (FIXTURES / "alaraby.html").read_text(encoding="utf-8").replace("اليوم الأربعاء", "أمس"))

    refused = url_import(url=url)
    assert refused.failed and "edited in the admin" in refused.error
    assert article.paragraphs.get(position=2).text == "فقرة صحّحها محرر."

    assert url_import(url=url, overwrite_edits=True).action == "updated"
    assert article.paragraphs.get(position=2).text == SEED_BODY[1]


def test_a_name_that_resolves_again_to_a_private_address_is_refused(settings, monkeypatch):
    """DNS rebinding: the name resolves to an allowed address when checked, then to loopback when connecting."""
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = False
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    server = NewsServer(host="127.0.0.1")
    real = socket.getaddrinfo
    answers = iter(["127.0.0.2", "127.0.0.1", "127.0.0.1", "127.0.0.1"])

    def rebinding_dns(host, port, *args, **kwargs):
        # A resolver that gives the checked name another address each time.
        return real(next(answers) if host == "news.rebind.test" else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    try:
        server.add("/page", "<html><body><p>x</p></body></html>")
        with pytest.raises(ImportFailure, match="resolves to 127.0.0.1, a private, loopback or reserved address"):
            url_fetch(url=f"http://news.rebind.test:{server.httpd.server_address[1]}/page")
        assert server.requests == []  # nothing was sent
    finally:
        server.close()


@pytest.mark.django_db
def test_category_and_dateline_come_from_structured_data_or_a_marked_dateline(news):
    """Other shapes of the same facts: a JSON-LD BreadcrumbList and locationCreated; an element
    marked as the dateline; never a long breadcrumb item (a headline) taken for a city."""
    from articles.importing.web import category_and_dateline

    def read(body, head=""):
        import lxml.html

        tree = lxml.html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
        return category_and_dateline(tree, title="عنوان المقال")

    structured = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "BreadcrumbList", "itemListElement": ['
        '{"@type": "ListItem", "position": 2, "item": {"name": "أخبار"}},'
        '{"@type": "ListItem", "position": 1, "name": "الرئيسية"}]},'
        '{"@type": "NewsArticle", "locationCreated": {"@type": "Place", "name": "حلب"}}]}</script>'
    )
    assert read("<p>نص</p>", structured) == ("أخبار", "حلب")
    assert read('<span class="article-dateline">حلب</span>') == ("", "حلب")
    assert read(
        '<nav aria-label="breadcrumb"><a href="/">الرئيسية</a> <a href="/n">أخبار</a> <span>حلب</span></nav>'
    ) == (
        "أخبار",
        "حلب",
    )
    long_tail = '<ol class="breadcrumbs"><li><a href="/n">أخبار</a></li><li>وزير الخارجية يزور دمشق غدا</li></ol>'
    assert read(long_tail) == ("أخبار", "")
    assert read('<div class="breadcrumb"><span>عنوان المقال</span></div>') == ("", "")


def test_hostile_structured_data_is_skipped_and_the_page_still_reads(news):
    """JSON-LD comes from any page: 200,000 nested brackets raised RecursionError out of the import
    (and out of a whole feed's run, at every run); a lone surrogate or a NUL in a breadcrumb reached
    the article. Such a block is skipped; the rest of the page is read as usual."""
    import lxml.html

    from articles.importing.web import category_and_dateline

    def read(head):
        tree = lxml.html.fromstring(f"<html><head>{head}</head><body><p>نص</p></body></html>")
        return category_and_dateline(tree, title="عنوان المقال")

    def ld(text):
        return f'<script type="application/ld+json">{text}</script>'

    good = ld('{"@type": "NewsArticle", "locationCreated": {"name": "حلب"}}')
    assert read(ld("[" * 200_000) + good) == ("", "حلب")
    surrogate = '{"@type": "BreadcrumbList", "itemListElement": [{"position": 2, "name": "\\ud800"}]}'
    assert read(ld(surrogate) + good) == ("", "حلب")
    assert read(ld('{"@type": "NewsArticle", "locationCreated": {"name": "a\\u0000b"}}')) == ("", "")


@pytest.mark.parametrize("hanging", ["the first lookup", "the connection's lookup"])
def test_a_name_whose_lookup_hangs_is_cut_at_the_deadline(settings, monkeypatch, hanging):
    """The system's resolver takes no timeout: a lookup that hangs, before the request or when
    connecting, ends with the fetch's deadline, not the resolver's."""
    settings.FETCH_TIMEOUT = 0.5
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = True
    server = NewsServer(host="127.0.0.1")
    real = socket.getaddrinfo
    lookups = []

    def hanging_dns(host, port, *args, **kwargs):
        if host == "news.slow-dns.test":
            lookups.append(host)
            if hanging == "the first lookup" or len(lookups) > 1:
                time.sleep(5)
            host = "127.0.0.1"
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging_dns)
    url = f"http://news.slow-dns.test:{server.httpd.server_address[1]}/page"
    try:
        server.add("/page", "<html><body><p>x</p></body></html>")
        started = time.monotonic()
        with pytest.raises(ImportFailure, match="timed out: no complete answer within 0.5 s"):
            url_fetch(url=url)
        assert time.monotonic() - started < 2  # the deadline, with room for a busy machine; in full, 5 s
        assert len(lookups) == (1 if hanging == "the first lookup" else 2)
        assert server.requests == []
    finally:
        server.close()


def _resolving(monkeypatch, name, addresses):
    """The resolver answers `addresses`, in order, for `name` (and as usual for any other)."""
    real = socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        if host != name:
            return real(host, port, *args, **kwargs)
        return [info for address in addresses for info in real(address, port, *args, **kwargs)]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)


def test_a_name_with_an_address_that_refuses_is_fetched_from_the_next(settings, monkeypatch):
    """The connection goes to the checked addresses in turn, as the resolver gave them, and the
    request still names the host."""
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = True
    server = NewsServer(host="127.0.0.1")
    _resolving(monkeypatch, "news.two.test", ["127.0.0.3", "127.0.0.1"])  # nothing listens on the first
    try:
        server.add("/page", "<html><body><p>x</p></body></html>")
        port = server.httpd.server_address[1]
        page = url_fetch(url=f"http://news.two.test:{port}/page")
        assert page.status == 200
        assert [headers["Host"] for _, headers in server.requests] == [f"news.two.test:{port}"]
    finally:
        server.close()


def test_a_tls_connection_to_a_checked_address_still_names_the_host(settings, monkeypatch):
    """The connection is made to an address, but TLS names the host (SNI): a server with many
    sites answers with the right one, and the certificate is checked against the name."""
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = True
    listener = socket.create_server(("127.0.0.1", 0))
    received = []

    def hello():
        with contextlib.suppress(OSError):
            connection, _ = listener.accept()
            with connection:
                received.append(connection.recv(65536))  # the ClientHello, then hang up

    thread = threading.Thread(target=hello, daemon=True)
    thread.start()
    _resolving(monkeypatch, "news.sni.test", ["127.0.0.1"])
    try:
        with pytest.raises(ImportFailure):
            url_fetch(url=f"https://news.sni.test:{listener.getsockname()[1]}/page")
        thread.join(5)
        assert received and b"news.sni.test" in received[0]
    finally:
        listener.close()
