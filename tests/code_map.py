"""The code map of docs/code-map.md, made from the code itself: every module with the first
sentence of its docstring, folder by folder. `tests/test_docs.py` fails when the file and the
code disagree; `python -m tests.code_map` writes it again."""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("arabic", "articles", "newsreader", "bench", "standins")
SKIPPED = ("migrations", "__pycache__")
MAP = ROOT / "docs" / "code-map.md"
HEADER = """# Code map

Every module, with the first sentence of its docstring, made from the code by
`python -m tests.code_map` (a test fails when this file is out of date).
`arabic/` knows Arabic text and nothing of Django; `articles/` is the Django
app, one folder per domain (models, services, selectors, tasks, admin);
`newsreader/` holds the settings; `bench/` the benchmarks; `standins/` the
local servers that stand in for outside services in tests and benchmarks.
"""


def _command_help(tree: ast.Module) -> str:
    """A management command's `help`, when its module has no docstring."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "help" for t in node.targets):
            try:
                return ast.literal_eval(node.value)
            except ValueError:
                return ""
    return ""


def summary(path: Path) -> str:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    text = " ".join((ast.get_docstring(tree) or _command_help(tree)).split())
    end = next((i + 1 for i, char in enumerate(text) if char == "." and text[i + 1 : i + 2] in ("", " ")), len(text))
    return text[:end] or "—"


def code_map() -> str:
    lines = [HEADER]
    for package in PACKAGES:
        files = sorted(
            path
            for path in (ROOT / package).rglob("*.py")
            if not any(part in SKIPPED for part in path.relative_to(ROOT).parts)
        )
        folders: dict[Path, list[Path]] = {}
        for path in files:
            folders.setdefault(path.parent.relative_to(ROOT), []).append(path)
        for folder, paths in folders.items():
            lines.append(f"\n## `{folder.as_posix()}/`\n")
            for path in paths:
                if path.name == "__init__.py" and summary(path) == "—":
                    continue
                lines.append(f"- `{path.name}`: {summary(path)}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    MAP.write_text(code_map(), encoding="utf-8")
    sys.stdout.write(f"wrote {MAP.relative_to(ROOT)}\n")
