"""Kept entity article counts (articles/entity_counts.py): what the "Mentioned in N
articles" tooltip says, kept right by every change, never counting for readers
what only editors may see, and read without recounting on a reader's view."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.annotations.services import annotation_create, annotation_delete, annotation_update
from articles.entities.services import mention_add, mention_reject
from articles.models import Article, Entity, Mention
from articles.services import articles_set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def gaza(make_article):
    """An entity mentioned (by an editor) in three published articles, twice in the first."""
    entity = Entity.objects.create(name_ar="غزة", name_en="Gaza", type="LOC")
    articles = [make_article(paragraphs=["وصل الوفد إلى غزة ثم غادر غزة."]) for _ in range(3)]
    for article in articles:
        paragraph = article.paragraphs.get()
        starts = [paragraph.text.index("غزة")]
        if article == articles[0]:
            starts.append(paragraph.text.rindex("غزة"))
        for start in starts:
            mention_add(paragraph=paragraph, start=start, end=start + 3, label="LOC", entity=entity, user=None)
    return entity, articles


def kept(entity):
    return Entity.objects.get(pk=entity.pk).article_count


def tooltip(client, article):
    """The count label a reader sees on the article page."""
    page = client.get(reverse("articles:detail", kwargs={"slug": article.slug})).content.decode()
    return [label for label in ("in 1 article", "in 2 articles", "in 3 articles") if f"Mentioned {label}" in page]


def test_an_article_counts_once_however_often_it_mentions_the_entity(client, gaza):
    entity, articles = gaza
    assert kept(entity) == 3
    assert tooltip(client, articles[1]) == ["in 3 articles"]


def test_publishing_unpublishing_and_rejecting_update_the_count_at_once(client, gaza):
    entity, articles = gaza
    assert tooltip(client, articles[0]) == ["in 3 articles"]  # now cached
    articles_set_status(articles=Article.objects.filter(pk=articles[2].pk), status=Article.Status.DRAFT)
    assert kept(entity) == 2
    assert tooltip(client, articles[0]) == ["in 2 articles"]
    # One of the first article's two mentions rejected: it still mentions the entity.
    mention_reject(mention=articles[0].mentions.first(), user=None)
    assert kept(entity) == 2
    for mention in articles[1].mentions.all():
        mention_reject(mention=mention, user=None)
    assert kept(entity) == 1
    articles_set_status(articles=Article.objects.filter(pk=articles[2].pk), status=Article.Status.PUBLISHED)
    assert kept(entity) == 2
    Mention.objects.filter(article=articles[2]).delete()
    assert kept(entity) == 1
    assert tooltip(client, articles[0]) == ["in 1 article"]


def test_relinking_a_mention_moves_it_between_entities(gaza):
    entity, articles = gaza
    other = Entity.objects.create(name_ar="رفح", type="LOC")
    Mention.objects.filter(article=articles[1]).update(entity=other)
    assert (kept(entity), kept(other)) == (2, 1)


def test_editors_only_mentions_count_for_editors_never_for_readers(client, gaza, editor):
    entity, articles = gaza
    secret = articles[1]
    paragraph = secret.paragraphs.get()
    Mention.objects.filter(article=secret).delete()
    start = paragraph.text.index("غزة")
    note = annotation_create(
        article=secret,
        user=editor,
        kind="entity",
        paragraph=paragraph,
        start=start,
        end=start + 3,
        label="LOC",
        entity=entity,
        visibility="editors",
    )
    assert kept(entity) == 2
    assert tooltip(client, articles[0]) == ["in 2 articles"]
    client.force_login(editor)
    assert tooltip(client, articles[0]) == ["in 3 articles"]
    client.logout()
    annotation_update(annotation=note, user=editor, visibility="public")
    assert kept(entity) == 3
    assert tooltip(client, articles[0]) == ["in 3 articles"]
    annotation_update(annotation=note, user=editor, visibility="editors")
    assert kept(entity) == 2
    annotation_delete(annotation=note)
    # The editor's mention stays without the annotation that hid it: now public.
    assert kept(entity) == Mention.objects.filter(article=secret).count() + 2


def test_saving_an_entity_with_a_stale_count_keeps_the_true_one(gaza):
    entity, articles = gaza
    stale = Entity.objects.get(pk=entity.pk)
    Mention.objects.filter(article=articles[0]).delete()
    stale.description = "مدينة"
    stale.save()
    assert stale.article_count == 3 and kept(entity) == 2


def test_a_reader_s_article_page_does_not_recount(client, gaza, editor):
    _, articles = gaza
    url = reverse("articles:detail", kwargs={"slug": articles[0].slug})
    with CaptureQueriesContext(connection) as reader:
        assert client.get(url).status_code == 200
    assert not any("COUNT(DISTINCT" in query["sql"] for query in reader.captured_queries)
    client.force_login(editor)
    with CaptureQueriesContext(connection) as editors:
        assert client.get(url).status_code == 200
    assert any("COUNT(DISTINCT" in query["sql"] for query in editors.captured_queries)
