"""The `arabic/` package: Arabic text handling that knows nothing of Django, and its one proclitic reader."""

import ast
import subprocess
import sys
from pathlib import Path

from camel_tools.utils.charsets import AR_DIAC_CHARSET

from arabic.clitics import PREFIXES, readings, stems
from arabic.text import DIACRITICS, normalize

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "arabic"
FORBIDDEN = ("django", "articles", "newsreader", "tests")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_nothing_under_arabic_imports_django_or_the_app():
    offenders = {
        str(path.relative_to(ROOT)): sorted(name for name in imported_modules(path) if name.split(".")[0] in FORBIDDEN)
        for path in PACKAGE.rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}
    assert len(offenders) >= 15  # the walk did find the package


def test_every_module_imports_without_django_loaded():
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in PACKAGE.rglob("*.py")
    )
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in "
        f"{FORBIDDEN!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_diacritics_are_camel_tools_own():
    assert frozenset(AR_DIAC_CHARSET) == DIACRITICS


def test_one_reader_gives_every_way_to_read_proclitics():
    word = normalize("وبالمانيا")
    assert [(r.skipped, r.stem) for r in readings(word)] == [(0, "وبالمانيا"), (1, "بالمانيا"), (2, "المانيا")]
    # With the article: the bare stem too (search).
    assert stems(word, article=True, min_stem=3) == ["وبالمانيا", "بالمانيا", "المانيا", "مانيا"]
    # ل + ال is written لل: the stem gets the article's alef back where the article stays.
    assert (1, "الرئيس") in [(r.skipped, r.stem) for r in readings("للرئيس")]
    assert "رئيس" in stems("للرئيس", article=True)
    assert [(r.skipped, r.stem) for r in readings(normalize("ولتركيا"))] == [
        (0, "ولتركيا"),
        (1, "لتركيا"),
        (2, "تركيا"),
    ]
    # A word that only looks like a clitic and a stem keeps its whole reading first.
    assert readings("بغداد")[0].stem == "بغداد"
    # Never fewer letters than asked for.
    assert all(len(r.stem) >= 3 for r in readings("وبعد", min_stem=3))
    assert PREFIXES[0] == max(PREFIXES, key=len) and "وبال" in PREFIXES and "لل" in PREFIXES


def test_words_are_cut_as_camel_tools_cuts_them_whatever_the_text():
    """`tokens_with_offsets` leaves a run of letters whole without asking camel-tools (the fast
    way): every other chunk goes to camel-tools, and the words are the same either way."""
    from camel_tools.tokenizers.word import simple_word_tokenize
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from arabic.tokens import _words

    pieces = st.sampled_from(
        ["قال", "الرئيس", "وَزِيرُ", "ـــ", "پژوهش", "ڤ", "news", "٢٠٢٤", "2024", "،", "؟", ".", "(", ")", "«", "»",
         "😀", "1⃣", "#", "%", "٪", "ﷺ", "ﻻ", "\u200c", "-", "'", " ", "  ", "\n"]
    )  # fmt: skip

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=12).map("".join))
    def cut_alike(sentence):
        assert _words(sentence) == simple_word_tokenize(sentence)

    cut_alike()
    assert _words("قال الرئيس: «نعم»، 2024.") == ["قال", "الرئيس", ":", "«", "نعم", "»", "،", "2024", "."]
