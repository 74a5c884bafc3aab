"""The article text's history (articles/history.py, services.article_version_restore): every
change recorded, the orphans an edit made said at once, and undo bringing them back."""

import pytest
from django.urls import reverse

from articles import history
from articles.annotations.services import annotation_create
from articles.entities.services import mention_add
from articles.models import Annotation, Mention
from articles.services import article_version_restore
from tests.admin_forms import article_change_data

NAME = "خليل الحية"


def edit_first_paragraph(client, article, text):
    data = article_change_data(client, article)
    data["paragraphs-0-text"] = text
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), data, follow=True)


def test_an_import_and_each_edit_are_versions_of_the_text(admin_client, seed_article):
    versions = history.article_versions(article=seed_article)
    assert [v.change for v in versions] == ["imported"]
    p1 = seed_article.paragraphs.get(position=1)
    edit_first_paragraph(admin_client, seed_article, p1.text.replace("التقى", "اجتمع", 1))
    versions = history.article_versions(article=seed_article)
    assert [(v.change, v.changed, v.current) for v in versions] == [("edited", ["¶1"], True), ("imported", [], False)]
    assert versions[0].user.username == "admin"


def test_a_status_change_is_no_version(admin_client, seed_article):
    data = article_change_data(admin_client, seed_article)
    data["status"] = "draft"
    admin_client.post(reverse("admin:articles_article_change", args=[seed_article.pk]), data)
    assert len(history.article_versions(article=seed_article)) == 1


def test_an_article_older_than_its_history_gets_a_first_version_before_its_edit(admin_client, seed_article):
    from reversion.models import Version

    Version.objects.all().delete()  # imported before history was kept
    p1 = seed_article.paragraphs.get(position=1)
    edit_first_paragraph(admin_client, seed_article, p1.text.replace("التقى", "اجتمع", 1))
    versions = history.article_versions(article=seed_article)
    assert [v.change for v in versions] == ["edited", "before"]
    assert history.article_undo_target(article=seed_article) == versions[1].revision_id


def test_an_edit_that_orphans_says_how_many_with_links_and_undo_brings_them_back(admin_client, seed_article, editor):
    p1 = seed_article.paragraphs.get(position=1)
    note = annotation_create(article=seed_article, user=editor, kind="note", paragraph=p1, quote=NAME, body="Hamas")
    start = p1.text.index("إسطنبول")
    decided = mention_add(paragraph=p1, start=start, end=start + 7, label="LOC", user=editor)
    edited = p1.text.replace(NAME, "رئيس الحركة").replace("إسطنبول", "المدينة")

    response = edit_first_paragraph(admin_client, seed_article, edited)
    page = response.content.decode()
    assert "This edit orphaned 2 annotations: their words are no longer in the text." in page
    annotate = reverse("admin:articles_article_annotate", args=[seed_article.pk])
    target = history.article_undo_target(article=seed_article)
    undo = reverse("admin:articles_article_restore", args=[seed_article.pk, target])
    assert f'href="{annotate}#orphans"' in page and f'href="{undo}"' in page
    note.refresh_from_db()
    assert note.anchor == "orphaned" and not Mention.objects.filter(pk=decided.pk).exists()

    confirm = admin_client.get(undo).content.decode()
    assert NAME in confirm and "2 annotations of this article are orphaned now." in confirm
    response = admin_client.post(undo, follow=True)
    page = response.content.decode()
    assert "The earlier text is back." in page
    assert "1 orphaned annotation found its words again." in page
    assert "1 entity decision is back on its words." in page
    p1.refresh_from_db()
    note.refresh_from_db()
    assert NAME in p1.text and note.anchor == "exact" and p1.text[note.start : note.end] == NAME
    back = Mention.objects.get(paragraph=p1, start=start, end=start + 7)
    assert (back.status, back.source, back.decided_by) == ("confirmed", "editor", editor)
    # The stand-in orphan kept for the vanished decision is gone with its return.
    assert not Annotation.objects.filter(anchor="orphaned").exists()
    assert [v.change for v in history.article_versions(article=seed_article)][:2] == ["restored", "edited"]


def test_restore_is_an_edit_like_any_other_removing_added_paragraphs(seed_article, editor, admin_user):
    from articles.models import Paragraph

    first = history.article_versions(article=seed_article)[0].revision_id
    extra = Paragraph.objects.create(article=seed_article, position=99, text="فقرة زائدة.")
    gloss = annotation_create(article=seed_article, user=editor, kind="gloss", paragraph=extra, quote="زائدة", body="x")
    summary = article_version_restore(article=seed_article, revision_id=first, user=admin_user)
    assert not Paragraph.objects.filter(pk=extra.pk).exists()
    gloss.refresh_from_db()
    assert gloss.anchor == "orphaned" and summary.found_again == []
    assert list(seed_article.paragraphs.order_by("position").values_list("position", flat=True)) == [1, 2, 3, 4]


def test_history_page_lists_the_versions_with_undo(admin_client, seed_article):
    p1 = seed_article.paragraphs.get(position=1)
    edit_first_paragraph(admin_client, seed_article, p1.text.replace("التقى", "اجتمع", 1))
    page = admin_client.get(reverse("admin:articles_article_history", args=[seed_article.pk])).content.decode()
    assert "Versions of the text" in page and "Undo the last edit" in page and "current text" in page


@pytest.mark.parametrize("user", ["editor", "reader"])
def test_only_those_who_may_change_the_article_restore_it(client, seed_article, editor, django_user_model, user):
    target = history.article_versions(article=seed_article)[0].revision_id
    client.force_login(editor if user == "editor" else django_user_model.objects.create_user("r", is_staff=True))
    url = reverse("admin:articles_article_restore", args=[seed_article.pk, target])
    assert client.post(url).status_code == 403


def test_a_revision_of_another_article_is_refused(admin_client, seed_article, make_article):
    other = make_article()
    target = history.article_versions(article=other)[0].revision_id
    url = reverse("admin:articles_article_restore", args=[seed_article.pk, target])
    assert admin_client.post(url).status_code == 403


def test_undo_brings_back_many_decisions_with_a_few_writes_each(admin_client, admin_user, make_article, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries = {}
    for count in (1, 5):
        article = make_article(paragraphs=[" ".join(["زار أنقرة"] * count) + ".", "فقرة ثانية."])
        first = article.paragraphs.get(position=1)
        starts = [index for index in range(len(first.text)) if first.text.startswith("أنقرة", index)]
        for start in starts:
            mention_add(paragraph=first, start=start, end=start + 5, label="LOC", user=editor)
        edit_first_paragraph(admin_client, article, "نص آخر.")
        assert not Mention.objects.filter(article=article).exists()
        target = history.article_undo_target(article=article)
        with CaptureQueriesContext(connection) as captured:
            summary = article_version_restore(article=article, revision_id=target, user=admin_user)
        assert summary.decisions_back == count
        assert Mention.objects.filter(article=article, status="confirmed").count() == count
        queries[count] = len(captured)
    # Each decision brought back costs its own writes (the mention, its stand-in orphan, the
    # annotations that wait for it: four queries), not reads of the segment, the entity and the
    # editor again for each (nine queries each before).
    assert queries[5] - queries[1] <= 4 * 4
