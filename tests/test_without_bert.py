"""The default install serves everything without torch and transformers (the BERT extra).

`make run` installs requirements.txt and camel-tools without its declared
dependencies; torch and transformers come only with `make bert` (and `make
test`). Here the real commands run in their own processes with a
`sitecustomize` that makes `import torch` and `import transformers` fail, as
in a virtualenv without them: migrate, the gazetteer, install_ner_model, the
seed's import, recognition and the article page.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SLUG = "rais-al-astakhbarat-al-tarkaya-yaltaqi-wafd-hamas"
MISSING = "it needs the BERT extra, and torch and transformers are not installed (`make bert` installs"

BLOCKER = textwrap.dedent(
    '''
    """Imported at start-up (on PYTHONPATH): torch and transformers cannot be imported, as when not installed."""
    import sys

    BLOCKED = {"torch", "transformers"}


    class NotInstalled:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None


    sys.meta_path.insert(0, NotInstalled())
    '''
)


@pytest.fixture
def without_bert(tmp_path):
    """run(*manage.py args) in a process where torch and transformers cannot be imported."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    environment.update(
        PYTHONPATH=str(hooks),
        DJANGO_ENV_FILE="",
        DJANGO_DEBUG="1",
        DJANGO_SETTINGS_MODULE="newsreader.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CAMELTOOLS_DATA=str(tmp_path / "camel_tools"),
        # Never reached: the command must stop before fetching anything.
        CAMELTOOLS_CATALOGUE_URL="http://127.0.0.1:9/catalogue-1.6.json",
        CACHE_URL="locmem://",
        TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
        TRANSLATION_PROVIDER="none",
    )

    def run(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
        )

    return run


def _ok(result) -> str:
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    return result.stdout


def test_the_site_runs_without_torch_and_transformers(without_bert):
    blocked = without_bert("shell", "-c", "import torch")
    assert blocked.returncode != 0 and "No module named 'torch'" in blocked.stderr

    _ok(without_bert("migrate", "--noinput", "--verbosity", "0"))
    _ok(without_bert("load_gazetteer"))
    installed = _ok(without_bert("install_ner_model", "--timeout", "2"))
    assert installed.strip() == (
        f"camel-tools NER model: not installed: {MISSING} requirements-bert.txt and the model). "
        "Entities come from the gazetteer and the shipped model."
    )
    _ok(without_bert("import_articles", "--publish", "seeds/"))
    recognized = _ok(without_bert("recognize_entities", "--all"))
    assert "Recognisers: gazetteer, shipped model (CRF)" in recognized
    assert f"camel-tools NER model: not used: {MISSING}" in recognized
    assert "from the crf" in recognized

    page = _ok(
        without_bert(
            "shell",
            "-c",
            "import sys\n"
            "from django.test import Client\n"
            f"response = Client(HTTP_HOST='127.0.0.1').get('/articles/{SLUG}/')\n"
            "html = response.content.decode()\n"
            "print(response.status_code, 'data-source=\"crf\"' in html, 'إسطنبول' in html)\n"
            "print(sorted(name for name in ('torch', 'transformers') if name in sys.modules))\n",
        )
    )
    assert page.strip().splitlines()[-2:] == ["200 True True", "[]"]


def test_install_ner_model_strict_fails_without_the_bert_extra(without_bert):
    result = without_bert("install_ner_model", "--strict", "--timeout", "2")
    assert result.returncode == 1
    assert f"camel-tools NER model: not installed: {MISSING}" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_installed_model_without_the_bert_extra_is_said_to_be_unused(without_bert, tmp_path):
    model = tmp_path / "camel_tools" / "data" / "ner" / "arabert"
    model.mkdir(parents=True)
    (model / "config.json").write_text("{}", encoding="utf-8")
    _ok(without_bert("migrate", "--noinput", "--verbosity", "0"))
    installed = _ok(without_bert("install_ner_model", "--timeout", "2"))
    assert installed.startswith(f"camel-tools NER model: installed in {model} but not used: {MISSING}")
    _ok(without_bert("import_articles", "--publish", "seeds/"))
    recognized = _ok(without_bert("recognize_entities", "--all"))
    assert f"camel-tools NER model: not used: {MISSING}" in recognized
    assert "could not be loaded" not in recognized


def _requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(line.split(";")[0].split("==")[0].split("[")[0].strip().lower())
    return names


def _make_rule(target: str) -> tuple[str, str]:
    """(prerequisites, recipe) of a Makefile rule."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    _, rest = makefile.split(f"\n{target}:", 1)
    prerequisites, recipe = rest.split("\n", 1)
    return prerequisites, recipe.split("\n\n", 1)[0]


def test_the_default_install_leaves_the_bert_extra_out_and_each_file_reinstalls_when_changed():
    assert not _requirement_names(ROOT / "requirements.txt") & {"torch", "transformers", "camel-tools"}
    assert _requirement_names(ROOT / "requirements-camel.txt") == {"camel-tools"}
    assert {"torch", "transformers"} <= _requirement_names(ROOT / "requirements-bert.txt")

    prerequisites, recipe = _make_rule("$(VENV)/.run-installed")
    assert "requirements.txt" in prerequisites and "requirements-camel.txt" in prerequisites
    assert "--no-deps -r requirements-camel.txt" in recipe and "requirements-bert.txt" not in recipe
    prerequisites, recipe = _make_rule("$(VENV)/.dev-installed")
    for name in ("requirements.txt", "requirements-camel.txt", "requirements-bert.txt", "requirements-dev.txt"):
        assert name in prerequisites
    assert "--no-deps -r requirements-camel.txt" in recipe
    prerequisites, _ = _make_rule("$(VENV)/.bert-installed")
    assert "requirements-bert.txt" in prerequisites
