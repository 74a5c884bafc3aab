"""Encyclopedias and news name some things differently: the model reads a document as its kind."""

from pathlib import Path

from arabic.ner import crf
from arabic.ner.corpora import KEEP, REJECT, decided_sentences
from arabic.ner.features import Featurizer

# An encyclopedia's way: a subject defined, centuries, years in parentheses.
ENCYCLOPEDIA = [
    "الحصن هو بناء قديم يعود إلى القرن الحادي عشر ( 1099 ) و قد بني في عام 1101 .",
    "يعتبر الحصن من أقدم المباني و تسمى أبراجه بأسماء ملوكه منذ القرن الثاني عشر ( 1150 ) .",
    "و هي مدينة تقع في الشمال و يعرف سكانها بالزراعة منذ عام 1200 .",
]
# News: who said what, yesterday, to the agency.
NEWS = [
    "قال المتحدث باسم الوزارة أمس إن الوفد طلب اللقاء اليوم .",
    "و أضاف في تصريحات لوكالة الأنباء يوم الاثنين أن الوفد سيحضر الاجتماع .",
    "و أكد مصدر مسؤول للصحفيين الأحد أن الوفد لم يتلق أي رد .",
]
# Word for word in both kinds of text: a people, a person to an encyclopedia and nobody to news.
SHARED = "و وصل الفرسانيين إلى المدينة ."
PEOPLE = "الفرسانيين"


def _documents(lines, decision, count):
    """Articles of `lines` (decided: nothing in them is a name) and SHARED, its people `decision`."""
    documents = []
    for number in range(count):
        segments = [(f"{line} {number}", [(0, len(line.split()[0]), "PERS", REJECT)]) for line in lines]
        start = SHARED.index(PEOPLE)
        segments.append((SHARED, [(start, start + len(PEOPLE), "PERS", decision)]))
        documents.append(segments * 3)
    return documents


def _tiny_model(folder: Path) -> crf.ShippedNER:
    """A CRF and genre model trained on four encyclopedic documents and four news ones (their
    corpora say so), which disagree about one word in one sentence."""
    encyclopedic = decided_sentences(_documents(ENCYCLOPEDIA, KEEP, 4), start_index=0, weight=1)
    news = decided_sentences(_documents(NEWS, REJECT, 4), start_index=len(encyclopedic), weight=1)
    for sentence in encyclopedic:
        sentence.corpus = "aqmar"
    for sentence in news:
        sentence.document += 1000
        sentence.corpus = "anercorp"
    crf.crf_train(sentences=encyclopedic + news, gazetteer_spans=lambda text: [], output=folder / "tiny.model")
    return crf.ShippedNER(folder / "tiny.model")


def _words(lines):
    from arabic.tokens import tokens_with_offsets

    return [words for line in lines for words in tokens_with_offsets(line)]


def _found(model, lines):
    """What the model finds in SHARED, read in a document of `lines`."""
    document = [(words, ["O"] * len(words)) for words in _words([*lines, SHARED])]
    return [(SHARED[span.start : span.end], span.label) for span in model.tag_document(document)[-1]]


def test_a_word_is_named_as_each_kind_of_text_names_it(tmp_path):
    """The same sentence: a people is a person in an encyclopedia article and nobody in the news."""
    model = _tiny_model(tmp_path)
    unseen_encyclopedia = [line.replace("1099", "1187").replace("الحصن", "القلعة") for line in ENCYCLOPEDIA] * 4
    unseen_news = [line.replace("الوزارة", "الحكومة") for line in NEWS] * 4
    assert model.encyclopedic([[w for w, _, _ in words] for words in _words(unseen_encyclopedia)])
    assert not model.encyclopedic([[w for w, _, _ in words] for words in _words(unseen_news)])
    assert _found(model, unseen_encyclopedia) == [(PEOPLE, "PERS")]
    assert _found(model, unseen_news) == []


def test_a_document_too_short_to_tell_is_news(tmp_path):
    model = _tiny_model(tmp_path)
    assert not model.encyclopedic([ENCYCLOPEDIA[0].split()])


def test_a_model_trained_on_one_kind_of_text_reads_everything_as_news(tmp_path):
    news = decided_sentences(_documents(NEWS, REJECT, 4), start_index=0, weight=1)
    crf.crf_train(sentences=news, gazetteer_spans=lambda text: [], output=tmp_path / "news.model")
    model = crf.ShippedNER(tmp_path / "news.model")
    assert model.genre is None
    assert not model.encyclopedic([line.split() for line in ENCYCLOPEDIA * 4])


def test_every_feature_has_an_encyclopedic_copy_and_news_has_none():
    featurizer = Featurizer({"قال": 3})
    words, tags = ["قال", "سامر"], ["O", "O"]
    plain = featurizer.sentence(words, tags)
    copied = featurizer.sentence(words, tags, encyclopedic=True)
    for own, both in zip(plain, copied, strict=True):
        assert both == own + ["E|" + feature for feature in own]


def test_the_shipped_model_reads_the_seed_as_news_and_a_wikipedia_article_as_an_encyclopedia(settings):
    from arabic.tokens import tokens_with_offsets

    from .conftest import ENCYCLOPEDIA_PARAGRAPHS, SEED

    model = crf.load(Path(settings.CRF_MODEL_PATH))
    seed = [
        [word for word, _, _ in words]
        for paragraph in SEED.read_text(encoding="utf-8").split("\n")
        for words in tokens_with_offsets(paragraph)
    ]
    assert not model.encyclopedic(seed)
    article = " ".join(ENCYCLOPEDIA_PARAGRAPHS)
    assert model.encyclopedic([[word for word, _, _ in words] for words in tokens_with_offsets(article)])


def test_scoring_says_how_many_documents_read_as_encyclopedias(tmp_path):
    """evaluate_ner's tables say which conventions the model applied to a corpus's documents."""
    from arabic.ner.evaluation import recognizers_score
    from arabic.ner.pipeline import gazetteer_of

    model = _tiny_model(tmp_path)
    encyclopedia = decided_sentences(_documents(ENCYCLOPEDIA, KEEP, 2), start_index=0, weight=1)
    news = decided_sentences(_documents(NEWS, REJECT, 1), start_index=len(encyclopedia), weight=1)
    for sentence in news:
        sentence.document += 1000
    scores = recognizers_score(
        name="mixed", sentences=encyclopedia + news, gazetteer=gazetteer_of([]), types={}, shipped=model
    )
    assert scores.encyclopedic == (2, 3)
    assert "read as encyclopedia articles: 2 of 3 documents" in "\n".join(scores.table())


def test_an_article_is_judged_by_its_body_not_its_headlines(db, make_article):
    """The genre model learnt from running text: an encyclopedia article with news headlines of
    related stories beside it (said, yesterday, to the agency) is still read as an encyclopedia,
    and recognised as one."""
    from django.core.management import call_command

    from articles.entities.recognition import article_recognize, shipped_model

    from .conftest import ENCYCLOPEDIA_PARAGRAPHS

    call_command("load_gazetteer", verbosity=0)
    headlines = [{"title": f"{line} {number}", "caption": line} for number, line in enumerate(NEWS * 4)]
    article = make_article(title="قلعة حلب", paragraphs=ENCYCLOPEDIA_PARAGRAPHS, related=headlines)
    article_recognize(article=article, shipped=shipped_model())
    article.refresh_from_db()
    assert article.read_as_encyclopedia is True
    # The model read it so: a dynasty is a person, as encyclopedias have it (news would say nobody).
    assert article.mentions.filter(text="الأيوبيون", label="PERS").exists()


def test_an_article_from_an_encyclopedias_site_is_read_as_one_however_it_is_written(db, make_article):
    """Too short for the genre model to tell (news, then), the same stub is read as an encyclopedia
    when it comes from Wikipedia, and recognised so; from a news site it stays news."""
    from django.core.management import call_command

    from articles.entities.recognition import article_recognize, shipped_model

    from .conftest import ENCYCLOPEDIA_PARAGRAPHS

    call_command("load_gazetteer", verbosity=0)
    stub = ENCYCLOPEDIA_PARAGRAPHS[:5]
    assert sum(len(paragraph.split()) for paragraph in stub) < crf.ENCYCLOPEDIC_WORDS
    read = {}
    for source in (
        "https://ar.m.wikipedia.org/wiki/قلعة_حلب",
        "https://www.aa.com.tr/ar/قلعة-حلب",
        "wikipedia.org.txt",
    ):
        article = make_article(title="قلعة حلب", paragraphs=stub, source=source)
        article_recognize(article=article, shipped=shipped_model())
        article.refresh_from_db()
        people = article.mentions.filter(text="الأيوبيون", label="PERS").exists()
        read[source.split("/")[2] if "://" in source else source] = (article.read_as_encyclopedia, people)
    assert read == {
        "ar.m.wikipedia.org": (True, True),
        "www.aa.com.tr": (False, False),
        "wikipedia.org.txt": (False, False),
    }


def test_editors_decisions_never_teach_the_genre_model():
    """The kind of an editor's article is the genre model's own judgement: learning from it would
    keep a misread article misread. Only the corpora's documents teach it."""
    edited = decided_sentences(_documents(ENCYCLOPEDIA, KEEP, 4), start_index=0, weight=1, encyclopedic=[True] * 4)
    news = decided_sentences(_documents(NEWS, REJECT, 4), start_index=len(edited), weight=1)
    for sentence in news:
        sentence.document += 1000
        sentence.corpus = "anercorp"
    assert all(crf._encyclopedic(sentence) for sentence in edited)  # they teach the CRF's copies
    assert crf.genre_model(edited + news) is None  # news alone is left to the genre model
    for sentence in edited:
        sentence.corpus = "aqmar"
    assert crf.genre_model(edited + news) is not None
