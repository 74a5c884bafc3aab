"""Training the shipped model: the shared corpora and their held-out parts, editors' decisions as
training data, and where retrained models go, which one is in use, and going back."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from arabic.ner import crf, store
from arabic.ner.corpora import KEEP, REJECT, SUGGESTED, decided_sentences, read_corpora, training_part
from arabic.ner.corpus import fingerprint
from articles.entities.recognition import recognizers_available, shipped_model, shipped_model_path
from articles.entities.selectors import editor_training_documents
from articles.entities.services import mention_add, mention_reject
from articles.models import Mention

from .test_ner import write_tiny_corpus

NAME = "زرياب الأندلسي"
SENTENCES = [f"وصل المهندس {NAME} إلى المدينة أمس .", f"واستقبل المهندس {NAME} وفدا في تونس ."]


def tagged(model, text):
    words = [(word, text.index(word), text.index(word) + len(word)) for word in text.split()]
    return [(text[s.start : s.end], s.label) for s in model.tag(words, ["O"] * len(words))]


@pytest.fixture(autouse=True)
def trained_dir(tmp_path, settings):
    """Each test retrains into a folder of its own."""
    settings.NER_TRAINED_DIR = tmp_path / "trained"
    return settings.NER_TRAINED_DIR


@pytest.fixture
def decided_article(make_article, admin_user):
    """An article where an editor added a person the corpus never names and rejected a suggestion."""
    article = make_article(paragraphs=SENTENCES)
    for paragraph in article.paragraphs.all():
        start = paragraph.text.index(NAME)
        mention_add(paragraph=paragraph, start=start, end=start + len(NAME), label="PERS", user=admin_user)
    paragraph = article.paragraphs.get(position=1)
    start = paragraph.text.index("المدينة")
    wrong = Mention.objects.create(
        article=article, paragraph=paragraph, start=start, end=start + 7, text="المدينة", label="LOC", source="crf"
    )
    mention_reject(mention=wrong, user=admin_user)
    return article


def test_editors_decisions_are_training_sentences(decided_article):
    documents, decisions, encyclopedic, _ = editor_training_documents()
    assert decisions == 3 and len(documents) == 1
    sentences = decided_sentences(documents, start_index=1000, weight=1)
    assert [s.text for s in sentences] == SENTENCES
    first = sentences[0]
    assert [(first.text[a:b], kind) for a, b, kind in first.spans] == [(NAME, "PERS")]
    assert first.labels == ["O", "O", "B-PERS", "I-PERS", "O", "O", "O", "O"]  # المدينة rejected: O
    assert {s.corpus for s in sentences} == {"editor"}


def test_decisions_on_an_article_read_as_an_encyclopedia_teach_the_encyclopedic_weights(decided_article):
    """Recognition's judgement of the article goes with its decisions into training: its sentences
    are the encyclopedic kind (`arabic.ner.genre`), and news articles' stay news."""
    from arabic.ner import crf, genre
    from articles.management.commands.train_ner import Command

    # Recognised before the kind was kept: train_ner judges it with the model in use, and keeps it.
    assert editor_training_documents().encyclopedic == [None]
    assert Command().kinds_judged([None], [decided_article.pk]) == [False]
    assert editor_training_documents().encyclopedic == [False]
    type(decided_article).objects.filter(pk=decided_article.pk).update(read_as_encyclopedia=True)
    documents, _, encyclopedic, _ = editor_training_documents()
    assert encyclopedic == [True]
    sentences = decided_sentences(documents, start_index=0, weight=1, encyclopedic=encyclopedic)
    assert {s.corpus for s in sentences} == {genre.EDITED_ENCYCLOPEDIAS}
    assert all(crf._encyclopedic(s) for s in sentences)
    # An editor who chose to read it as news is believed before the machine.
    type(decided_article).objects.filter(pk=decided_article.pk).update(encyclopedia_by_editor=False)
    assert editor_training_documents().encyclopedic == [False]


def test_each_repeat_of_an_editors_sentence_is_in_its_own_copy_of_the_article():
    """The document pass reads what the rest of a document said of a word: a sentence's repeat in
    the same document would tell it the sentence's own reading. Each repeat is a whole article."""
    first, second = "زار سامر الحلبي تونس .", "ثم عاد سامر الحلبي ."
    article = [(first, [(4, 15, "PERS", KEEP)]), (second, [(7, 18, "PERS", KEEP)])]
    sentences = decided_sentences([article], start_index=0, weight=3)
    documents = {}
    for sentence in sentences:
        documents.setdefault(sentence.document, []).append(sentence.text)
    assert sorted(documents.values()) == [[first, second]] * 3


def test_a_suggestion_beside_a_decision_is_trained_on_as_the_machine_left_it():
    text = "زار سامر الحلبي تونس ."
    documents = [[(text, [(4, 15, "PERS", KEEP), (16, 20, "LOC", SUGGESTED), (0, 3, "ORG", REJECT)])]]
    (sentence,) = decided_sentences(documents, start_index=0, weight=1)
    assert sentence.labels == ["O", "B-PERS", "I-PERS", "B-LOC", "O"]


def test_editor_decisions_change_the_next_training(decided_article, tmp_path, settings):
    corpus = write_tiny_corpus(tmp_path / "tiny.txt")
    call_command("train_ner", corpus=corpus, output=tmp_path / "plain" / "m.model", iterations=30, editor_data=False)
    call_command("train_ner", corpus=corpus, iterations=30, verbosity=0)  # editors' decisions on by default
    taught_path = shipped_model_path()
    assert taught_path.parent.parent == settings.NER_TRAINED_DIR  # a new folder, not the committed model
    assert store.meta_read(taught_path)["editor_decisions"] == 3
    plain, taught = crf.ShippedNER(tmp_path / "plain" / "m.model"), shipped_model()
    text = SENTENCES[0]
    assert (NAME, "PERS") not in tagged(plain, text)
    assert (NAME, "PERS") in tagged(taught, text)


def test_a_retrained_model_is_used_by_the_next_recognition_and_can_be_undone(db, tmp_path, settings, capsys):
    committed = Path(settings.CRF_MODEL_PATH)
    assert shipped_model_path() == committed
    corpus = write_tiny_corpus(tmp_path / "tiny.txt")
    call_command("train_ner", corpus=corpus, iterations=10, verbosity=0)
    first = shipped_model_path()
    call_command("train_ner", corpus=corpus, iterations=10, verbosity=0)
    second = shipped_model_path()
    assert first != second and first.parent.parent == second.parent.parent == settings.NER_TRAINED_DIR
    assert recognizers_available().shipped.path == second  # the next use loads the newest
    call_command("train_ner", undo=True)
    assert shipped_model_path() == first and recognizers_available().shipped.path == first
    call_command("train_ner", undo=True)
    assert shipped_model_path() == committed
    with pytest.raises(CommandError, match="committed model is in use"):
        call_command("train_ner", undo=True)
    with pytest.raises(CommandError, match="is the committed model"):
        call_command("train_ner", corpus=corpus, output=committed, editor_data=False)


@pytest.fixture(scope="module")
def shared_corpora():
    from django.conf import settings

    data = Path(settings.NER_DATA_DIR)
    if not all((data / folder).is_dir() for folder in ("newsfane", "anercorp", "aqmar", "wojood_sample")):
        pytest.skip("the shared corpora are not on this machine")
    return read_corpora(data)


def test_the_committed_model_trained_only_on_the_shared_files(shared_corpora):
    trained = crf.ShippedNER(Path(__file__).resolve().parent.parent / "arabic/ner/data/ner-crf.model").trained
    shared = {fingerprint(s.text) for sentences in shared_corpora.values() for s in sentences}
    assert trained and trained <= shared, f"{len(trained - shared)} training sentences from outside the shared files"
    # The final fit: ANERcorp's and AQMAR's held-out parts too, once the settings were chosen without them.
    for name in ("anercorp", "aqmar"):
        assert {fingerprint(s.text) for s in shared_corpora[name] if s.held_out} <= trained


def write_anercorp(folder: Path, sentences: int = 260) -> Path:
    """A small ANERcorp-format file (token SPACE tag) with a held-out part (sentences 200–249)."""
    from .test_ner import FIRST, LAST

    lines = []
    for index in range(sentences):
        first, last = FIRST[index % 6], LAST[(index // 6) % 6]
        # A word of its own early and late in each sentence: no run of six words repeats.
        own = "".join("ابتثجحخدذر"[int(digit)] for digit in str(index))
        words = [f"يوم{own}", "قال", "الرئيس", first, last, f"رقم{own}", "في", "تونس", "."]
        tags = ["O", "O", "O", "B-PERS", "I-PERS", "O", "O", "B-LOC", "O"]
        lines += [f"{word} {tag}" for word, tag in zip(words, tags, strict=True)] + [""]
    (folder / "anercorp").mkdir(parents=True)
    (folder / "anercorp" / "ANERcorp_train.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_retraining_learns_from_the_held_out_parts_unless_they_are_set_aside_to_score_them(
    db, tmp_path, settings, capsys
):
    settings.NER_DATA_DIR = write_anercorp(tmp_path / "data")
    sentences = read_corpora(settings.NER_DATA_DIR, ("anercorp",))["anercorp"]
    held_out = {fingerprint(s.text) for s in sentences if s.held_out}
    assert len(held_out) == 50
    call_command("load_gazetteer", verbosity=0)
    call_command("train_ner", corpora="anercorp", iterations=10, verbosity=0)
    assert held_out <= shipped_model().trained  # the model the site uses learns from every sentence
    with pytest.raises(CommandError, match="trained on the held-out parts too.*--held-out-aside"):
        call_command("evaluate_ner", corpora="anercorp")  # its held-out scores would be memories
    corpus_file = settings.NER_DATA_DIR / "anercorp" / "ANERcorp_train.txt"
    with pytest.raises(CommandError, match="trained on this corpus's held-out part"):
        call_command("evaluate_ner", corpus=corpus_file)  # the same file scored as a corpus of one's own
    call_command("train_ner", corpora="anercorp", iterations=10, held_out_aside=True, verbosity=0)
    assert shipped_model().trained and not held_out & shipped_model().trained
    call_command("evaluate_ner", corpora="anercorp")
    assert "anercorp: its held-out part (50 sentences)" in capsys.readouterr().out
    settings.CRF_MODEL_PATH = tmp_path / "committed" / "ner-crf.model"  # never the repository's
    with pytest.raises(CommandError, match="give no --held-out-aside"):
        call_command("train_ner", ship=True, held_out_aside=True)
    assert not settings.CRF_MODEL_PATH.parent.exists()
    with pytest.raises(ValueError, match="cannot be trained on"):
        training_part(read_corpora(settings.NER_DATA_DIR, ("anercorp",)), fold=0, held_out_too=True)


def test_no_training_sentence_shares_text_with_a_held_out_one(shared_corpora):
    from arabic.ner.corpora import shingles

    training, scored = training_part(shared_corpora)
    held_out = set().union(*(shingles(s.text) for s in scored))
    assert not [s.text for s in training if shingles(s.text) & held_out]
    assert {s.corpus for s in scored} == {"newsfane", "anercorp", "aqmar", "wojood"}
    # Where ANERcorp and NewsFANE share text, ANERcorp's annotation is trained on (cross-validation chose it).
    newsfane = [s for s in training if s.corpus == "newsfane"]
    assert len(newsfane) < 200


def test_recognize_reads_every_article_again_with_the_model_now_in_use(
    decided_article, make_article, tmp_path, capsys, django_capture_on_commit_callbacks
):
    other = make_article(paragraphs=[f"التقى {NAME} وزير الطاقة أمس ."])
    corpus = write_tiny_corpus(tmp_path / "tiny.txt")

    def retrain(**options):
        capsys.readouterr()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("train_ner", **options)
        return capsys.readouterr().out

    def person_found():
        return Mention.objects.filter(article=other, text=NAME, label="PERS", status=Mention.Status.SUGGESTED).exists()

    assert "Queued the recognition of 2 article(s)" in retrain(
        corpus=corpus, iterations=30, editor_data=False, recognize=True
    )
    assert not person_found()  # a model nobody told of him
    assert "The 2 article(s) keep the suggestions" in retrain(corpus=corpus, iterations=30)
    assert not person_found()  # the articles keep their suggestions until they are read again...
    retrain(corpus=corpus, iterations=30, recognize=True)
    assert person_found()  # ...as --recognize has them read, with what the editor taught it elsewhere
    assert decided_article.mentions.filter(status=Mention.Status.REJECTED, text="المدينة").exists()
    retrain(undo=True, recognize=True)
    assert person_found()
    retrain(undo=True, recognize=True)  # back to the model nobody told
    assert not person_found()
    with pytest.raises(CommandError, match="retrain into NER_TRAINED_DIR"):
        call_command("train_ner", ship=True, recognize=True)
