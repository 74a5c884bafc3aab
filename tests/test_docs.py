"""The docs cannot go stale unnoticed: the code map is the code's, and every link leads somewhere."""

import re

from tests.code_map import MAP, ROOT, code_map

LINK = re.compile(r"\]\(([^)#\s]+)(#[^)\s]*)?\)")


def test_the_code_map_is_the_codes():
    assert MAP.read_text(encoding="utf-8") == code_map(), "docs/code-map.md is stale: run `python -m tests.code_map`"


def test_every_link_of_the_readme_and_the_docs_leads_to_a_file():
    pages = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    broken = [
        f"{page.relative_to(ROOT)} → {target}"
        for page in pages
        for target, _ in LINK.findall(page.read_text(encoding="utf-8"))
        if not target.startswith(("http://", "https://", "mailto:")) and not (page.parent / target).exists()
    ]
    assert broken == []


def test_the_readme_is_a_front_door():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 220
    assert "make run" in readme and "make test" in readme
    for page in (
        "docs/importing.md",
        "docs/translation.md",
        "docs/entities.md",
        "docs/annotations.md",
        "docs/caching.md",
        "docs/search.md",
        "docs/deployment.md",
        "docs/benchmarks.md",
    ):
        assert f"]({page})" in readme, page
