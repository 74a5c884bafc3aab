"""One rule for "an article's text changed": every path re-anchors every segment kind the same way."""

import json

import pytest
from django.urls import reverse

from articles.annotations.services import annotation_create
from articles.importing import ArticleRecord, ImportFailure, RelatedRecord, article_import
from articles.models import Annotation, Article, Mention
from articles.segments import SegmentKind
from tests.admin_forms import article_change_data

TITLE = "رئيس الوزراء يزور أنقرة اليوم"
CAPTION = "صورة من أنقرة"
PARAGRAPHS = ["التقى الوزير في أنقرة وفدا من حماس.", "وقال إن اللقاء كان مثمرا في إسطنبول."]
RELATED = [{"title": "تقرير عن غزة", "caption": "أطفال في غزة", "section": "تقارير"}]

# The same edit everywhere: words inserted before each named word, and one
# paragraph rewritten so that its annotated word is gone.
NEW_TITLE = "عاجل: رئيس الوزراء التركي يزور أنقرة اليوم"
NEW_CAPTION = "صورة أرشيفية من أنقرة"
NEW_PARAGRAPHS = ["في خبر جديد، التقى الوزير في أنقرة وفدا من حماس.", "وقال إن اللقاء كان مثمرا."]
NEW_RELATED = [{"title": "تقرير مفصل عن غزة", "caption": "أطفال يلعبون في غزة", "section": "تقارير"}]


def record(title, caption, paragraphs, related):
    return ArticleRecord(
        title=title,
        lead_caption=caption,
        paragraphs=list(paragraphs),
        related=[RelatedRecord(**story) for story in related],
    )


@pytest.fixture
def decided_article(db, editor):
    """An article with an editor's decision in every segment kind and annotations on its paragraphs."""
    article = article_import(record=record(TITLE, CAPTION, PARAGRAPHS, RELATED), source_id="text-changed").article
    story = article.related_stories.get()
    first, second = article.paragraphs.order_by("position")
    for kind, text, where in (
        (SegmentKind.TITLE, TITLE, {}),
        (SegmentKind.LEAD_CAPTION, CAPTION, {}),
        (SegmentKind.RELATED, story.title, {"related_story": story}),
        (SegmentKind.RELATED_CAPTION, story.caption, {"related_story": story}),
    ):
        word = "أنقرة" if "أنقرة" in text else "غزة"
        start = text.index(word)
        Mention.objects.create(
            article=article,
            kind=kind,
            start=start,
            end=start + len(word),
            text=word,
            label="LOC",
            source=Mention.Source.GAZETTEER,
            status=Mention.Status.CONFIRMED,
            decided_by=editor,
            **where,
        )
    annotation_create(article=article, user=editor, kind="gloss", paragraph=first, quote="أنقرة", body="Ankara")
    annotation_create(article=article, user=editor, kind="entity", paragraph=first, quote="حماس", label="ORG")
    annotation_create(article=article, user=editor, kind="note", paragraph=second, quote="إسطنبول", body="Istanbul")
    return article


def anchors(article):
    """Every editor's anchor in the article, as readers and editors would see it."""
    mentions = sorted(
        (m.kind, m.paragraph.position if m.paragraph_id else None, m.start, m.end, m.text, m.status)
        for m in Mention.objects.filter(article=article).select_related("paragraph")
    )
    annotations = sorted(
        (a.kind, a.paragraph.position if a.paragraph_id else None, a.start, a.end, a.exact, a.anchor)
        for a in Annotation.objects.filter(article=article).select_related("paragraph")
    )
    return mentions, annotations


def change_form(client, article):
    return reverse("admin:articles_article_change", args=[article.pk]), article_change_data(client, article)


def post(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def edit_by_import(client, article):
    article_import(record=record(NEW_TITLE, NEW_CAPTION, NEW_PARAGRAPHS, NEW_RELATED), source_id="text-changed")


def article_fields(data):
    data.update(title=NEW_TITLE, lead_caption=NEW_CAPTION)
    for name in ("title", "caption"):
        data[f"related_stories-0-{name}"] = NEW_RELATED[0][name]


def paragraph_inlines(data):
    for index, text in enumerate(NEW_PARAGRAPHS):
        data[f"paragraphs-{index}-text"] = text


def edit_in_one_admin_save(client, article):
    url, data = change_form(client, article)
    article_fields(data)
    paragraph_inlines(data)
    post(client, url, data)


def edit_article_then_inline_paragraphs(client, article):
    url, data = change_form(client, article)
    article_fields(data)
    post(client, url, data)
    url, data = change_form(client, Article.objects.get(pk=article.pk))
    paragraph_inlines(data)
    post(client, url, data)


def edit_through_the_api(client, article):
    url = reverse("articles:api-detail", kwargs={"slug": article.slug})
    response = client.get(url)
    data = response.json()
    data.update(title=NEW_TITLE, lead_caption=NEW_CAPTION)
    for paragraph, text in zip(data["paragraphs"], NEW_PARAGRAPHS, strict=True):
        paragraph["text"] = text
    for story, new in zip(data["related"], NEW_RELATED, strict=True):
        story.update(title=new["title"], caption=new["caption"])
    answer = client.put(url, json.dumps(data), content_type="application/json", headers={"If-Match": response["ETag"]})
    assert answer.status_code == 200, answer.content
    assert answer.json()["title"] == NEW_TITLE and answer["ETag"] != response["ETag"]


PATHS = {
    "import": edit_by_import,
    "API write": edit_through_the_api,
    "admin article and inline edit": edit_in_one_admin_save,
    "admin article edit, then inline paragraph edit": edit_article_then_inline_paragraphs,
}


def expected_anchors():
    def at(text, word):
        return text.index(word), text.index(word) + len(word)

    story = NEW_RELATED[0]
    mentions = sorted(
        [
            (SegmentKind.TITLE, None, *at(NEW_TITLE, "أنقرة"), "أنقرة", "confirmed"),
            (SegmentKind.LEAD_CAPTION, None, *at(NEW_CAPTION, "أنقرة"), "أنقرة", "confirmed"),
            (SegmentKind.RELATED, None, *at(story["title"], "غزة"), "غزة", "confirmed"),
            (SegmentKind.RELATED_CAPTION, None, *at(story["caption"], "غزة"), "غزة", "confirmed"),
            (SegmentKind.PARAGRAPH, 1, *at(NEW_PARAGRAPHS[0], "حماس"), "حماس", "confirmed"),
        ]
    )
    annotations = sorted(
        [
            ("gloss", 1, *at(NEW_PARAGRAPHS[0], "أنقرة"), "أنقرة", "quote"),
            ("entity", 1, *at(NEW_PARAGRAPHS[0], "حماس"), "حماس", "quote"),
            # Its word is gone: kept, with its old quote, orphaned.
            ("note", 2, PARAGRAPHS[1].index("إسطنبول"), PARAGRAPHS[1].index("إسطنبول") + 7, "إسطنبول", "orphaned"),
        ]
    )
    return mentions, annotations


@pytest.mark.parametrize("path", PATHS)
def test_the_same_edit_through_every_path_gives_the_same_anchors(path, decided_article, admin_client):
    PATHS[path](admin_client, decided_article)
    assert anchors(decided_article) == expected_anchors()


def test_an_admin_title_edit_moves_the_title_mention(decided_article, admin_client):
    url, data = change_form(admin_client, decided_article)
    data["title"] = NEW_TITLE
    post(admin_client, url, data)
    title_mention = Mention.objects.get(article=decided_article, kind=SegmentKind.TITLE)
    assert NEW_TITLE[title_mention.start : title_mention.end] == "أنقرة"


def test_an_edit_refreshes_search_and_marks_the_article_edited(decided_article, admin_client):
    url, data = change_form(admin_client, decided_article)
    data["title"] = "زيارة إلى طرابلس"
    post(admin_client, url, data)
    article = Article.objects.get(pk=decided_article.pk)
    assert "طرابلس" in article.search_text
    assert article.has_unimported_edits


def test_an_api_write_is_an_editors_edit_with_its_preconditions(
    decided_article, client, admin_client, editor, tmp_path
):
    url = reverse("articles:api-detail", kwargs={"slug": decided_article.slug})
    response = admin_client.get(url)
    data = {**response.json(), "title": NEW_TITLE}
    body = json.dumps(data)

    def put(who, **headers):
        return who.put(url, body, content_type="application/json", headers=headers)

    assert put(client, **{"If-Match": response["ETag"]}).status_code == 401
    client.force_login(editor)  # editors annotate; they do not rewrite articles
    assert put(client, **{"If-Match": response["ETag"]}).status_code == 403
    assert put(admin_client).status_code == 428
    assert put(admin_client, **{"If-Match": '"stale"'}).status_code == 412
    bad = admin_client.put(
        url,
        json.dumps({**data, "paragraphs": "x"}),
        content_type="application/json",
        headers={"If-Match": response["ETag"]},
    )
    assert bad.status_code == 400 and "paragraphs must be a list" in bad.json()["error"]
    assert Article.objects.get(pk=decided_article.pk).title == TITLE
    assert put(admin_client, **{"If-Match": response["ETag"]}).status_code == 200
    article = Article.objects.get(pk=decided_article.pk)
    assert article.title == NEW_TITLE and article.has_unimported_edits
    # The edit is an editor's: a changed import does not silently replace it.
    with pytest.raises(ImportFailure, match="overwrite those edits"):
        article_import(record=record(TITLE, CAPTION, NEW_PARAGRAPHS, RELATED), source_id="text-changed")
