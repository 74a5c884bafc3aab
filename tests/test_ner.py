"""The shipped NER model: the corpus as pages write it, training and scoring
commands on a tiny corpus, the committed model on the seed, and the pipeline's
precedence."""

import lzma
import time

import pytest
from django.core.management import call_command

from arabic.ner import crf
from arabic.ner.corpus import corpus_sentences, is_held_out, page_sentence
from arabic.ner.features import Featurizer, document_features, proclitic_length
from arabic.ner.pipeline import Candidate, Decision, resolve
from articles.entities.recognition import recognizers_available, shipped_model, shipped_status
from articles.models import Entity, EntityType, Mention

from .conftest import SEED

SEED_PEOPLE = ["إبراهيم قالن", "خليل الحية", "رجب طيب أردوغان", "هاكان فيدان"]


def spans_text(sentence):
    return [(sentence.text[start:end], kind) for start, end, kind in sentence.spans]


# --- The corpus, rejoined as pages write it ------------------------------------------


def test_clitics_are_rejoined_and_spans_leave_out_the_proclitic():
    tokens = [
        ("و", "O"),
        ("قال", "O"),
        ("اردوغان", "B-Politician"),
        ("ل", "O"),
        ("الحكومة", "B-Government"),
        ("و", "O"),
        ("ب", "O"),
        ("المانيا", "B-Nation"),
        ("فريق", "O"),
        ("ه", "O"),
        ("الفلسطينيين", "B-Group"),
        (".", "O"),
    ]
    sentence = page_sentence(0, tokens)
    assert sentence.text == "وقال اردوغان للحكومة وبالمانيا فريقه الفلسطينيين ."
    # ل + الحكومة is written للحكومة: the span starts at the article's lam, as the gazetteer's do.
    assert spans_text(sentence) == [("اردوغان", "PERS"), ("لحكومة", "ORG"), ("المانيا", "LOC")]
    assert sentence.labels == ["O", "B-PERS", "B-ORG", "B-LOC", "O", "O", "O"]


def test_a_clitic_inside_a_name_stays_a_word():
    sentence = page_sentence(0, [("(", "O"), ("د", "B-Media"), ("ب", "I-Media"), ("ا", "I-Media"), (")", "O")])
    assert spans_text(sentence) == [("د ب ا", "ORG")]


def test_held_out_part_is_every_fifth_block_of_fifty():
    assert [is_held_out(i) for i in (0, 199, 200, 249, 250, 449, 450)] == [
        False,
        False,
        True,
        True,
        False,
        False,
        True,
    ]


def test_proclitics_are_told_from_a_names_first_letter():
    known = {"قال": 50, "بغداد": 5, "المانيا": 9}
    assert proclitic_length("وقال", known) == 1
    assert proclitic_length("بغداد", known) == 0
    assert proclitic_length("بالمانيا", known) == 1
    # Unknown words: a conjunction goes, the article stays.
    assert proclitic_length("وفيدان", {}) == 1
    assert proclitic_length("للحكومة", {}) == 1
    # لل is always ل + ال, even where the corpus left the word unsegmented more often than not.
    assert proclitic_length("للامم", {"للامم": 40, "الامم": 60}) == 1
    assert proclitic_length("وللامم", {"للامم": 40}) == 2


def test_a_common_word_that_is_often_a_name_keeps_both_readings():
    """`نصر` is mostly "victory" but often a name: the model is told both, not only the majority."""
    victory = [page_sentence(i, [("حقق", "O"), ("نصر", "O"), (".", "O")]) for i in range(4)]
    name = [page_sentence(9, [("قال", "O"), ("نصر", "B-Politician"), (".", "O")])]
    lexicon = crf.type_lexicon(victory + name)
    assert lexicon["نصر"] == "O+|PERS"
    assert "also=PERS" in Featurizer({}, lexicon).word("نصر")
    assert "also=PERS" not in Featurizer({}, crf.type_lexicon(victory)).word("نصر")


def test_unsegmented_lam_lam_spans_start_where_the_gazetteers_do(tmp_path):
    """The corpus sometimes leaves للامم whole; its gold span starts at the article's lam all the same."""
    lines = ["ل\tO", "الامم\tB-Non-Governmental", "\t"]
    lines += ["امين\tO", "للامم\tB-Non-Governmental", "المتحدة\tI-Non-Governmental"]
    corpus = tmp_path / "NewsFANE_Gold_2014_shared.txt"
    corpus.write_text("\n".join([*lines, ""]), encoding="utf-8")
    first, second = corpus_sentences(tmp_path)
    assert spans_text(first) == [("لامم", "ORG")]
    assert spans_text(second) == [("لامم المتحدة", "ORG")]


def test_features_fold_spellings_pages_vary():
    featurizer = Featurizer({"اعلن": 3})
    assert featurizer.word("أعلن") == featurizer.word("اعلن")
    assert featurizer.word("مستشفى")[0] == featurizer.word("مستشفي")[0]


def test_the_document_pass_sees_a_surname_named_in_full_elsewhere():
    """A surname alone later in an article is told it closed a person's name before; nothing leaks from itself."""
    stems = [["قال", "ارسين", "فينغر", "ان", "لندن"], ["واضاف", "فينغر"], ["في", "باريس"]]
    labels = [["O", "B-PERS", "I-PERS", "O", "O"], ["O", "O"], ["O", "O"]]
    gazetteer = [["O", "O", "O", "O", "B-LOC"], ["O", "O"], ["O", "B-LOC"]]
    context = document_features(stems, labels, gazetteer)
    assert "d:last-PERS=1" in context[1][1] and "d:PERS=1" in context[1][1]
    # The full name hears that its surname stood alone once, untagged.
    assert sorted(context[0][2]) == ["d:O=1", "d:seen=1"]
    # Words said once in the document learn nothing from it.
    assert context[0][4] == [] and context[2][1] == []


# --- Training and scoring on a tiny corpus ---------------------------------------------

FIRST = ["سامر", "نادر", "كريم", "وليد", "ماهر", "فادي"]
LAST = ["الحلبي", "النجار", "العمري", "الخطيب", "السعدي", "القاسم"]


def write_tiny_corpus(path, sentences=260):
    """Sentences of a few shapes with varied names: enough for a held-out part (index 200–249)."""
    lines = []
    for index in range(sentences):
        first, last = FIRST[index % 6], LAST[(index // 6) % 6]
        lines += [
            "\u200eو\tO",
            "\u200eقال\tO",
            "\u200eالرئيس\tO",
            f"\u200e{first}\tB-Politician",
            f"\u200e{last}\tI-Politician",
            "\u200eفي\tO",
            "\u200eتونس\tB-Nation",
            "\u200eان\tO",
            "\u200eال\u200eوزارة\tO",
            ".\tO",
            "\t",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def tiny_model(tmp_path, settings):
    corpus = write_tiny_corpus(tmp_path / "tiny.txt")
    output = tmp_path / "model" / "tiny.model"
    call_command("train_ner", corpus=corpus, output=output, iterations=30, editor_data=False, verbosity=0)
    settings.CRF_MODEL_PATH = output
    return corpus, output


def test_train_ner_writes_a_model_that_finds_people(tiny_model, capsys):
    _, output = tiny_model
    kept = [crf.stored(path) for path in (output, crf.stems_path(output))]
    assert all(path.is_file() for path in kept) and not output.exists()  # only the compressed files
    # No document pass: cross-validation preferred the surname rule (crf.DOCUMENT_PASS).
    assert not crf.stored(crf.document_path(output)).exists()
    model = crf.ShippedNER(output)
    text = "وقال الرئيس وليد السعدي في تونس ."
    sentence = [(word, text.index(word), text.index(word) + len(word)) for word in text.split()]
    spans = model.tag(sentence, ["O"] * len(sentence))
    assert [(text[s.start : s.end], s.label) for s in spans] == [("وليد السعدي", "PERS"), ("تونس", "LOC")]
    assert all(0 < s.confidence <= 1 for s in spans)


def test_train_ner_is_reproducible(tiny_model, tmp_path):
    corpus, output = tiny_model
    again = tmp_path / "again.model"
    call_command("train_ner", corpus=corpus, output=again, iterations=30, editor_data=False, verbosity=0)
    for made, remade in ((output, again), (crf.stems_path(output), crf.stems_path(again))):
        assert crf.stored(remade).read_bytes() == crf.stored(made).read_bytes()


def test_the_model_knows_arabic_given_names_its_corpus_never_showed(tiny_model):
    _, output = tiny_model
    featurizer = crf.ShippedNER(output).featurizer
    # تامر and البرغوثي are in no sentence of the tiny corpus: the names list stored with the model knows them.
    assert "name=given" in featurizer.word("وتامر")
    assert "name=family" in featurizer.word("البرغوثي")
    assert not any(f.startswith("name=") for f in featurizer.word("الوزارة"))


def test_train_ner_says_what_is_wrong_with_a_missing_corpus(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no NewsFANE file"):
        call_command("train_ner", corpus=tmp_path / "nowhere", output=tmp_path / "m.model")


def test_evaluate_ner_scores_the_held_out_part_beside_the_baseline(tiny_model, db, capsys):
    corpus, _ = tiny_model
    call_command("load_gazetteer", verbosity=0)
    call_command("evaluate_ner", corpus=corpus)
    out = capsys.readouterr().out
    assert "gazetteer only (baseline) (50 sentences)" in out
    assert "gazetteer, shipped model (CRF) (50 sentences)" in out
    baseline, pipeline = out.split("gazetteer only (baseline)")[1].split("shipped model (CRF)")
    # The gazetteer knows Tunisia, not the people; the model finds both.
    assert "PERS     0.0    0.0    0.0     50" in baseline
    assert "PERS   100.0  100.0  100.0     50" in pipeline


def test_evaluate_ner_scores_every_sentence_of_another_corpus_in_its_own_format(tiny_model, db, tmp_path, capsys):
    # ANERcorp's shape: `token tag` with the four types, no blank line between sentences.
    lines = []
    for index in range(12):
        first, last = FIRST[index % 6], LAST[index % 5]
        lines += ["قال O", "الرئيس O", f"{first} B-PERS", f"{last} I-PERS", "في O", "تونس B-LOC", ". O"]
    lines += ["بطولة B-EVENT", "كبرى O", ". O"]
    other = tmp_path / "other.txt"
    other.write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command("load_gazetteer", verbosity=0)
    call_command("evaluate_ner", corpus=other, every_sentence=True)
    captured = capsys.readouterr()
    baseline, pipeline = captured.out.split("gazetteer only (baseline)")[1].split("shipped model (CRF)")
    assert "(13 sentences)" in baseline  # split after each full stop
    assert "PERS   100.0  100.0  100.0     12" in pipeline
    assert "LOC    100.0  100.0  100.0     12" in pipeline
    assert "EVENT (1)" in captured.err  # a class of its own is named, not silently dropped


def test_other_corpora_shapes_are_read_as_their_conventions_mean(tmp_path):
    from arabic.ner.corpus import read_documents, read_tokens

    # Wojood's nested names: the token is the first column, its outermost tag the next one.
    nested = tmp_path / "nested.txt"
    nested.write_text("حزب B-ORG\nالأسد I-ORG B-PERS\nقال O\n\nفي O\nفلسطين B-GPE\n", encoding="utf-8")
    assert read_documents(nested) == [
        [[("حزب", "B-ORG"), ("الأسد", "I-ORG"), ("قال", "O")], [("في", "O"), ("فلسطين", "B-GPE")]]
    ]
    # CoNLL: part of speech and chunk before the name's tag; -DOCSTART- opens a document; IOBES is BIO.
    conll = tmp_path / "conll.txt"
    conll.write_text(
        "-DOCSTART- -X- -X- O\n\nسامر NNP B-NP B-PER\nالحلبي NNP I-NP E-PER\nقال VBD B-VP O\n\n"
        "-DOCSTART- -X- -X- O\n\nتونس NNP B-NP S-LOC\n",
        encoding="utf-8",
    )
    assert read_documents(conll) == [
        [[("سامر", "B-PER"), ("الحلبي", "I-PER"), ("قال", "O")]],
        [[("تونس", "B-LOC")]],
    ]
    # AQMAR: a line holding a right-to-left mark and a tag is no word (it was read as the word "O").
    marks = tmp_path / "marks.txt"
    marks.write_text("مسجد B-LOC\n\u200f O\nابن I-LOC\n", encoding="utf-8")
    assert read_tokens(marks, strict=False) == [[("مسجد", "B-LOC"), ("ابن", "I-LOC")]]
    # IO tagging: a class alone; consecutive words of one class make one name.
    io = tmp_path / "io.txt"
    io.write_text("سامر PER\nالحلبي PER\nفي O\nتونس LOC\n.\tO\n", encoding="utf-8")
    sentence = corpus_sentences(tokens=read_tokens(io))[0]
    assert spans_text(sentence) == [("سامر الحلبي", "PERS"), ("تونس", "LOC")]


def test_evaluate_ner_reads_a_folder_of_conll_files_one_document_each(tiny_model, db, tmp_path, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "README.md").write_text("About this corpus: not annotated text.\n", encoding="utf-8")
    for number in range(3):
        lines = []
        for index in range(4):
            first, last = FIRST[(number + index) % 6], LAST[index % 5]
            lines += [
                "قال VBD O",
                "الرئيس NN O",
                f"{first} NNP B-PER",
                f"{last} NNP E-PER",
                "في IN O",
                "تونس NNP S-LOC",
            ]
            lines += [". PUNC O", ""]
        (folder / f"article{number}.conll").write_text("\n".join(lines), encoding="utf-8")
    call_command("load_gazetteer", verbosity=0)
    call_command("evaluate_ner", corpus=folder, every_sentence=True)
    out = capsys.readouterr().out
    pipeline = out.split("gazetteer only (baseline)")[1].split("shipped model (CRF)")[1]
    assert "(12 sentences)" in pipeline
    assert "PERS   100.0  100.0  100.0     12" in pipeline
    assert "LOC    100.0  100.0  100.0     12" in pipeline
    assert "of 3 documents" in pipeline  # each file read whole, as recognition reads an article


def test_evaluate_ner_scores_another_corpus_whole_but_for_what_the_model_trained_on(tiny_model, db, tmp_path, capsys):
    corpus, _ = tiny_model
    trained = corpus.read_text(encoding="utf-8").split("\t\n")[:2]  # two sentences it trained on
    fresh = []
    for index in range(10):
        first, last = FIRST[index % 6], LAST[(index + 1) % 6]
        fresh.append(f"استقبل\tO\nالوزير\tO\n{first}\tB-Politician\n{last}\tI-Politician\n.\tO\n")
    other = tmp_path / "other.txt"
    other.write_text("\t\n".join([*fresh, *trained]) + "\t\n", encoding="utf-8")
    call_command("load_gazetteer", verbosity=0)
    call_command("evaluate_ner", corpus=other)
    out = capsys.readouterr().out
    assert "Scored: the 10 sentences the shipped model never trained on" in out
    assert "2 it trained on left out" in out
    assert "shipped model (CRF) (10 sentences)" in out


def test_evaluate_ner_on_a_small_corpus_points_to_all(tiny_model, db, tmp_path):
    from django.core.management.base import CommandError

    small = write_tiny_corpus(tmp_path / "small.txt", sentences=20)
    call_command("load_gazetteer", verbosity=0)
    with pytest.raises(CommandError, match="--all"):
        call_command("evaluate_ner", corpus=small)


def test_evaluate_ner_refuses_an_empty_gazetteer(tiny_model, db):
    from django.core.management.base import CommandError

    corpus, _ = tiny_model
    with pytest.raises(CommandError, match="load_gazetteer"):
        call_command("evaluate_ner", corpus=corpus)


# --- The committed model -----------------------------------------------------------


def test_the_committed_model_loads_fast_and_once():
    crf._load.cache_clear()
    started = time.perf_counter()
    model = shipped_model()
    assert model is not None, shipped_status()
    assert time.perf_counter() - started < 1.0
    assert shipped_model() is model
    assert len(model.featurizer.names) > 1000  # stored with the model: serving never imports Faker


def test_the_seed_people_are_highlighted_through_the_import(db, django_capture_on_commit_callbacks):
    call_command("load_gazetteer", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", str(SEED), verbosity=0)
    mentions = Mention.objects.filter(source=Mention.Source.SHIPPED)
    people = {m.text for m in mentions if m.label == EntityType.PERS}
    for name in SEED_PEOPLE:
        assert name in people, f"{name} not highlighted as a person; people found: {sorted(people)}"
    # Spans never hold a clitic: in the seed these names stand after a space or a comma.
    for mention in mentions.filter(label=EntityType.PERS, text__in=SEED_PEOPLE):
        assert mention.segment_text[mention.start : mention.end] == mention.text
        assert 0 < mention.score <= 1
    # The gazetteer still wins where it knows a name.
    assert Mention.objects.filter(source=Mention.Source.GAZETTEER, text="إسطنبول").exists()
    assert not Mention.objects.filter(source=Mention.Source.SHIPPED, text="إسطنبول").exists()


def test_evaluate_ner_scores_the_spans_readers_get_through_the_api(
    db, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    """What evaluate_ner scores is what a corpus's documents give when imported as articles,
    recognised by the worker and read back through the API: the same spans, paragraph by paragraph."""
    import json
    from pathlib import Path

    from arabic.ner.corpora import anercorp_sentences
    from arabic.ner.evaluation import recognized
    from articles.entities.recognition import current_gazetteer
    from articles.models import Article

    folder = Path(settings.NER_DATA_DIR) / "anercorp"
    if not folder.is_dir():
        pytest.skip("the ANERcorp copy is not on this machine")
    documents = (0, 1, 2)
    sentences = [s for s in anercorp_sentences(folder) if s.document in documents]
    for document in documents:
        paragraphs = [s.text for s in sentences if s.document == document]
        article = {"title": f"وثيقة {document + 1}", "paragraphs": paragraphs}
        (tmp_path / f"{document}.json").write_text(json.dumps(article, ensure_ascii=False), encoding="utf-8")
    call_command("load_gazetteer", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", str(tmp_path), publish=True, verbosity=0)

    through_api = []
    for document in documents:
        slug = Article.objects.get(title=f"وثيقة {document + 1}").slug
        for paragraph in client.get(f"/api/articles/{slug}/").json()["paragraphs"]:
            through_api.append(sorted((e["start"], e["end"], e["label"]) for e in paragraph["entities"]))
    gazetteer, types = current_gazetteer()
    recognizers = recognizers_available()
    scored, _ = recognized(
        sentences, gazetteer=gazetteer, types=types, model=recognizers.model, shipped=recognizers.shipped
    )
    assert len(through_api) == len(sentences) == 150
    assert through_api == [sorted(spans) for _, spans in scored]
    assert sum(map(len, through_api)) > 100


def test_recognize_entities_says_which_recognisers_ran(seed_article, capsys):
    call_command("load_gazetteer", verbosity=0)
    call_command("recognize_entities", seed_article.slug)
    out = capsys.readouterr().out
    assert "Recognisers: gazetteer, shipped model (CRF)" in out
    assert "camel-tools NER model: not installed" in out
    assert "from the crf" in out


def test_the_shipped_model_can_be_turned_off(settings, db):
    settings.CRF_MODEL_ENABLED = False
    recognizers = recognizers_available()
    assert recognizers.shipped is None
    assert "CRF_MODEL_ENABLED=0" in " ".join(recognizers.notes)


def test_a_missing_or_broken_model_leaves_the_gazetteer_running(settings, db, tmp_path, seed_article):
    settings.CRF_MODEL_PATH = tmp_path / "absent.model"
    recognizers = recognizers_available()
    assert recognizers.names == ["gazetteer"]
    assert "manage.py train_ner" in " ".join(recognizers.notes)

    broken = tmp_path / "broken.model"
    crf.stored(broken).write_bytes(lzma.compress(b"not a crfsuite model"))
    crf.stored(crf.stems_path(broken)).write_bytes(lzma.compress(b'{"stems": {}, "lexicon": {}}'))
    settings.CRF_MODEL_PATH = broken
    recognizers = recognizers_available()
    assert recognizers.shipped is None
    assert "could not be loaded" in " ".join(recognizers.notes)
    call_command("load_gazetteer", verbosity=0)
    call_command("recognize_entities", seed_article.slug, verbosity=0)
    assert Mention.objects.filter(article=seed_article, source=Mention.Source.GAZETTEER).exists()
    # Linking asks the model's word lists whether a surname alone is rare: a broken model says no.
    from articles.entities.recognition import candidates_link

    text = "التقى هيغسيث نظيره"
    alone = Candidate(text.index("هيغسيث"), text.index("هيغسيث") + 6, "PERS", "shipped", 0.9)
    assert candidates_link([(text, alone)]) == {}


# --- Precedence, span by span ---------------------------------------------------------


def test_precedence_is_editor_gazetteer_camel_then_shipped():
    shipped = Candidate(0, 12, "PERS", Mention.Source.SHIPPED, 0.9)
    camel_model = Candidate(5, 12, "ORG", Mention.Source.MODEL)
    gazetteer = Candidate(20, 25, "LOC", Mention.Source.GAZETTEER, 1.0, 1)
    shipped_elsewhere = Candidate(18, 23, "ORG", Mention.Source.SHIPPED, 0.95)
    alone = Candidate(40, 45, "PERS", Mention.Source.SHIPPED, 0.7)
    chosen = resolve([shipped, camel_model, gazetteer, shipped_elsewhere, alone], [])
    assert chosen == [camel_model, gazetteer, alone]

    editor = Decision(start=40, end=44, rejected=False)  # an editor's mention (confirmed or added)
    assert resolve([alone], [editor]) == []
    rejected = Decision(start=40, end=45, rejected=True)
    assert resolve([alone], [rejected]) == []


def test_a_place_the_shipped_model_is_unsure_of_is_left_out():
    """Below SHIPPED_MIN_CONFIDENCE for places (chosen by cross-validation) a LOC span is dropped;
    people and organisations are kept however unsure."""
    from arabic.ner.pipeline import shipped_candidates

    text = "زار سامي مدينة كوتو مع شركة نورا"
    spans = [
        crf.Span(4, 8, "PERS", 0.4),
        crf.Span(15, 19, "LOC", 0.55),
        crf.Span(23, 32, "ORG", 0.4),
    ]

    class Tagger:  # the model's answer for the one sentence, as ShippedNER.tag_document gives it
        def tag_document(self, sentences, encyclopedic=None):
            return [spans]

    found = shipped_candidates([text], Tagger(), [[]])[0]
    assert [(text[c.start : c.end], c.label) for c in found] == [("سامي", "PERS"), ("شركة نورا", "ORG")]
    spans[1] = crf.Span(15, 19, "LOC", 0.65)
    assert [text[c.start : c.end] for c in shipped_candidates([text], Tagger(), [[]])[0]] == [
        "سامي",
        "كوتو",
        "شركة نورا",
    ]


def test_a_confident_model_span_around_a_gazetteer_name_gives_its_boundaries_and_type():
    text = "فاز ريال مدريد على ليفربول في لندن"
    madrid = Candidate(9, 14, "LOC", Mention.Source.GAZETTEER, 1.0, 1)
    real_madrid = Candidate(4, 14, "ORG", Mention.Source.SHIPPED, 0.8)
    liverpool = Candidate(19, 26, "LOC", Mention.Source.GAZETTEER, 1.0, 2)
    club = Candidate(19, 26, "ORG", Mention.Source.SHIPPED, 0.95)
    london = Candidate(30, 34, "LOC", Mention.Source.GAZETTEER, 1.0, 3)
    london_doubted = Candidate(30, 34, "ORG", Mention.Source.SHIPPED, 0.6)
    chosen = resolve([madrid, real_madrid, liverpool, club, london, london_doubted], [])
    assert [(text[c.start : c.end], c.label) for c in chosen] == [
        ("ريال مدريد", "ORG"),
        ("ليفربول", "ORG"),
        ("لندن", "LOC"),  # the model is not sure enough to retype the gazetteer's name
    ]
    # An unsure longer span leaves the gazetteer's name alone; an editor's decision still beats both.
    unsure = Candidate(4, 14, "ORG", Mention.Source.SHIPPED, 0.3)
    assert resolve([madrid, unsure], []) == [madrid]
    editor = Decision(start=9, end=14, rejected=False)
    assert resolve([madrid, real_madrid], [editor]) == []


def test_an_editors_gazetteer_entry_teaches_the_model(db):
    """Gazetteer membership is a feature: a name editors add changes what the model finds."""
    from arabic.ner.pipeline import gazetteer_candidates, shipped_candidates
    from articles.entities.recognition import current_gazetteer

    model = shipped_model()
    text = "قالت شركة زنتارا إن أرباحها ارتفعت ."

    def found_by_model():
        gazetteer, types = current_gazetteer()
        known = gazetteer_candidates(text, gazetteer, types)
        return [(text[c.start : c.end], c.label) for c in shipped_candidates([text], model, [known])[0]]

    # A name it never saw: the model may guess the name after "company", never the whole name.
    assert ("شركة زنتارا", "ORG") not in found_by_model()
    Entity.objects.create(name_ar="شركة زنتارا", type=EntityType.ORG)
    # Once editors list it, the model finds the organisation whole.
    assert found_by_model() == [("شركة زنتارا", "ORG")]


def test_corpus_reading_matches_the_shared_copy_when_present(settings):
    from pathlib import Path

    if not (Path(settings.NER_DATA_DIR) / "newsfane" / "NewsFANE_Gold_2014_shared.txt").exists():
        pytest.skip("the NewsFANE copy is not on this machine")
    sentences = corpus_sentences(Path(settings.NER_DATA_DIR) / "newsfane")
    assert len(sentences) == 3947
    assert sum(s.held_out for s in sentences) == 750


def test_wojoods_nested_lines_leave_no_tag_in_its_text_when_present(settings):
    from pathlib import Path

    from arabic.ner.corpora import wojood_sentences

    folder = Path(settings.NER_DATA_DIR) / "wojood_sample"
    if not folder.is_dir():
        pytest.skip("the Wojood sample is not on this machine")
    sentences = wojood_sentences(folder)
    # Some lines carry nested tags (`الأسد I-ORG B-PERS`): none of them is read into the sentence.
    assert not [s.text for s in sentences if "I-" in s.text or "B-" in s.text]
    assert sum(s.held_out for s in sentences) == 357


def test_evaluate_ner_cross_validates_on_a_training_fold_never_the_held_out_part(tmp_path, capsys):
    from django.core.management.base import CommandError

    corpus = write_tiny_corpus(tmp_path / "tiny.txt")
    call_command("evaluate_ner", corpus=corpus, cv_fold=1)
    out = capsys.readouterr().out
    # Fold 1 is sentences 50–99: trained on the other training blocks, scored on those 50.
    assert "fold 1: as recognition runs (50 sentences)" in out
    assert out.count("PERS   100.0  100.0  100.0     50") == 1  # scored once: no document pass to set apart
    with pytest.raises(CommandError, match="fold 4 is the held-out part"):
        call_command("evaluate_ner", corpus=corpus, cv_fold=4)  # the held-out part is no fold


def test_a_surname_alone_later_in_the_article_is_a_person_as_its_full_name_was():
    """The surname rule: the committed model and the gazetteer read the article's paragraphs together."""
    from arabic.ner.pipeline import seed_gazetteer, texts_candidates

    model = shipped_model()
    gazetteer, types = seed_gazetteer()
    article = ["قال المدرب الإيطالي كارلو أنشيلوتي إن الفريق جاهز .", "ويأمل أنشيلوتي في الفوز ."]

    def people(texts):
        found = texts_candidates(texts, gazetteer=gazetteer, types=types, shipped=model)
        return [
            [text[c.start : c.end] for c in mentions if c.label == "PERS"]
            for text, mentions in zip(texts, found, strict=True)
        ]

    assert people(article) == [["كارلو أنشيلوتي"], ["أنشيلوتي"]]
    # Alone, the paragraph gives the model no hint that أنشيلوتي is a name.
    assert people(article[1:]) == [[]]


def test_a_person_that_opens_with_another_persons_surname_ends_with_it():
    """The model sometimes runs a surname on into the verb after it (`أردوغان سيعقدان`, "Erdoğan will
    hold"): that is the surname alone, and links to the full name, not a person of its own."""
    from arabic.ner.linking import article_links
    from arabic.ner.pipeline import Source, surnames_ended

    def person(text, name):
        start = text.index(name)
        return Candidate(start, start + len(name), "PERS", Source.SHIPPED, 0.9, None)

    texts = [
        "استقبل بوتين الرئيس رجب طيب أردوغان ، وقال أحمد محمد وعبد المنعم سعيد .",
        "وأضاف أن أردوغان سيعقدان مؤتمرا ، وأن محمد نايف وعبد المنعم حضرا .",
    ]
    found = [
        [person(texts[0], "رجب طيب أردوغان"), person(texts[0], "أحمد محمد"), person(texts[0], "عبد المنعم سعيد")],
        [person(texts[1], "أردوغان سيعقدان"), person(texts[1], "محمد نايف"), person(texts[1], "عبد المنعم")],
    ]
    featurizer = Featurizer(names={"محمد": "given"})
    ended = surnames_ended(texts, found, featurizer)
    named = [[text[c.start : c.end] for c in candidates] for text, candidates in zip(texts, ended, strict=True)]
    # A listed given name that ends another name (محمد) and a name's particle (عبد) open names of their own.
    assert named == [["رجب طيب أردوغان", "أحمد محمد", "عبد المنعم سعيد"], ["أردوغان", "محمد نايف", "عبد المنعم"]]
    links = article_links([(name, "PERS", None) for part in named for name in part])
    assert links[3].same == 0  # أردوغان is رجب طيب أردوغان
    # A word that another name holds too is a name's part, kept.
    texts = ["التقى جون سميث وماري جون .", "وقال سميث جون إن ..."]
    found = [
        [person(texts[0], "جون سميث"), person(texts[0], "ماري جون")],
        [person(texts[1], "سميث جون")],
    ]
    assert surnames_ended(texts, found, Featurizer()) == found


def test_set_phrases_name_outlets_ministries_and_photographers_the_model_never_saw():
    """A channel or a paper after its head noun, a ministry with its nationality and a caption's
    photographer, in text made up here (no corpus, no seed): the phrase says what the name is."""
    from arabic.ner.pipeline import resolve, seed_gazetteer, texts_candidates

    model = shipped_model()
    gazetteer, types = seed_gazetteer()

    def names(text):
        found = texts_candidates([text], gazetteer=gazetteer, types=types, shipped=model)[0]
        return {(text[c.start : c.end], c.label) for c in resolve(found, [])}

    found = names("وبثت قناة زفيزدا، أن وزارة الدفاع الروسية أعلنت إسقاط طائرات فوق البحر.")
    assert {("زفيزدا", "ORG"), ("وزارة الدفاع الروسية", "ORG")} <= found
    found = names('ونشرت صحيفة "كوريري ديلا سيرا" تقريرا عن وزارة الصحة البرازيلية.')
    assert {("كوريري ديلا سيرا", "ORG"), ("وزارة الصحة البرازيلية", "ORG")} <= found
    # A place that names a paper is the paper; the adjective after its name is not its name.
    assert ("القدس", "ORG") in names("وقالت صحيفة القدس الفلسطينية إن المفاوضات توقفت.")
    # A credit: the photographer before the slash, the agency after it.
    caption = "متظاهرون أمام البرلمان في روما، 3 مارس 2025 (أندريا كولومبو/رويترز)"
    assert {("أندريا كولومبو", "PERS"), ("رويترز", "ORG")} <= names(caption)
    # Not names: a ministry of no country named, a channel's adjective, an institution credited.
    assert not {name for name, label in names("وعممت وزارة الخارجية بيانا عبر قناة إذاعية جديدة.") if label == "ORG"}
    assert ("الداخلية السورية", "PERS") not in names("اعتقال مطلوب في حمص، 5 نوفمبر 2025 (الداخلية السورية/إكس)")
