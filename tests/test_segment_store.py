"""Highlighted segments kept by content (articles/segment_store.py): rendered once,
re-rendered when the text or its marks change, exactly as escaped as a live
rendering, and never holding what only editors may see."""

import pytest
from django.urls import reverse

from articles import segment_store
from articles.annotations.services import annotation_create
from articles.entities.services import mention_add, mention_reject
from articles.models import Entity, Paragraph

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """How many segments were highlighted (rendered) since the last reset."""
    calls = []
    real = segment_store.highlight

    def counting(text, spans):
        calls.append(text)
        return real(text, spans)

    monkeypatch.setattr(segment_store, "highlight", counting)
    return calls


@pytest.fixture
def article(make_article):
    article = make_article(
        title="الوفد في <غزة>",
        paragraphs=["وصل الوفد إلى غزة <script>alert(1)</script> صباحا.", "ثم عاد الوفد."],
    )
    entity = Entity.objects.create(name_ar="غزة", name_en="Gaza", type="LOC")
    first = article.paragraphs.get(position=1)
    start = first.text.index("غزة")
    mention_add(paragraph=first, start=start, end=start + 3, label="LOC", entity=entity, user=None)
    return article


def page(client, article, **headers):
    return client.get(reverse("articles:detail", kwargs={"slug": article.slug}), **headers).content.decode()


def test_a_segment_is_rendered_once_then_read_from_the_store(client, article, make_article, renders):
    first = page(client, article)
    assert renders and 'data-entity="' in first
    renders.clear()
    make_article(title="مقال آخر")  # any write: the cached page is gone, the kept segments are not
    again = client.get(reverse("articles:detail", kwargs={"slug": article.slug}))
    assert again["X-Page-Cache"] == "miss" and renders == []
    assert again.content.decode() == first
    # Kept HTML is as escaped as live HTML.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in first and "<script>alert" not in first
    assert "الوفد في &lt;غزة&gt;" in first


def test_changed_text_or_marks_are_rendered_again(client, article, renders):
    page(client, article)
    renders.clear()
    Paragraph.objects.filter(article=article, position=2).update(text="ثم عاد الوفد إلى القاهرة.")
    shown = page(client, article)
    assert renders == ["ثم عاد الوفد إلى القاهرة."] and "إلى القاهرة" in shown
    renders.clear()
    mention_reject(mention=article.mentions.get(), user=None)
    shown = page(client, article)
    assert len(renders) == 1 and 'data-entity="' not in shown


def test_the_interface_language_has_its_own_rendering(client, article):
    assert 'data-type-name="Place"' in page(client, article, HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-type-name="Place"' not in page(client, article, HTTP_ACCEPT_LANGUAGE="ar")


def test_editors_only_marks_are_never_kept_nor_shown_to_readers(client, article, editor, renders):
    paragraph = article.paragraphs.get(position=2)
    secret = annotation_create(
        article=article,
        user=editor,
        kind="gloss",
        paragraph=paragraph,
        start=0,
        end=2,
        body="ملاحظة داخلية",
        visibility="editors",
    )
    client.force_login(editor)
    assert f'data-annotation="{secret.pk}"' in page(client, article)
    client.logout()
    renders.clear()
    shown = page(client, article)
    assert f'data-annotation="{secret.pk}"' not in shown and "ملاحظة داخلية" not in shown
    # The reader's segments were rendered for the reader, not taken from the editor's view.
    assert "ثم عاد الوفد." in renders
