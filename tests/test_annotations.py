"""Annotations: anchoring and re-anchoring, services, the admin workspace,
the reader, W3C export and import, CoNLL and JSONL."""

import json
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from arabic.anchoring import FUZZY, ORPHANED, QUOTE
from articles.annotations.services import AnnotationError, annotation_create
from articles.importing import file_import
from articles.models import Annotation, Mention

NAME = "خليل الحية"


# --- Services -------------------------------------------------------------------


def first_paragraph(article):
    return article.paragraphs.get(position=1)


def test_create_by_offsets_or_by_words(seed_article, editor):
    paragraph = first_paragraph(seed_article)
    start = paragraph.text.index(NAME)
    by_offsets = annotation_create(
        article=seed_article,
        paragraph=paragraph,
        start=start,
        end=start + len(NAME),
        quote=NAME,
        kind="gloss",
        body="Khalil al-Hayya, Hamas leader in Gaza",
        user=editor,
    )
    by_words = annotation_create(
        article=seed_article, paragraph=paragraph, quote="إسطنبول", occurrence=2, kind="note", body="again", user=editor
    )
    assert (by_offsets.start, by_offsets.exact) == (start, NAME)
    assert by_offsets.prefix == paragraph.text[start - 32 : start] and len(by_offsets.suffix) == 32
    assert by_words.start == paragraph.text.index("إسطنبول", paragraph.text.index("إسطنبول") + 1)


@pytest.mark.parametrize(
    "span, quote, message",
    [
        ((0, 10_000), None, "outside the paragraph"),
        ((7, 7), None, "empty"),
        ((0, 5), "غزة", "does not match"),
        ((None, None), "كلمة غير موجودة", "is not in paragraph 1"),
    ],
)
def test_invalid_spans_are_refused_and_nothing_is_saved(seed_article, editor, span, quote, message):
    with pytest.raises(AnnotationError, match=message):
        annotation_create(
            article=seed_article,
            paragraph=first_paragraph(seed_article),
            start=span[0],
            end=span[1],
            quote=quote,
            kind="note",
            body="x",
            user=editor,
        )
    assert Annotation.objects.count() == 0


def test_kind_rules(seed_article, editor):
    paragraph = first_paragraph(seed_article)
    with pytest.raises(AnnotationError, match="proposed text"):
        annotation_create(article=seed_article, paragraph=paragraph, quote=NAME, kind="correction", user=editor)
    with pytest.raises(AnnotationError, match="entity's type"):
        annotation_create(article=seed_article, paragraph=paragraph, quote=NAME, kind="entity", user=editor)
    with pytest.raises(AnnotationError, match="only notes"):
        annotation_create(article=seed_article, kind="gloss", body="x", user=editor)
    note = annotation_create(article=seed_article, kind="note", body="Whole article", user=editor)
    assert note.paragraph is None and note.start is None


def test_entity_annotation_makes_an_editor_mention(seed_article, editor):
    annotation = annotation_create(
        article=seed_article,
        paragraph=first_paragraph(seed_article),
        quote=NAME,
        kind="entity",
        label="PERS",
        user=editor,
    )
    mention = annotation.mention
    assert (mention.text, mention.label, mention.source, mention.status) == (NAME, "PERS", "editor", "confirmed")


# --- Re-anchoring through re-import and admin edits -----------------------------


def test_reimport_reanchors_each_annotation_and_loses_none(seed_article, tmp_seed_copy, editor):
    p1, p2, p3 = (seed_article.paragraphs.get(position=n) for n in (1, 2, 3))
    kept = annotation_create(
        article=seed_article, paragraph=p1, quote="قناة خبر تورك", kind="gloss", body="Habertürk TV", user=editor
    )
    moved = annotation_create(article=seed_article, paragraph=p1, quote=NAME, kind="note", body="leader", user=editor)
    fuzzy = annotation_create(
        article=seed_article, paragraph=p2, quote="الانتهاكات الإسرائيلية", kind="note", body="n", user=editor
    )
    lost = annotation_create(
        article=seed_article, paragraph=p3, quote="أعضاء من المكتب السياسي", kind="note", body="gone", user=editor
    )

    text = tmp_seed_copy.read_text(encoding="utf-8")
    # Same length before "قناة خبر تورك" but new words before the name; a letter changed; words removed.
    text = text.replace("وفد حركة حماس برئاسة", "وفدَ حركةِ حماس برئاسة")
    text = text.replace("الانتهاكات الإسرائيلية", "الانتهاكات الاسرائيليه")
    text = text.replace("أعضاء من المكتب السياسي لحركة حماس", "وفداً")
    tmp_seed_copy.write_text(text, encoding="utf-8")
    assert file_import(path=tmp_seed_copy).action == "updated"

    for annotation in (kept, moved, fuzzy, lost):
        annotation.refresh_from_db()
    p1.refresh_from_db()
    p2.refresh_from_db()
    assert kept.anchor == QUOTE and p1.text[kept.start : kept.end] == "قناة خبر تورك"
    assert moved.anchor == QUOTE and p1.text[moved.start : moved.end] == NAME
    assert fuzzy.anchor == FUZZY and p2.text[fuzzy.start : fuzzy.end] == "الانتهاكات الاسرائيليه"
    assert lost.anchor == ORPHANED and lost.exact == "أعضاء من المكتب السياسي" and lost.body == "gone"
    assert Annotation.objects.count() == 4


def test_removed_paragraph_orphans_its_annotations_and_decisions(seed_article, tmp_seed_copy, editor):
    p4 = seed_article.paragraphs.get(position=4)
    note = annotation_create(article=seed_article, paragraph=p4, quote="قطر", kind="note", body="Qatar", user=editor)
    from articles.entities.services import mention_add

    start = p4.text.index("باكستان")
    mention_add(paragraph=p4, start=start, end=start + 7, label="LOC", user=editor)
    text = tmp_seed_copy.read_text(encoding="utf-8")
    text = text.replace(p4.text, "")
    tmp_seed_copy.write_text(text, encoding="utf-8")
    assert file_import(path=tmp_seed_copy).action == "updated"
    note.refresh_from_db()
    assert note.anchor == ORPHANED and note.paragraph is None and note.exact == "قطر"
    decision = Annotation.objects.get(kind="entity")
    assert (decision.anchor, decision.exact, decision.label) == (ORPHANED, "باكستان", "LOC")


def test_orphans_are_listed_on_the_annotation_page(admin_client, seed_article, tmp_seed_copy, editor):
    p3 = seed_article.paragraphs.get(position=3)
    annotation_create(
        article=seed_article, paragraph=p3, quote="أعضاء من المكتب السياسي", kind="note", body="gone", user=editor
    )
    text = tmp_seed_copy.read_text(encoding="utf-8").replace("أعضاء من المكتب السياسي لحركة حماس", "وفداً")
    tmp_seed_copy.write_text(text, encoding="utf-8")
    file_import(path=tmp_seed_copy)
    page = admin_client.get(reverse("admin:articles_article_annotate", args=[seed_article.pk])).content.decode()
    assert "1 orphaned annotation" in page
    assert "أعضاء من المكتب السياسي" in page


# --- The admin workspace, as an editor ------------------------------------------


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def annotate(client, article, **data):
    """The annotation page's form, sent without its script."""
    return client.post(
        reverse("admin:articles_article_annotate", args=[article.pk]),
        {"visibility": "public", "occurrence": 1, **data},
    )


def test_annotate_links_from_the_list_and_the_change_page(editor_client, seed_article):
    url = reverse("admin:articles_article_annotate", args=[seed_article.pk])
    assert f'href="{url}"' in editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    change = editor_client.get(reverse("admin:articles_article_change", args=[seed_article.pk])).content.decode()
    assert f'href="{url}"' in change
    # Annotating is no longer buried under the change form.
    assert "annotate-text" not in change


def test_editor_sees_the_paragraphs_right_to_left_with_marks(editor_client, seed_article, editor):
    annotation_create(
        article=seed_article, paragraph=first_paragraph(seed_article), quote=NAME, kind="gloss", body="g", user=editor
    )
    page = editor_client.get(reverse("admin:articles_article_annotate", args=[seed_article.pk])).content.decode()
    assert 'class="annotate-text" lang="ar" dir="rtl"' in page
    assert re.search(r'<mark [^>]*class="annotation annotation-gloss"[^>]*>خليل الحية</mark>', page)
    assert "Save annotation" in page
    assert reverse("articles:api-annotations", kwargs={"slug": seed_article.slug}) in page


def test_editor_saves_a_gloss_by_selection_and_it_is_in_the_history(editor_client, seed_article, editor):
    paragraph = first_paragraph(seed_article)
    start = paragraph.text.index(NAME)
    response = annotate(
        editor_client,
        seed_article,
        paragraph=paragraph.pk,
        start=start,
        end=start + len(NAME),
        quote=NAME,
        kind="gloss",
        body="Khalil al-Hayya",
    )
    annotation = Annotation.objects.get()
    # Back on the annotation page, at the paragraph, with a message.
    assert response.status_code == 302 and response["Location"].endswith("/annotate/#annotate-p1")
    page = editor_client.get(response["Location"]).content.decode()
    assert "Saved the gloss on «خليل الحية»." in page
    assert (annotation.exact, annotation.author, annotation.kind) == (NAME, editor, "gloss")
    entry = LogEntry.objects.get(object_id=str(annotation.pk))
    assert entry.user == editor and entry.is_addition()
    history = editor_client.get(reverse("admin:articles_annotation_history", args=[annotation.pk]))
    assert "editor" in history.content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"start": 0, "end": 99_999, "quote": ""}, "outside the paragraph"),
        ({"start": 4, "end": 4, "quote": ""}, "empty"),
        ({"start": 0, "end": 5, "quote": "غزة"}, "does not match"),
    ],
)
def test_editor_gets_clear_errors_and_nothing_is_saved(editor_client, seed_article, data, message):
    response = annotate(
        editor_client, seed_article, paragraph=first_paragraph(seed_article).pk, kind="note", body="x", **data
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["annotate_form"].non_field_errors())
    assert Annotation.objects.count() == 0


def test_editor_edits_and_deletes_an_annotation(editor_client, seed_article, editor):
    annotation = annotation_create(
        article=seed_article,
        paragraph=first_paragraph(seed_article),
        quote=NAME,
        kind="correction",
        proposed_text="خليل الحيّة",
        user=editor,
    )
    url = reverse("admin:articles_annotation_change", args=[annotation.pk])
    response = editor_client.post(
        url,
        {
            "body": "with shadda",
            "proposed_text": "خليل الحيّة",
            "correction_target": "source",
            "status": "resolved",
            "accepted": "on",
            "label": "",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert (annotation.status, annotation.accepted, annotation.body) == ("resolved", True, "with shadda")
    assert LogEntry.objects.filter(object_id=str(annotation.pk), action_flag=2).exists()
    editor_client.post(reverse("admin:articles_annotation_delete", args=[annotation.pk]), {"post": "yes"})
    assert not Annotation.objects.exists()


def test_plain_form_fallback_takes_words_not_offsets(editor_client, seed_article):
    paragraph = first_paragraph(seed_article)
    response = editor_client.post(
        reverse("admin:articles_annotation_add"),
        {
            "article": seed_article.pk,
            "paragraph": paragraph.pk,
            "quote": NAME,
            "occurrence": 1,
            "kind": "note",
            "body": "typed",
            "visibility": "public",
            "correction_target": "",
            "label": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    annotation = Annotation.objects.get()
    assert paragraph.text[annotation.start : annotation.end] == NAME


def test_admin_paragraph_edit_reanchors(admin_client, seed_article, admin_user):
    from tests.test_admin import article_change_data

    paragraph = first_paragraph(seed_article)
    annotation = annotation_create(
        article=seed_article, paragraph=paragraph, quote=NAME, kind="note", body="n", user=admin_user
    )
    data = article_change_data(admin_client, seed_article)
    data["paragraphs-0-text"] = "في البداية: " + paragraph.text
    assert admin_client.post(reverse("admin:articles_article_change", args=[seed_article.pk]), data).status_code == 302
    annotation.refresh_from_db()
    paragraph.refresh_from_db()
    assert annotation.anchor == QUOTE and paragraph.text[annotation.start : annotation.end] == NAME


# --- The reader ------------------------------------------------------------------


def test_public_annotations_show_and_editors_only_do_not(client, seed_article, editor):
    paragraph = first_paragraph(seed_article)
    annotation_create(
        article=seed_article,
        paragraph=paragraph,
        quote=NAME,
        kind="gloss",
        body="<script>alert(1)</script> leader",
        user=editor,
    )
    annotation_create(
        article=seed_article,
        paragraph=paragraph,
        quote="إسطنبول",
        kind="note",
        body="SECRET editors note",
        visibility="editors",
        user=editor,
    )
    page = client.get(seed_article.get_absolute_url()).content.decode()
    mark = re.search(r'<mark ([^>]*class="annotation annotation-gloss"[^>]*)>خليل الحية</mark>', page)
    assert mark and 'tabindex="0"' in mark.group(1)  # reachable by keyboard
    note_id = re.search(r'aria-describedby="(note-\d+)"', mark.group(1)).group(1)
    assert f'id="{note_id}"' in page  # the note it points to is on the page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; leader" in page and "<script>alert(1)" not in page
    assert "SECRET editors note" not in page
    api = client.get(reverse("articles:api-annotations", kwargs={"slug": seed_article.slug})).json()
    assert "SECRET" not in json.dumps(api)

    client.force_login(editor)
    assert "SECRET editors note" in client.get(seed_article.get_absolute_url()).content.decode()
    api = client.get(reverse("articles:api-annotations", kwargs={"slug": seed_article.slug})).json()
    assert api["total"] == 2


def test_accepted_correction_is_shown_as_such(client, seed_article, editor):
    from articles.annotations.services import annotation_update

    correction = annotation_create(
        article=seed_article,
        paragraph=first_paragraph(seed_article),
        quote=NAME,
        kind="correction",
        proposed_text="خليل الحيّة",
        user=editor,
    )
    annotation_update(annotation=correction, user=editor, status="resolved", accepted=True)
    page = client.get(seed_article.get_absolute_url()).content.decode()
    assert "Accepted correction" in page and "خليل الحيّة" in page


# --- CoNLL and JSONL ----------------------------------------------------------------


def test_conll_export(annotated_seed, tmp_path):
    from articles.entities.services import mention_add

    p4 = annotated_seed.paragraphs.get(position=4)
    start = p4.text.index("قطر")
    mention_add(paragraph=p4, start=start, end=start + 3, label="LOC", user=None)
    start = p1_start = first_paragraph(annotated_seed).text.index(NAME)
    mention_add(
        paragraph=first_paragraph(annotated_seed), start=p1_start, end=start + len(NAME), label="PERS", user=None
    )
    out = tmp_path / "ner.conll"
    call_command("export_annotations", annotated_seed.slug, "--format", "conll", "--output", str(out))
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "-DOCSTART-\tO"
    assert "خليل\tB-PERS" in lines and "الحية\tI-PERS" in lines
    assert "إسطنبول\tB-LOC" in lines
    assert "قطر\tB-LOC" in lines
    assert "التقى\tO" in lines
    assert "" in lines[2:]  # sentences separated by blank lines
    assert all(len(line.split("\t")) == 2 for line in lines if line)


def test_jsonl_export(annotated_seed, tmp_path):
    out = tmp_path / "paragraphs.jsonl"
    call_command("export_annotations", annotated_seed.slug, "--format", "jsonl", "--output", str(out))
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["paragraph"] for row in rows] == [1, 2, 3, 4]
    first = rows[0]
    assert first["text"].startswith("التقى") and "code points" in first["offsets"]
    start, end, label = first["label"][0]
    assert first["text"][start:end] == "إسطنبول" and label == "LOC"
    gloss = next(a for a in first["annotations"] if a["kind"] == "gloss")
    assert first["text"][gloss["start"] : gloss["end"]] == NAME


# --- Visibility follows the annotation everywhere (issue 9) -------------------------


@pytest.fixture
def hidden_entity(seed_article, editor):
    """An entity labelled in the seed only by an editors-only entity annotation."""
    from articles.models import Entity

    entity = Entity.objects.create(name_ar=NAME, name_en="Khalil al-Hayya", type="PERS")
    annotation_create(
        article=seed_article,
        paragraph=first_paragraph(seed_article),
        quote=NAME,
        kind="entity",
        label="PERS",
        entity=entity,
        visibility="editors",
        user=editor,
    )
    return entity


def reader_views(client, article, entity) -> dict:
    return {
        "article page": client.get(article.get_absolute_url()).content.decode(),
        "article API": json.dumps(client.get(reverse("articles:api-detail", kwargs={"slug": article.slug})).json()),
        "entity page": client.get(entity.get_absolute_url()).content.decode(),
        "entity API": json.dumps(client.get(reverse("articles:api-entity", kwargs={"pk": entity.pk})).json()),
    }


def test_editors_only_entity_label_is_hidden_from_readers_everywhere(client, seed_article, editor, hidden_entity):
    for where, body in reader_views(client, seed_article, hidden_entity).items():
        assert f'data-entity="{hidden_entity.pk}"' not in body, where
        assert '"start"' not in body.split('"entities": [', 1)[-1][:20] or where != "article API", where
    article_api = client.get(reverse("articles:api-detail", kwargs={"slug": seed_article.slug})).json()
    assert article_api["paragraphs"][0]["entities"] == []
    assert client.get(reverse("articles:api-entity", kwargs={"pk": hidden_entity.pk})).json()["mentions"] == []
    assert seed_article.get_absolute_url() not in reader_views(client, seed_article, hidden_entity)["entity page"]

    client.force_login(editor)
    seen = reader_views(client, seed_article, hidden_entity)
    assert f'data-entity="{hidden_entity.pk}"' in seen["article page"]
    assert seed_article.get_absolute_url() in seen["entity page"]
    assert len(json.loads(seen["entity API"])["mentions"]) == 1


def test_a_public_entity_label_is_shown_to_readers(client, seed_article, editor, hidden_entity):
    from articles.annotations.services import annotation_update

    annotation_update(annotation=Annotation.objects.get(kind="entity"), user=editor, visibility="public")
    seen = reader_views(client, seed_article, hidden_entity)
    assert f'data-entity="{hidden_entity.pk}"' in seen["article page"]
    assert len(json.loads(seen["entity API"])["mentions"]) == 1


def test_public_export_leaves_out_editors_only_labels_and_drafts(
    seed_article, editor, hidden_entity, make_article, tmp_path
):
    draft = make_article(paragraphs=["مسودة سرية لم تنشر."], status="draft")
    for fmt in ("conll", "jsonl", "w3c"):
        public, everything = tmp_path / f"public.{fmt}", tmp_path / f"all.{fmt}"
        call_command("export_annotations", "--format", fmt, "--public-only", "--output", str(public))
        call_command("export_annotations", "--format", fmt, "--output", str(everything))
        public, everything = public.read_text(encoding="utf-8"), everything.read_text(encoding="utf-8")
        assert "مسودة سرية" not in public and draft.slug not in public, fmt
        if fmt == "conll":
            assert "خليل\tB-PERS" not in public and "خليل\tB-PERS" in everything
        elif fmt == "jsonl":
            assert '"PERS"' not in public and '"PERS"' in everything
            assert "مسودة سرية" in everything
        else:
            assert json.loads(public)["total"] == 0 and json.loads(everything)["total"] == 1


def test_anonymous_w3c_collection_carries_no_login_name(client, annotated_seed, django_user_model):
    logins = list(django_user_model.objects.values_list("username", flat=True))
    response = client.get(reverse("articles:api-annotations", kwargs={"slug": annotated_seed.slug}))
    text = response.content.decode()
    assert response.json()["total"] == 4
    for login in logins:
        assert f'"{login}"' not in text
    assert "nickname" not in text
    # A display name, when an editor has one, is what readers see.
    django_user_model.objects.filter(username="editor").update(first_name="Layla", last_name="Haddad")
    items = client.get(reverse("articles:api-annotations", kwargs={"slug": annotated_seed.slug})).json()
    names = {item.get("creator", {}).get("name") for item in items["first"]["items"]}
    assert "Layla Haddad" in names


def test_readers_never_see_an_editors_login_name(client, seed_article, editor, django_user_model):
    from django.contrib.auth.models import Group

    login = "lhaddad-7731"
    annotator = django_user_model.objects.create_user(username=login, password="pw", is_staff=True)
    annotator.groups.add(Group.objects.get(name="Editors"))
    paragraph = first_paragraph(seed_article)
    annotation_create(article=seed_article, paragraph=paragraph, quote=NAME, kind="gloss", body="g", user=annotator)
    annotation_create(
        article=seed_article, paragraph=paragraph, quote="إسطنبول", kind="entity", label="LOC", user=annotator
    )
    urls = [
        seed_article.get_absolute_url(),
        reverse("articles:api-detail", kwargs={"slug": seed_article.slug}),
        reverse("articles:api-annotations", kwargs={"slug": seed_article.slug}),
    ]
    for url in urls:
        assert login not in client.get(url).content.decode(), url


# --- Entity suggestions, decided in bulk on the annotation page ---------------------


def test_editor_accepts_and_rejects_suggestions_in_bulk(editor_client, seed_article, editor):
    text = first_paragraph(seed_article).text
    suggested = [
        Mention.objects.create(
            article=seed_article,
            paragraph=first_paragraph(seed_article),
            start=text.index(word),
            end=text.index(word) + len(word),
            text=word,
            label=label,
            source=Mention.Source.GAZETTEER,
        )
        for word, label in (("إسطنبول", "LOC"), ("حماس", "ORG"), ("غزة", "LOC"))
    ]
    url = reverse("admin:articles_article_annotate", args=[seed_article.pk])
    page = editor_client.get(url).content.decode()
    assert "3 entity suggestions to decide" in page
    decide = reverse("admin:articles_article_suggestions", args=[seed_article.pk])
    response = editor_client.post(decide, {"mention": [suggested[0].pk, suggested[1].pk], "decision": "confirm"})
    assert response.status_code == 302 and response["Location"] == url + "#suggestions"
    editor_client.post(decide, {"mention": [suggested[2].pk], "decision": "reject"})
    statuses = [Mention.objects.get(pk=m.pk).status for m in suggested]
    assert statuses == ["confirmed", "confirmed", "rejected"]
    assert all(Mention.objects.get(pk=m.pk).decided_by == editor for m in suggested)
    page = editor_client.get(url).content.decode()
    assert "1 suggestion rejected." in page and "entity suggestion" not in page
