import re

import pytest
from django.urls import reverse

from articles.models import Article
from tests.admin_forms import article_change_data


@pytest.fixture
def admin_client_ar(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ar"
    return admin_client


def changelist(client, **params):
    return client.get(reverse("admin:articles_article_changelist"), params)


def test_search_ignores_diacritics_and_alef_forms(admin_client, make_article, seed_article):
    make_article(title="خبر لا علاقة له", paragraphs=["نص آخر."])
    # "اسطنبول" without hamza, "خليل الحيه" with ha for ta marbuta, and
    # a diacritised "حَمَاس" all find the seed.
    for query in ["اسطنبول", "خليل الحيه", "حَمَاس", "000_f43ac9"]:
        result = changelist(admin_client, q=query).context["cl"].result_list
        assert [a.pk for a in result] == [seed_article.pk], query


def test_filters_by_section_and_status(admin_client, make_article):
    make_article(title="أ", section="سياسة")
    make_article(title="ب", section="اقتصاد", status=Article.Status.DRAFT)
    assert [a.title for a in changelist(admin_client, section="اقتصاد").context["cl"].result_list] == ["ب"]
    assert [a.title for a in changelist(admin_client, status="published").context["cl"].result_list] == ["أ"]


def test_publish_and_unpublish_actions(admin_client, make_article):
    article = make_article(status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_changelist")
    admin_client.post(url, {"action": "publish", "_selected_action": [article.pk]})
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    admin_client.post(url, {"action": "unpublish", "_selected_action": [article.pk]})
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_change_page_shows_paragraphs_and_related_inline(admin_client, seed_article):
    page = admin_client.get(reverse("admin:articles_article_change", args=[seed_article.pk])).content.decode()
    assert "التقى رئيس الاستخبارات" in page
    assert "فيدان عقب اجتماع عربي إسلامي" in page


def test_admin_renders_rtl_in_arabic(admin_client_ar):
    page = admin_client_ar.get(reverse("admin:index")).content.decode()
    assert 'dir="rtl"' in page
    assert 'lang="ar"' in page


def test_editing_a_paragraph_in_admin_updates_search(admin_client, seed_article):
    data = article_change_data(admin_client, seed_article)
    data["paragraphs-0-text"] = "نص جديد عن مدينة طرابلس."
    response = admin_client.post(reverse("admin:articles_article_change", args=[seed_article.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    result = changelist(admin_client, q="طرابلس").context["cl"].result_list
    assert [a.pk for a in result] == [seed_article.pk]


def test_editor_corrects_a_translation_in_admin(admin_client, admin_user, seed_article, libre, client):
    from django.core.management import call_command

    from articles.models import Translation

    libre()
    call_command("translate_articles", seed_article.slug, verbosity=0)
    segment = Translation.objects.get(paragraph__article=seed_article, paragraph__position=1)
    url = reverse("admin:articles_translation_change", args=[segment.pk])
    page = admin_client.get(url).content.decode()
    assert "التقى رئيس الاستخبارات" in page  # the source, shown for reference

    response = admin_client.post(url, {"text": "The head of Turkish intelligence met a Hamas delegation."})
    assert response.status_code == 302
    segment.refresh_from_db()
    assert segment.text == "The head of Turkish intelligence met a Hamas delegation."
    assert segment.reviewed_by == admin_user and segment.reviewed_at is not None

    listing = changelist(admin_client)
    row = listing.context["cl"].result_list[0]
    assert (row.segments_done, row.segments_failed, row.segments_waiting, row.segments_reviewed) == (10, 0, 0, 1)
    assert "10 of 10 segments translated · 1 reviewed" in listing.content.decode()

    reader = client.get(seed_article.get_absolute_url()).content.decode()
    assert "The head of Turkish intelligence met a Hamas delegation." in reader
    assert "Reviewed by an editor" in reader


def test_requeue_action_retries_failed_segments(admin_client, seed_article, libre, django_capture_on_commit_callbacks):
    from django.core.management import CommandError, call_command

    from articles.models import Translation

    libre("error500", timeout=1)
    with pytest.raises(CommandError):
        call_command("translate_articles", seed_article.slug, verbosity=0)
    server = libre()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "requeue_translation", "_selected_action": [seed_article.pk]},
        )
    assert len(server.requests) == 1
    assert set(Translation.objects.values_list("status", flat=True)) == {"done"}


def test_reimport_never_silently_overwrites_an_admins_edit(admin_client, seed_article, tmp_seed_copy):
    from django.core.management import CommandError, call_command

    from articles.importing import file_import

    data = article_change_data(admin_client, seed_article)
    data["paragraphs-1-text"] = "نص صححه المحرر."
    assert admin_client.post(reverse("admin:articles_article_change", args=[seed_article.pk]), data).status_code == 302

    # The same file again: nothing to do, the edit stays.
    assert file_import(path=tmp_seed_copy).action == "unchanged"
    # A changed file: refused with the reason, nothing written.
    text = tmp_seed_copy.read_text(encoding="utf-8").replace("واستضافت تركيا", "واستضافت أنقرة")
    tmp_seed_copy.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="1 failed"):
        call_command("import_articles", str(tmp_seed_copy), verbosity=0)
    assert seed_article.paragraphs.get(position=2).text == "نص صححه المحرر."
    assert "واستضافت تركيا" in seed_article.paragraphs.get(position=4).text
    result = file_import(path=tmp_seed_copy)
    assert result.failed and "edited in the admin" in result.error and "--overwrite-edits" in result.error

    call_command("import_articles", str(tmp_seed_copy), "--overwrite-edits", verbosity=0)
    assert seed_article.paragraphs.get(position=2).text.startswith("كما أكد وفد")
    assert "واستضافت أنقرة" in seed_article.paragraphs.get(position=4).text


def test_publishing_from_the_change_form_is_not_an_edit(admin_client, seed_article):
    data = article_change_data(admin_client, seed_article)
    data["status"] = "draft"
    admin_client.post(reverse("admin:articles_article_change", args=[seed_article.pk]), data)
    seed_article.refresh_from_db()
    assert seed_article.status == "draft" and seed_article.edited_at is None


def test_status_only_save_queues_no_work(admin_client, seed_article, django_capture_on_commit_callbacks):
    data = article_change_data(admin_client, seed_article)
    data["status"] = "draft"
    with django_capture_on_commit_callbacks() as callbacks:
        admin_client.post(reverse("admin:articles_article_change", args=[seed_article.pk]), data)
    assert callbacks == []  # no translation or recognition re-queued
    data["title"] = seed_article.title + " (مُحدَّث)"
    with django_capture_on_commit_callbacks() as callbacks:
        admin_client.post(reverse("admin:articles_article_change", args=[seed_article.pk]), data)
    assert len(callbacks) == 2


def test_list_says_translation_and_recognition_progress_in_words_and_filters_by_them(admin_client, make_article):
    from articles.models import Mention, Translation

    failing = make_article(title="خبر لم تكتمل ترجمته", paragraphs=["فقرة أولى.", "فقرة ثانية."])
    done = make_article(title="خبر مترجم")
    untouched = make_article(title="خبر بلا ترجمة")
    Translation.objects.filter(article=untouched).delete()
    Translation.objects.filter(article=done).update(status=Translation.Status.DONE, text="done")
    rows = Translation.objects.filter(article=failing).order_by("pk")
    Translation.objects.filter(pk=rows[0].pk).update(status=Translation.Status.FAILED, error="offline")
    Translation.objects.filter(pk=rows[1].pk).update(status=Translation.Status.DONE, text="done")
    Mention.objects.create(
        article=done,
        paragraph=done.paragraphs.get(),
        start=0,
        end=4,
        text="فقرة",
        label="MISC",
        source=Mention.Source.GAZETTEER,
    )
    total = Translation.objects.filter(article=failing).count()

    page = changelist(admin_client).content.decode()
    assert f"1 of {total} segments translated · 1 failed · {total - 2} waiting" in page
    assert "not translated: nothing queued" in page
    assert "1 entity · 1 to review" in page

    def titles(**params):
        return {a.title for a in changelist(admin_client, **params).context["cl"].result_list}

    assert titles(translation="failed") == {failing.title}
    assert titles(translation="none") == {untouched.title}
    assert titles(translation="done") == {done.title}
    assert titles(entities="review") == {done.title}
    # The translation column sorts by state.
    by_state = [a.title for a in changelist(admin_client, o="5").context["cl"].result_list]
    assert by_state == [done.title, failing.title, untouched.title]


def test_change_page_labels_paragraphs_by_number_and_gives_arabic_fields_their_direction(admin_client, seed_article):
    page = admin_client.get(reverse("admin:articles_article_change", args=[seed_article.pk])).content.decode()
    assert "#1" not in page.replace("#annotate", "")  # no "12#1" style labels
    assert re.search(r'<b>Paragraph:</b> <span class="inline_label">1\s*</span>', page)
    assert 'name="paragraphs-0-text"' in page
    textarea = page[page.index("<textarea", page.index('name="paragraphs-0-text"') - 200) :]
    textarea = textarea[: textarea.index(">")]
    assert 'dir="rtl"' in textarea and 'lang="ar"' in textarea
    assert 'name="tags"' in page and '<textarea name="tags"' not in page


def test_tags_are_typed_as_words_separated_by_commas_latin_or_arabic(admin_client, seed_article):
    data = article_change_data(admin_client, seed_article)
    data["tags"] = "تركيا، حماس , غزة,,تركيا"
    response = admin_client.post(reverse("admin:articles_article_change", args=[seed_article.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    seed_article.refresh_from_db()
    assert seed_article.tags == ["تركيا", "حماس", "غزة"]
    page = admin_client.get(reverse("admin:articles_article_change", args=[seed_article.pk])).content.decode()
    assert 'value="تركيا، حماس، غزة"' in page
    assert "<li><bdi>حماس</bdi></li>" in page


def test_annotation_summaries_isolate_the_quote_so_its_guillemets_point_outwards():
    from articles.models import Annotation

    # The admin's messages and history name an annotation by this, inside English or Arabic sentences.
    assert str(Annotation(kind="gloss", exact="قالن")) == "Gloss \u2068«قالن»\u2069"


def test_reader_notes_isolate_quote_kind_and_body(client, seed_article, admin_user):
    from articles.annotations.services import annotation_create

    annotation_create(
        article=seed_article,
        user=admin_user,
        kind="note",
        paragraph=seed_article.paragraphs.get(position=1),
        quote="إبراهيم قالن",
        body="Turkey's intelligence chief since 2023.",
        visibility="public",
    )
    page = client.get(seed_article.get_absolute_url()).content.decode()
    assert '<bdi class="note-quote" lang="ar" dir="rtl">«إبراهيم قالن»</bdi>' in page
    assert '<bdi class="note-body" dir="auto">' in page and '<bdi class="note-kind"' in page


# --- Every admin search is bounded (issue 19) ------------------------------------


def test_every_admin_search_takes_a_thousand_words(admin_client, seed_article):
    """A thousand one-letter words were a thousand clauses: SQLite's "Expression tree is too large", a 500,
    on Feeds, Users and Groups. Every registered admin with a search box is searched here."""
    from django.contrib import admin

    from articles.admin.search import BoundedSearchMixin

    searched = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.get_search_fields(None):
            continue
        assert isinstance(model_admin, BoundedSearchMixin), model
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = admin_client.get(url, {"q": " ".join("abcdefghij"[i % 10] for i in range(1_000))})
        assert response.status_code == 200, model
        searched.append(model._meta.label)
    assert {"articles.Feed", "auth.User", "auth.Group", "articles.Entity", "articles.Article"} <= set(searched)
    # Re-registered with the bound, Django's user and group admins still search as they did.
    users = admin_client.get(reverse("admin:auth_user_changelist"), {"q": "admin"}).context["cl"].result_list
    assert [user.username for user in users] == ["admin"]


# --- Issue 23: one site name, Arabic wording, a favicon, the list on a phone ---------------


def test_one_site_name_in_the_admin_and_on_the_public_pages(client, admin_client):
    english = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span lang="ar" dir="rtl">قارئ الأخبار</span> · Arabic News Reader' in english
    public = client.get(reverse("articles:list")).content.decode()
    assert "قارئ الأخبار" in public and "Arabic News Reader" in public
    arabic = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "<title>إدارة الموقع | قارئ الأخبار</title>" in arabic
    assert "قارئ الأخبار العربية" not in arabic


def test_the_arabic_admin_names_every_app_and_model_in_arabic(admin_client_ar):
    page = admin_client_ar.get(reverse("admin:index")).content.decode()
    for english in ("Tasks Database Backend", "Task Results", "Axes", "موجز"):
        assert english not in page, english
    for arabic in ("المهام في الخلفية", "نتائج المهام", "حظر الدخول", "الخلاصات"):
        assert arabic in page, arabic


def test_favicon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.ico")
    assert 'rel="icon"' in client.get(reverse("articles:list")).content.decode()


def test_titles_in_the_list_are_arabic_right_to_left(admin_client, seed_article):
    page = changelist(admin_client).content.decode().replace("&quot;", '"')
    assert f'<span class="arabic-title" lang="ar" dir="rtl">{seed_article.title}</span>' in page


def test_uploads_are_drafts_unless_published(admin_client, seed_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("seed.txt", seed_path.read_bytes())
    admin_client.post(reverse("admin:articles_article_upload"), {"files": [upload], "format": "auto"})
    assert Article.objects.get().status == Article.Status.DRAFT
    Article.objects.all().delete()
    upload = SimpleUploadedFile("seed.txt", seed_path.read_bytes())
    admin_client.post(reverse("admin:articles_article_upload"), {"files": [upload], "format": "auto", "publish": "on"})
    assert Article.objects.get().status == Article.Status.PUBLISHED
