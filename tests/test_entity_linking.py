"""People (and places and organisations the gazetteer lacks) as entities: what recognition links
each mention to, what readers see of them, and editors' merges, splits and renames surviving
recognition."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from arabic.ner.linking import Link, article_links
from arabic.ner.pipeline import Candidate
from articles.entities.recognition import article_recognize, candidates_link, recognizers_available
from articles.entities.services import entities_merge
from articles.models import Entity, EntityType, Mention

FULL = "استقبل الرئيس التركي رجب طيب أردوغان وفدا من حركة حماس."
SURNAME = "وقال أردوغان إن بلاده تدعم الاتفاق."


def span(text, words, label="PERS", source="crf"):
    start = text.index(words)
    return Candidate(start, start + len(words), label, source, 0.9)


@pytest.fixture
def recognised_seed(seed_article):
    call_command("load_gazetteer", verbosity=0)
    recognizers = recognizers_available()
    article_recognize(article=seed_article, shipped=recognizers.shipped)
    return seed_article


# --- Linking within an article and across articles ----------------------------------


def test_a_surname_or_first_name_links_to_the_one_full_name_of_its_article():
    links = article_links(
        [
            ("رجب طيب أردوغان", "PERS", None),
            ("أردوغان", "PERS", None),
            ("طيب أردوغان", "PERS", None),
            ("رجب", "PERS", None),
        ]
    )
    assert links[0] == Link(name="رجب طيب اردوغان", display="رجب طيب أردوغان")
    assert links[1] == links[2] == links[3] == Link(same=0)
    # Two people with that name in the article: the surname alone is left unlinked.
    two = article_links([("محمد بن سلمان", "PERS", None), ("سلمان العودة", "PERS", None), ("سلمان", "PERS", None)])
    assert two[2] is None
    # A surname with no full name in its article is marked as alone; places are their own names.
    alone = article_links([("أردوغان", "PERS", None), ("أنقرة", "LOC", None), ("مهرجان", "MISC", None)])
    assert alone[0].alone and alone[1] == Link(name="انقره", display="أنقرة") and alone[2] is None


def test_a_person_is_created_and_linked_with_the_names_lists_english_name(db):
    linked = candidates_link([(FULL, span(FULL, "رجب طيب أردوغان")), (SURNAME, span(SURNAME, "أردوغان"))])
    erdogan = Entity.objects.get(pk=linked[0])
    assert linked[1] == erdogan.pk  # the surname alone, later in the article: the same person
    assert (erdogan.type, erdogan.name_ar, erdogan.source) == ("PERS", "رجب طيب أردوغان", "recognised")
    assert (erdogan.name_en, erdogan.name_en_source) == ("Recep Tayyip Erdoğan", "names")
    # Another article, the same name spelt with other hamza forms: the same entity, none made.
    again = "التقى رجب طيب اردوغان"
    assert candidates_link([(again, span(again, "رجب طيب اردوغان"))]) == {0: erdogan.pk}
    assert Entity.objects.filter(type="PERS").count() == 1


def test_people_made_by_one_article_are_found_by_the_next_without_reading_every_entity_again(
    db, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from articles.entities import recognition

    first, second = "وقال وزير الخارجية هاكان فيدان", "التقى هاكان فيدان نظيره"
    with django_capture_on_commit_callbacks(execute=True):
        fidan = candidates_link([(first, span(first, "هاكان فيدان"))])[0]
    index = recognition.current_names()
    # The next article links to him with one query (the table's version), not a read of every entity.
    with django_assert_num_queries(1):
        assert candidates_link([(second, span(second, "هاكان فيدان"))]) == {0: fidan}
    assert recognition.current_names() is index
    # An entity someone else wrote meanwhile moves the version past the one the index expects:
    # the index is read again, and finds it.
    other = Entity.objects.create(name_ar="سامي الخطيب", type="PERS", source=Entity.Source.EDITOR)
    third = "وصل سامي الخطيب"
    assert candidates_link([(third, span(third, "سامي الخطيب"))]) == {0: other.pk}
    assert recognition.current_names() is not index


def made_while_another_writes(monkeypatch, django_capture_on_commit_callbacks, write):
    """Recognise an article that makes an entity while `write` (another process's change to the
    entity table) lands between this process reading the index and committing."""
    from articles.entities import recognition

    english_name = recognition.entity_english_name

    def racing(name, kind):
        write()
        return english_name(name, kind)

    recognition.current_names()
    monkeypatch.setattr(recognition, "entity_english_name", racing)
    text = "وقال وزير الخارجية هاكان فيدان"
    with django_capture_on_commit_callbacks(execute=True):
        candidates_link([(text, span(text, "هاكان فيدان"))])
    monkeypatch.setattr(recognition, "entity_english_name", english_name)


def test_an_editors_change_made_meanwhile_is_not_hidden_by_the_entities_recognition_made(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    sami = Entity.objects.create(name_ar="سامي الخطيب", type="PERS", source=Entity.Source.EDITOR)
    # The count does not move: only the newer `modified` of another entity tells.
    made_while_another_writes(
        monkeypatch,
        django_capture_on_commit_callbacks,
        lambda: Entity.objects.filter(pk=sami.pk).update(aliases=["سامي الخطيبي"], modified=timezone.now()),
    )
    text = "وصل سامي الخطيبي"
    assert candidates_link([(text, span(text, "سامي الخطيبي"))]) == {0: sami.pk}


def test_an_entity_another_worker_deleted_meanwhile_is_never_linked(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    gone = Entity.objects.create(name_ar="سامي الخطيب", type="PERS", source=Entity.Source.EDITOR)

    def swap():  # another worker's recognition: one entity gone, one made, the count unchanged
        Entity.objects.filter(pk=gone.pk).delete()
        Entity.objects.create(name_ar="وليد جنبلاط", type="PERS", source=Entity.Source.RECOGNISED)

    made_while_another_writes(monkeypatch, django_capture_on_commit_callbacks, swap)
    text = "وصل سامي الخطيب"
    linked = candidates_link([(text, span(text, "سامي الخطيب"))])
    assert Entity.objects.filter(pk=linked[0]).exists()


def test_a_name_nobody_lists_gets_a_readable_romanisation_marked_as_such(db):
    text = "وقال وزير الخارجية هاكان فيدان"
    fidan = Entity.objects.get(pk=candidates_link([(text, span(text, "هاكان فيدان"))])[0])
    assert (fidan.name_en, fidan.name_en_source, fidan.romanised) == ("Hakan Fidan", "romanised", True)


def test_two_people_sharing_a_surname_are_not_merged_across_articles(db):
    first, second, alone = "وصل سامي الخطيب", "وصل رامي الخطيب", "وقال الخطيب"
    one = candidates_link([(first, span(first, "سامي الخطيب"))])[0]
    other = candidates_link([(second, span(second, "رامي الخطيب"))])[0]
    assert one != other
    # The surname alone, in an article naming neither: no evidence, no link.
    assert candidates_link([(alone, span(alone, "الخطيب"))]) == {}
    # Even with one such person known, a surname never links to a person recognition alone made.
    Entity.objects.filter(pk=other).delete()
    assert candidates_link([(alone, span(alone, "الخطيب"))]) == {}
    # A surname the names list gives to exactly one person links to that person.
    text = "وقال نتنياهو إن"
    netanyahu = Entity.objects.get(pk=candidates_link([(text, span(text, "نتنياهو"))])[0])
    assert (netanyahu.name_ar, netanyahu.name_en) == ("بنيامين نتنياهو", "Benjamin Netanyahu")


def test_every_person_of_the_seed_is_highlighted_and_linked_to_a_page(client, recognised_seed):
    people = Mention.objects.filter(article=recognised_seed, label=EntityType.PERS).select_related("entity")
    assert {"رجب طيب أردوغان", "هاكان فيدان", "إبراهيم قالن", "خليل الحية"} <= {m.text for m in people}
    assert all(m.entity is not None for m in people), [m.text for m in people if m.entity is None]
    erdogan = Entity.objects.get(name_ar="رجب طيب أردوغان")
    assert erdogan.name_en == "Recep Tayyip Erdoğan" and erdogan.article_count == 1
    # `فيدان` twice after `هاكان فيدان`: the same entity (the second was once missed).
    fidan = Entity.objects.get(name_ar="هاكان فيدان")
    assert people.filter(text="فيدان", entity=fidan).count() >= 2
    page = client.get(fidan.get_absolute_url()).content.decode()
    assert "Hakan Fidan" in page and "romanised from the Arabic, not checked" in page
    assert recognised_seed.get_absolute_url() in page  # the article that mentions him
    article = client.get(recognised_seed.get_absolute_url()).content.decode()
    assert f'href="{erdogan.get_absolute_url()}"' in article
    assert 'data-name-en="Recep Tayyip Erdoğan"' in article
    assert 'data-name-note="romanised, not checked"' in article  # Hakan Fidan's


def test_a_photo_credit_in_parentheses_is_the_agency_not_the_place(recognised_seed):
    credits = Mention.objects.filter(article=recognised_seed, text="الأناضول").select_related("entity")
    assert credits and all(m.label == "ORG" and m.entity.name_en == "Anadolu Agency" for m in credits)


def test_the_seeds_channel_ministry_and_photographer_are_named_as_what_they_are(recognised_seed):
    """Issue 21: a channel and a ministry nobody listed are organisations with pages; the photographer
    credited before the agency in a caption is a person, romanised as his name reads."""
    mentions = Mention.objects.filter(article=recognised_seed).select_related("entity")
    channel = mentions.get(text="خبر تورك")  # قناة خبر تورك: the name, as credits and the corpora write it
    assert channel.label == EntityType.ORG and channel.entity.type == EntityType.ORG
    assert "قناة خبر تورك" in channel.segment_text
    ministry = mentions.get(text="وزارة الخارجية التركية")
    assert ministry.label == EntityType.ORG and ministry.entity.name_ar == "وزارة الخارجية التركية"
    photographer = mentions.get(text="بوب رايندرز")
    assert photographer.label == EntityType.PERS and photographer.kind == "related_caption"
    assert photographer.entity.name_en == "Bob Rayndarz"  # not Raynadraz: no vowel inside its -ndrz
    assert mentions.get(text="مارك روته").entity.name_en == "Mark Ruteh"  # a final e, not Rutah
    # The agency after the slash stays the agency.
    assert mentions.get(text="فرانس برس", kind="related_caption").label == EntityType.ORG


def test_recognising_again_makes_no_new_entity_and_drops_those_no_mention_names(recognised_seed):
    before = set(Entity.objects.values_list("pk", flat=True))
    article_recognize(article=recognised_seed, shipped=recognizers_available().shipped)
    assert set(Entity.objects.values_list("pk", flat=True)) == before
    fidan = Entity.objects.get(name_ar="هاكان فيدان")
    recognised_seed.paragraphs.update(text="نص بلا أسماء.")
    article_recognize(article=recognised_seed, shipped=recognizers_available().shipped)
    assert not Entity.objects.filter(pk=fidan.pk).exists()


# --- Editors: merge, split, rename ---------------------------------------------------


def test_an_editors_merge_survives_recognition(admin_client, recognised_seed):
    recognised = Entity.objects.get(name_ar="هاكان فيدان")
    mentioned = set(Mention.objects.filter(entity=recognised).values_list("pk", flat=True))
    assert len(mentioned) >= 3  # the full name and the surname alone
    kept = Entity.objects.create(name_ar="حقان فيدان", name_en="Hakan Fidan", type="PERS", source="editor")
    url = reverse("admin:articles_entity_changelist")
    chosen = {"action": "merge", "_selected_action": [recognised.pk, kept.pk]}
    page = admin_client.post(url, chosen)
    assert "Choose the entity to keep" in page.content.decode()
    admin_client.post(url, {**chosen, "target": kept.pk, "apply": "1"})
    assert not Entity.objects.filter(pk=recognised.pk).exists()
    kept.refresh_from_db()
    assert "هاكان فيدان" in kept.aliases and kept.edited_by_editor
    assert set(Mention.objects.filter(entity=kept).values_list("pk", flat=True)) == mentioned
    article_recognize(article=recognised_seed, shipped=recognizers_available().shipped)
    again = Mention.objects.filter(article=recognised_seed, text__in=["هاكان فيدان", "فيدان"])
    assert again.count() == len(mentioned) and {m.entity_id for m in again} == {kept.pk}
    assert not Entity.objects.filter(name_ar="هاكان فيدان").exists()
    kept.refresh_from_db()
    assert kept.article_count == 1


def test_merging_refuses_entities_of_different_types(db, admin_user):
    from articles.entities.services import EntityError

    person = Entity.objects.create(name_ar="سامي", type="PERS")
    place = Entity.objects.create(name_ar="سامراء", type="LOC")
    with pytest.raises(EntityError, match="one type"):
        entities_merge(target=person, others=[place], user=admin_user)


def test_an_editors_split_survives_recognition(admin_client, recognised_seed):
    fidan = Entity.objects.get(name_ar="هاكان فيدان")
    headline = Mention.objects.get(article=recognised_seed, kind="related", text="فيدان")
    admin_client.post(
        reverse("admin:articles_mention_changelist"), {"action": "split", "_selected_action": [headline.pk]}
    )
    headline.refresh_from_db()
    assert headline.entity != fidan and headline.status == Mention.Status.CONFIRMED
    article_recognize(article=recognised_seed, shipped=recognizers_available().shipped)
    headline.refresh_from_db()
    assert headline.entity != fidan and headline.entity.name_ar == "فيدان"
    assert Mention.objects.filter(article=recognised_seed, kind="paragraph", entity=fidan).exists()


def test_an_editors_rename_is_kept_and_the_old_name_still_finds_the_entity(admin_client, recognised_seed):
    qalin = Entity.objects.get(name_ar="إبراهيم قالن")
    url = reverse("admin:articles_entity_change", args=[qalin.pk])
    data = {"name_ar": "إبراهيم كالن", "name_en": "İbrahim Kalın", "aliases": "[]", "aliases_en": "[]", "type": "PERS"}
    assert admin_client.post(url, data).status_code == 302
    qalin.refresh_from_db()
    assert (qalin.name_en, qalin.name_en_source, qalin.romanised) == ("İbrahim Kalın", "editor", False)
    assert qalin.aliases == ["إبراهيم قالن"]
    article_recognize(article=recognised_seed, shipped=recognizers_available().shipped)
    assert Mention.objects.filter(article=recognised_seed, text="إبراهيم قالن", entity=qalin).count() >= 2
    assert not Entity.objects.filter(name_ar="إبراهيم قالن").exists()


def test_the_entity_list_says_which_model_is_in_use(admin_client, db):
    page = admin_client.get(reverse("admin:articles_mention_changelist")).content.decode()
    assert "Shipped NER model in use: the committed model, trained" in page
    assert "on 0 editor decision(s)" in page


def test_an_article_recognised_before_the_gazetteer_joins_its_entities_once_the_gazetteer_is_loaded(db):
    """Recognised with an empty gazetteer, Istanbul became an entity of its own; loading the gazetteer
    merges it into the gazetteer's Istanbul: one entity, one page, one count."""
    from django.core.management import call_command

    from articles.entities.recognition import article_recognize, shipped_model
    from articles.importing import file_import
    from articles.models import Entity, Mention
    from tests.conftest import SEED

    article = file_import(path=SEED, status="published").article
    article_recognize(article=article, shipped=shipped_model())  # the gazetteer still empty
    recognised = Entity.objects.filter(name_ar="إسطنبول", source=Entity.Source.RECOGNISED)
    assert recognised.exists()
    call_command("load_gazetteer", verbosity=0)
    istanbul = Entity.objects.get(key="city:Europe/Istanbul")
    assert not recognised.exists()
    assert set(Mention.objects.filter(article=article, text="إسطنبول").values_list("entity", flat=True)) == {
        istanbul.pk
    }
    istanbul.refresh_from_db()
    assert istanbul.article_count == 1


def test_a_rare_name_alone_is_a_person_of_its_own_and_a_common_one_is_not(db):
    """A transcribed surname too rare to be anyone else's (`هيغسيث`, with no full name in the article
    and nobody known by it) gets a page; the same word alone in another article is that person.
    A listed given or family name, or a common word, alone stays unlinked."""
    first, later = "التقى هيغسيث نظيره", "وصرح هيغسيث بأن"
    hegseth = candidates_link([(first, span(first, "هيغسيث"))])[0]
    entity = Entity.objects.get(pk=hegseth)
    assert (entity.name_ar, entity.type, entity.romanised) == ("هيغسيث", "PERS", True)
    assert candidates_link([(later, span(later, "هيغسيث"))]) == {0: hegseth}
    common = "وقال عباس إن"  # a given name of the lists, and a common word
    assert candidates_link([(common, span(common, "عباس"))]) == {}
