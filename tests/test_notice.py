"""Every file the repository ships from others is recorded in NOTICE with its source and licence.

NOTICE is a list of stanzas (`Files:`, `Source:`, `Licence:`, continuation
lines indented), as Debian's machine-readable copyright files are. A file added
to a data or vendored folder, or a font, image or model file added anywhere,
fails here until NOTICE says where it comes from and under which licence.
"""

import fnmatch
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The folders that hold others' work or work derived from it.
DATA_FOLDERS = ("arabic/ner/data", "static/fonts", "seeds", "tests/fixtures", "tests/w3c_schemas")
# Files that are data, whatever folder they are in.
DATA_SUFFIXES = {
    ".woff",
    ".woff2",
    ".ttf",
    ".otf",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".svg",
    ".ico",
    ".xz",
    ".gz",
    ".zip",
    ".model",
    ".bin",
    ".safetensors",
    ".pt",
    ".onnx",
}
# Not the repository's: made by running it, or local tools.
SKIPPED_DIRS = {
    ".git",
    ".venv",
    "__pycache__",
    "var",
    "staticfiles",
    "screenshots",
    "node_modules",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
}


def notice_stanzas() -> list[dict[str, str]]:
    """NOTICE's stanzas from the first `Files:` on: field name → value (continuation lines joined)."""
    text = (ROOT / "NOTICE").read_text(encoding="utf-8")
    body = text[text.index("\nFiles:") + 1 :]
    stanzas = []
    for block in body.split("\n\n"):
        fields: dict[str, str] = {}
        name = None
        for line in block.splitlines():
            if line[:1].isspace() and name:
                fields[name] += "\n" + line.strip()
            elif ":" in line:
                name, value = line.split(":", 1)
                fields[name] = value.strip()
        if fields:
            stanzas.append(fields)
    return stanzas


def notice_patterns() -> list[str]:
    return [pattern for stanza in notice_stanzas() for pattern in stanza["Files"].split()]


def _listed(path: str, patterns: list[str]) -> bool:
    return any(path == pattern or (pattern.endswith("/*") and fnmatch.fnmatch(path, pattern)) for pattern in patterns)


def _files_under(folder: Path):
    for directory, dirs, files in os.walk(folder):
        dirs[:] = sorted(name for name in dirs if name not in SKIPPED_DIRS)
        for name in sorted(files):
            yield (Path(directory) / name).relative_to(ROOT).as_posix()


def test_every_stanza_names_its_files_source_and_licence():
    stanzas = notice_stanzas()
    assert stanzas
    for stanza in stanzas:
        assert {"Files", "Source", "Licence"} <= stanza.keys(), stanza
        assert all(stanza[field] for field in ("Files", "Source", "Licence")), stanza


def test_every_file_in_a_data_or_vendored_folder_is_in_notice():
    patterns = notice_patterns()
    unlisted = [path for folder in DATA_FOLDERS for path in _files_under(ROOT / folder) if not _listed(path, patterns)]
    assert unlisted == [], "add these to NOTICE with their source and licence"


def test_every_font_image_or_model_anywhere_is_in_notice():
    patterns = notice_patterns()
    unlisted = [
        path
        for path in _files_under(ROOT)
        if Path(path).suffix.lower() in DATA_SUFFIXES and not path.startswith("bench/output/")
        if not _listed(path, patterns)
    ]
    assert unlisted == [], "add these to NOTICE with their source and licence"


def test_notice_names_no_file_that_is_gone():
    stale = []
    for pattern in notice_patterns():
        if pattern.endswith("/*"):
            if not any(_files_under(ROOT / pattern[:-2])):
                stale.append(pattern)
        elif not (ROOT / pattern).is_file():
            stale.append(pattern)
    assert stale == []


def test_the_project_code_is_mit_licensed():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
