import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from articles.importing import ArticleRecord, ImportFailure, article_import, file_import, parse_file
from articles.importing.formats import parse_json
from articles.models import Article, Paragraph, RelatedStory

SEED_TITLE = 'رئيس الاستخبارات التركية يلتقي وفد "حماس" في إسطنبول'
SEED_CAPTION = "إبراهيم قالن خلال لقاء في نيامي بالنيجر، 17 يوليو 2024 (الأناضول)"
BOILERPLATE = ["avata", "مباشر", "+ الخط -", "دلالات", "المساهمون", "المزيد في", "التحديثات الحية"]


def all_stored_text(article):
    texts = [
        article.title,
        article.category,
        article.section,
        article.dateline,
        article.author,
        article.lead_caption,
        *article.tags,
    ]
    texts += [p.text for p in article.paragraphs.all()]
    for story in article.related_stories.all():
        texts += [story.title, story.caption, story.section]
    return texts


# --- The seed ---------------------------------------------------------------


def test_seed_imports_exactly(seed_article):
    article = Article.objects.get(pk=seed_article.pk)
    assert article.title == SEED_TITLE
    assert article.category == "أخبار"
    assert article.section == "سياسة"
    assert article.dateline == "إسطنبول"
    assert article.author == "محمد شيخ يوسف"
    assert article.published.isoformat() == "2025-11-05"
    assert article.lead_caption == SEED_CAPTION
    assert article.status == Article.Status.PUBLISHED
    assert article.source == "000_f43ac9fcd8114102.txt"

    paragraphs = [p.text for p in article.paragraphs.order_by("position")]
    assert len(paragraphs) == 4
    for text, start in zip(
        paragraphs, ["التقى رئيس الاستخبارات", "كما أكد وفد", "وكان وزير الخارجية", "واستضافت تركيا"], strict=True
    ):
        assert text.startswith(start)
    assert paragraphs[3].endswith('يمكن دعمها".')
    assert [p.position for p in article.paragraphs.order_by("position")] == [1, 2, 3, 4]


def test_seed_related_stories_in_page_order(seed_article):
    stories = list(seed_article.related_stories.order_by("position"))
    assert [s.title for s in stories] == [
        "فيدان عقب اجتماع عربي إسلامي: القوة الدولية في غزة بحاجة لقرار أممي",
        "جيش الاحتلال الإسرائيلي يواصل اختطاف 39 سورياً",
        "حلف الناتو يقلل من أهمية سحب واشنطن مئات الجنود من رومانيا",
        "سورية: توقيف مطلوب بانتهاكات بحق مدنيين في دير الزور",
    ]
    assert stories[0].caption == "اجتماع وزاري عربي إسلامي حول غزة بإسطنبول 3/11/2025 الخارجية التركية"
    assert stories[0].section == "تقارير عربية"
    assert stories[1].caption == "تحرك عسكري إسرائيلي قرب القنيطرة، 19 ديسمبر 2024 (الأناضول)"
    assert stories[2].caption == "بيت هيغسيث ومارك روته، بروكسل 5 يونيو 2025 (بوب رايندرز/فرانس برس)"
    assert stories[3].caption.startswith("الأمن السوري يلقي القبض")


def test_seed_boilerplate_and_box_never_stored_as_text(seed_article):
    texts = all_stored_text(seed_article)
    for marker in BOILERPLATE:
        assert not any(marker in text for text in texts), marker
    body = " ".join(p.text for p in seed_article.paragraphs.all())
    assert "اجتماع وزاري عربي" not in body
    assert "تقارير عربية" not in body
    assert "فيدان عقب" not in body
    assert seed_article.lead_caption.count("إبراهيم قالن") == 1


# --- Variants of the page format ------------------------------------------

VARIANT_ECONOMY = """\
مصر ترفع أسعار الوقود للمرة الثالثة هذا العام

أخبار
القاهرة

أحمد عبد الله

avata
أحمد عبد الله
مباشر
1 يناير 2024
محطة وقود في القاهرة، 2 مارس 2023 (رويترز)
+ الخط -

أعلنت الحكومة المصرية، اليوم الاثنين، رفع أسعار الوقود.

وقالت وزارة البترول إن القرار يأتي ضمن خطة الإصلاح.

دلالات
مصر
الوقود
المساهمون
المزيد في اقتصاد
البنك المركزي المصري في القاهرة، 5 مايو 2023 (Getty)
التحديثات الحية
أخبار
مباشر

البنك المركزي المصري يثبت أسعار الفائدة
"""

VARIANT_TWO_BOXES = """\
\ufeffاحتجاجات في عمّان على غلاء المعيشة

تقارير عربية
عمّان

سارة خليل

avata
سارة خليل
مباشر
٣ كانون الثاني ٢٠٢٤
+ الخط -

خرج مئات المحتجين في عمّان، الجمعة، رفضاً لرفع الأسعار.

متظاهرون في عمّان، 3/1/2024 (فرانس برس)
سياسة
التحديثات الحية

الأردن: الحكومة تدافع عن قرار رفع الأسعار

وطالب المحتجون بإقالة\xa0الحكومة.

التحديثات الحية
مباشر

بلا صورة: خبر ثان في الصندوق

وقال أحد المنظمين: "سنعود الأسبوع المقبل".

دلالات
المساهمون
مراسل العربي الجديد
المزيد في مجتمع
صورة أولى
التحديثات الحية
أخبار
مباشر

الخبر الأول

صورة ثانية
التحديثات الحية
أخبار
مباشر

الخبر الثاني

صورة ثالثة
التحديثات الحية
تقارير
مباشر

الخبر الثالث

صورة رابعة
التحديثات الحية
أخبار
مباشر

الخبر الرابع

صورة خامسة
التحديثات الحية
أخبار
مباشر

الخبر الخامس
""".replace("\n", "\r\n")


def test_page_variant_with_tags_no_box_and_one_related_story(tmp_path):
    path = tmp_path / "economy.txt"
    path.write_text(VARIANT_ECONOMY, encoding="utf-8")
    record = parse_file(path, path.read_bytes())
    assert record.title == "مصر ترفع أسعار الوقود للمرة الثالثة هذا العام"
    assert (record.category, record.dateline, record.section) == ("أخبار", "القاهرة", "اقتصاد")
    assert record.author == "أحمد عبد الله"
    assert record.published.isoformat() == "2024-01-01"
    assert record.lead_caption == "محطة وقود في القاهرة، 2 مارس 2023 (رويترز)"
    assert record.tags == ["مصر", "الوقود"]
    assert record.paragraphs == [
        "أعلنت الحكومة المصرية، اليوم الاثنين، رفع أسعار الوقود.",
        "وقالت وزارة البترول إن القرار يأتي ضمن خطة الإصلاح.",
    ]
    assert [(s.title, s.caption) for s in record.related] == [
        ("البنك المركزي المصري يثبت أسعار الفائدة", "البنك المركزي المصري في القاهرة، 5 مايو 2023 (Getty)")
    ]


def test_page_variant_with_two_boxes_levantine_date_crlf_and_five_related(tmp_path):
    path = tmp_path / "amman.txt"
    path.write_bytes(VARIANT_TWO_BOXES.encode("utf-8"))
    record = parse_file(path, path.read_bytes())
    assert record.title == "احتجاجات في عمّان على غلاء المعيشة"
    assert (record.category, record.dateline, record.section) == ("تقارير عربية", "عمّان", "مجتمع")
    assert record.author == "سارة خليل"
    assert record.published.isoformat() == "2024-01-03"
    assert record.lead_caption == ""
    assert record.tags == []
    assert record.paragraphs == [
        "خرج مئات المحتجين في عمّان، الجمعة، رفضاً لرفع الأسعار.",
        "وطالب المحتجون بإقالة\xa0الحكومة.",
        'وقال أحد المنظمين: "سنعود الأسبوع المقبل".',
    ]
    titles = [s.title for s in record.related]
    assert titles == [
        "الأردن: الحكومة تدافع عن قرار رفع الأسعار",
        "بلا صورة: خبر ثان في الصندوق",
        "الخبر الأول",
        "الخبر الثاني",
        "الخبر الثالث",
        "الخبر الرابع",
        "الخبر الخامس",
    ]
    assert record.related[0].section == "سياسة"
    assert record.related[0].caption == "متظاهرون في عمّان، 3/1/2024 (فرانس برس)"
    assert record.related[4].section == "تقارير"


# --- Plain text and JSON ----------------------------------------------------


def test_plain_text_title_then_blank_line_paragraphs(db, tmp_path):
    path = tmp_path / "plain-note.txt"
    path.write_text("\n\nعنوان المقال\n\nالفقرة الأولى\nتكملة السطر.\n\n\nالفقرة الثانية.\n", encoding="utf-8")
    result = file_import(path=path)
    assert result.action == "created"
    article = result.article
    assert article.title == "عنوان المقال"
    assert article.slug == "anwan-al-maqal"  # its title romanised, not the file's name
    assert [p.text for p in article.paragraphs.all()] == ["الفقرة الأولى تكملة السطر.", "الفقرة الثانية."]


def test_json_export_import_round_trip(seed_article, tmp_path):
    client = Client()
    exported = client.get(reverse("articles:api-detail", kwargs={"slug": seed_article.slug})).json()
    path = tmp_path / "exported.json"
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")

    seed_article.delete()
    result = file_import(path=path, status=Article.Status.PUBLISHED)
    assert result.action == "created", result.error
    reimported = client.get(reverse("articles:api-detail", kwargs={"slug": result.article.slug})).json()
    assert reimported == exported

    # And importing the same export again changes nothing.
    assert file_import(path=path).action == "unchanged"


def test_json_accepts_paragraph_strings_and_orders_by_position():
    record = parse_json(
        json.dumps({"title": "ع", "paragraphs": [{"position": 2, "text": "ثانية"}, {"position": 1, "text": "أولى"}]})
    )
    assert record.paragraphs == ["أولى", "ثانية"]
    assert parse_json('{"title": "ع", "paragraphs": ["أ", "ب"]}').paragraphs == ["أ", "ب"]


# --- Bad input: reported, nothing written, others still imported -----------

BAD_FILES = {
    "empty.txt": (b"", "file is empty"),
    "blank.txt": (b"\n \n\t\n", "file is empty"),
    "latin1.txt": ("عنوان\n\nنص".encode("cp1256"), "not UTF-8"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    "title-only.txt": ("عنوان وحيد\n".encode(), "no body paragraph"),
    "broken.json": (b'{"title": "x", "paragraphs": [', "invalid JSON"),
    "list.json": (b"[1, 2]", "top level must be an object"),
    "wrong-type.json": ('{"title": "ع", "paragraphs": [{"text": 5}]}'.encode(), "paragraphs[0].text must be a string"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_file_is_reported_and_writes_nothing(db, tmp_path, name):
    data, reason = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = file_import(path=path)
    assert result.failed
    assert reason in result.error
    assert Article.objects.count() == 0
    assert Paragraph.objects.count() == 0


def test_oversized_file_is_refused(db, tmp_path, settings):
    path = tmp_path / "huge.txt"
    path.write_bytes(("عنوان\n\n" + "كلمة " * 600_000).encode())
    assert path.stat().st_size > 5 * 1024 * 1024
    result = file_import(path=path)
    assert result.failed
    assert "too large" in result.error
    assert Article.objects.count() == 0


def test_command_reports_bad_files_imports_the_rest_and_exits_non_zero(db, tmp_path, seed_path, capsys):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a-good.txt").write_bytes(seed_path.read_bytes())
    (folder / "b-bad.json").write_bytes(b"{not json")
    (folder / "c-good.txt").write_text("عنوان\n\nفقرة.", encoding="utf-8")
    (folder / "d-empty.txt").write_bytes(b"")

    with pytest.raises(CommandError) as raised:
        call_command("import_articles", str(folder))
    assert "2 created" in str(raised.value) and "2 failed" in str(raised.value)
    errors = capsys.readouterr().err
    assert "b-bad.json" in errors and "invalid JSON" in errors
    assert "d-empty.txt" in errors and "file is empty" in errors
    assert set(Article.objects.values_list("source_id", flat=True)) == {"a-good", "c-good"}


def test_failure_midway_rolls_back_that_file_only(db, tmp_path, seed_path):
    # A related headline longer than its column fails after the article row
    # was written; the transaction must take the article back out.
    good = tmp_path / "good.txt"
    good.write_bytes(seed_path.read_bytes())
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"title": "ع", "paragraphs": ["ن"], "related": [{"title": "x" * 600}]}))
    results = [file_import(path=good), file_import(path=bad)]
    assert [r.action for r in results] == ["created", "failed"]
    assert "at most 500" in results[1].error
    assert list(Article.objects.values_list("source_id", flat=True)) == ["good"]


# --- Idempotence and updates --------------------------------------------------


def test_reimport_unchanged_changes_nothing(seed_article, seed_path):
    before = {p.pk: p.text for p in Paragraph.objects.all()}
    modified = Article.objects.get().modified
    result = file_import(path=seed_path)
    assert result.action == "unchanged"
    assert Article.objects.count() == 1
    assert {p.pk: p.text for p in Paragraph.objects.all()} == before
    assert Article.objects.get().modified == modified


def test_changed_file_updates_same_article_keeping_unchanged_rows(db, tmp_seed_copy):
    first = file_import(path=tmp_seed_copy).article
    rows = {p.position: p.pk for p in first.paragraphs.all()}
    text = tmp_seed_copy.read_text(encoding="utf-8")
    # Insert a paragraph before the third one and edit the second one.
    text = text.replace("وكان وزير الخارجية", "فقرة جديدة أضيفت هنا.\n\nوكان وزير الخارجية")
    text = text.replace("كما أكد وفد", "كما شدد وفد")
    tmp_seed_copy.write_text(text, encoding="utf-8")

    result = file_import(path=tmp_seed_copy)
    assert result.action == "updated"
    assert result.article.pk == first.pk
    paragraphs = list(Paragraph.objects.filter(article=first).order_by("position"))
    assert [p.text[:12] for p in paragraphs] == [
        "التقى رئيس ا",
        "كما شدد وفد ",
        "فقرة جديدة أ",
        "وكان وزير ال",
        "واستضافت ترك",
    ]
    # Same rows for the untouched and the edited paragraphs, a new one inserted.
    assert paragraphs[0].pk == rows[1]
    assert paragraphs[1].pk == rows[2]
    assert paragraphs[3].pk == rows[3]
    assert paragraphs[4].pk == rows[4]
    assert paragraphs[2].pk not in rows.values()
    assert [c.old_text[:11] for c in result.changed_paragraphs] == ["كما أكد وفد"]
    assert RelatedStory.objects.filter(article=first).count() == 4


def test_reimport_keeps_an_admins_unpublish(seed_article, tmp_seed_copy):
    Article.objects.filter(pk=seed_article.pk).update(status=Article.Status.DRAFT)
    text = tmp_seed_copy.read_text(encoding="utf-8").replace("كما أكد وفد", "كما شدد وفد")
    tmp_seed_copy.write_text(text, encoding="utf-8")
    # The copy has the same name, hence the same source id, as the seed.
    assert file_import(path=tmp_seed_copy).action == "updated"
    assert Article.objects.get().status == Article.Status.DRAFT


def test_a_reimport_keeps_a_reading_an_editor_chose_while_it_ran(seed_article, tmp_seed_copy, monkeypatch):
    """An editor chooses how the article's names are read while a re-import of it is under way
    (after the import read the article, before it saved it): the choice stays."""
    from articles.importing import services

    begin = services.article_change_begin

    def editor_chooses_meanwhile(article):
        Article.objects.filter(pk=seed_article.pk).update(encyclopedia_by_editor=True)
        return begin(article)

    monkeypatch.setattr(services, "article_change_begin", editor_chooses_meanwhile)
    text = tmp_seed_copy.read_text(encoding="utf-8").replace("كما أكد وفد", "كما شدد وفد")
    tmp_seed_copy.write_text(text, encoding="utf-8")
    assert file_import(path=tmp_seed_copy).action == "updated"
    article = Article.objects.get()
    assert article.encyclopedia_by_editor is True and "كما شدد وفد" in article.paragraphs.get(position=2).text


def test_new_articles_are_drafts_unless_published(db, seed_path):
    """One default for every way in (issue 23): a draft, with --publish to show it to readers at once."""
    call_command("import_articles", str(seed_path), verbosity=0)
    assert Article.objects.get().status == Article.Status.DRAFT
    Article.objects.all().delete()
    call_command("import_articles", str(seed_path), "--publish", verbosity=0)
    assert Article.objects.get().status == Article.Status.PUBLISHED


# --- Hardening: every bad file is that file's failure (issue 9) -------------------


def test_hostile_json_fails_alone_and_the_batch_goes_on(db, tmp_path, seed_path, capsys):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a-deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (folder / "b-surrogate.json").write_text('{"title": "\\ud800", "paragraphs": ["نص"]}')
    (folder / "c-nul.json").write_text('{"title": "عنوان", "paragraphs": ["a\\u0000b"]}')
    (folder / "c-number.json").write_text('{"title": "عنوان", "paragraphs": [' + "9" * 100_000 + "]}")
    (folder / "d-good.txt").write_bytes(seed_path.read_bytes())

    with pytest.raises(CommandError) as raised:
        call_command("import_articles", str(folder))
    assert "1 created" in str(raised.value) and "4 failed" in str(raised.value)
    errors = capsys.readouterr().err
    assert "a-deep.json: invalid JSON: nested too deeply" in errors
    assert "b-surrogate.json: text contains U+D800, a lone surrogate that is not a character (at title)" in errors
    assert "c-nul.json: text contains U+0000 (NUL), which is not text (at paragraphs[0])" in errors
    assert "c-number.json: a number has 100,000 digits; at most 100 are accepted" in errors
    assert list(Article.objects.values_list("source_id", flat=True)) == ["d-good"]


def test_symlinks_and_special_files_are_refused_with_a_reason(db, tmp_path, seed_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n\nكلمة السر", encoding="utf-8")
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "x.txt").symlink_to(secret)
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "real.txt").write_bytes(seed_path.read_bytes())

    with pytest.raises(CommandError) as raised:
        call_command("import_articles", str(folder))
    assert "1 created" in str(raised.value) and "3 failed" in str(raised.value)
    errors = capsys.readouterr().err
    assert "x.txt: is a symbolic link" in errors
    assert "dangling.txt: is a symbolic link" in errors
    assert "pipe.txt: is not a regular file" in errors
    assert list(Article.objects.values_list("source_id", flat=True)) == ["real"]
    # A link named on the command line is refused too.
    assert "is a symbolic link" in file_import(path=folder / "x.txt").error


def test_size_is_checked_before_the_file_is_read(db, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1000
    path = tmp_path / "sparse.txt"
    with path.open("wb") as handle:  # 10 GB on paper, nothing on disk
        handle.truncate(10 * 1024**3)
    result = file_import(path=path)
    assert result.failed
    assert result.error == "file is too large: 10,737,418,240 bytes, the limit is 1,000 bytes"


def test_articles_over_the_paragraph_or_character_limit_are_refused(db, tmp_path, settings):
    settings.IMPORT_MAX_PARAGRAPHS = 50
    settings.IMPORT_MAX_CHARACTERS = 3000
    many = tmp_path / "many.txt"
    many.write_text("عنوان\n\n" + "\n\n".join(f"فقرة {n}" for n in range(51)), encoding="utf-8")
    long = tmp_path / "long.txt"
    long.write_text("عنوان\n\n" + "كلمة " * 700, encoding="utf-8")
    fits = tmp_path / "fits.txt"
    fits.write_text("عنوان\n\n" + "\n\n".join(f"فقرة {n}" for n in range(50)), encoding="utf-8")

    assert "51 paragraphs; at most 50 are allowed (IMPORT_MAX_PARAGRAPHS)" in file_import(path=many).error
    assert "3,504 characters; at most 3,000 are allowed (IMPORT_MAX_CHARACTERS)" in file_import(path=long).error
    assert file_import(path=fits).action == "created"
    assert list(Article.objects.values_list("source_id", flat=True)) == ["fits"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"source_id": "s" * 201}, "source_id: Ensure this value has at most 200 characters (it has 201)."),
        ({"source": "u" * 1001}, "source: Ensure this value has at most 1000 characters (it has 1001)."),
        ({"section": "ق" * 101}, "section: Ensure this value has at most 100 characters"),
        ({"related": [{"title": "ع", "section": "ق" * 101}]}, "related[0].section: Ensure this value has at most 100"),
    ],
)
def test_values_longer_than_their_column_are_refused_on_every_database(db, tmp_path, data, reason):
    path = tmp_path / "long-value.json"
    path.write_text(json.dumps({"title": "عنوان", "paragraphs": ["نص"], **data}), encoding="utf-8")
    result = file_import(path=path)
    assert result.failed
    assert reason in result.error
    assert Article.objects.count() == 0


def test_a_file_name_longer_than_the_source_id_column_is_refused(db, tmp_path):
    path = tmp_path / ("n" * 210 + ".txt")
    path.write_text("عنوان\n\nنص", encoding="utf-8")
    result = file_import(path=path)
    assert "source_id: the file name gives 210 characters; at most 200" in result.error
    assert Article.objects.count() == 0


def test_command_prints_each_failure_once_never_inside_the_progress_bar(tmp_path, seed_path):
    """As a person runs it (a process of its own, the app's logging as configured)."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a-good.txt").write_bytes(seed_path.read_bytes())
    (folder / "b-empty.txt").write_bytes(b"")
    (folder / "c-good.txt").write_text("عنوان\n\nفقرة.", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_ENV_FILE="",
        DJANGO_DEBUG="1",
        DJANGO_SETTINGS_MODULE="newsreader.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        TRANSLATION_PROVIDER="none",
    )
    root = Path(__file__).resolve().parent.parent

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=root, env=env, capture_output=True, text=True, timeout=120
        )

    assert manage("migrate", "-v0").returncode == 0
    result = manage("import_articles", str(folder))
    assert result.returncode == 1
    assert (result.stdout + result.stderr).count("b-empty.txt") == 1
    # The bar redraws with carriage returns; the message stands on a line of its own.
    pieces = [piece.strip() for piece in re.split(r"[\r\n]", result.stderr) if "b-empty.txt" in piece]
    assert pieces == [f"FAILED {folder / 'b-empty.txt'}: file is empty"]


def test_an_english_article_is_refused_with_its_measured_share(db, tmp_path):
    path = tmp_path / "english.txt"
    path.write_text(
        "Turkish intelligence chief meets Hamas delegation\n\n"
        "Ibrahim Kalin met a Hamas delegation in Istanbul on Wednesday.\n\n"
        "The talks covered the ceasefire in Gaza (غزة).\n",
        encoding="utf-8",
    )
    result = file_import(path=path)
    assert result.failed
    assert "the text is not Arabic" in result.error and "% of its letters are in Arabic script" in result.error
    assert Article.objects.count() == 0


def test_an_arabic_article_quoting_latin_names_is_arabic(db, tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_text(
        "لقاء في إسطنبول مع Hakan Fidan\n\nقال وزير الخارجية التركي Hakan Fidan إن المحادثات مع NATO كانت مثمرة.\n",
        encoding="utf-8",
    )
    result = file_import(path=path)
    assert not result.failed, result.error


def test_every_way_in_refuses_a_non_arabic_article(db):
    """Not only files: a web page, an upload, a feed entry or the API all go through article_import."""
    record = ArticleRecord(title="Talks in Istanbul", paragraphs=["The delegation met in Istanbul on Wednesday."])
    with pytest.raises(ImportFailure, match="not Arabic"):
        article_import(record=record, source_id="https://news.example.org/english-story")
    assert not Article.objects.exists()
