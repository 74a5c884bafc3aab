"""W3C Web Annotation shapes: what we serve and export, checked with the W3C test suite's
MUST schemas, and importing annotations written by us or by other tools."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from articles.annotations.w3c_import import w3c_import
from articles.models import Annotation, Mention
from tests.conftest import NAME
from tests.w3c_musts import assertion_count, must_failures

HOST = "http://testserver"


def container(client, article, **headers):
    return client.get(reverse("articles:api-annotations", kwargs={"slug": article.slug}), headers=headers)


def items_of(client, article):
    return container(client, article).json()["first"]["items"]


def test_every_must_of_the_w3c_suite_holds_for_what_we_serve(client, admin_client, annotated_seed):
    assert sum(assertion_count(kind) for kind in ("annotation", "collection", "page")) == 79
    for viewer in (client, admin_client):
        data = container(viewer, annotated_seed).json()
        assert must_failures(data, "collection") == []
        page = viewer.get(data["last"]).json()
        assert must_failures(page, "page") == []
        for item in data["first"]["items"]:
            # An embedded annotation is read in its collection's context.
            assert must_failures({"@context": data["@context"], **item}, "annotation") == [], item
            served = viewer.get(item["id"]).json()
            assert must_failures(served, "annotation") == []


def test_the_suite_catches_a_broken_annotation(client, annotated_seed):
    item = items_of(client, annotated_seed)[0]
    broken = {**item, "@context": "http://www.w3.org/ns/anno.jsonld", "id": "not a url", "bodyValue": "x"}
    failures = must_failures(broken, "annotation")
    assert any("3.1-annotationIdValidated" in f for f in failures)
    assert any("notBodyBodyValue" in f for f in failures)


def test_collection_shape(client, annotated_seed):
    response = container(client, annotated_seed)
    assert response["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    data = response.json()
    context = HOST + reverse("articles:jsonld-context")
    assert data["@context"] == ["http://www.w3.org/ns/anno.jsonld", "http://www.w3.org/ns/ldp.jsonld", context]
    assert data["type"] == ["BasicContainer", "AnnotationCollection"] and data["total"] == 4
    items = data["first"]["items"]
    gloss = next(item for item in items if item["motivation"] == "describing")
    assert gloss["id"] == HOST + reverse(
        "articles:api-annotation", kwargs={"uuid": Annotation.objects.get(kind="gloss").uuid}
    )
    assert gloss["target"]["source"] == HOST + annotated_seed.get_absolute_url() + "#p1"
    position, quote = gloss["target"]["selector"]
    p1 = annotated_seed.paragraphs.get(position=1).text
    assert position["type"] == "TextPositionSelector" and p1[position["start"] : position["end"]] == NAME
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": NAME,
        "prefix": p1[position["start"] - 32 : position["start"]],
        "suffix": p1[position["end"] : position["end"] + 32],
    }
    assert gloss["body"] == {
        "type": "TextualBody",
        "purpose": "describing",
        "value": "Khalil al-Hayya",
        "format": "text/plain",
    }
    assert gloss["created"].endswith("Z") and gloss["modified"]
    assert {item["motivation"] for item in items} == {"describing", "tagging", "editing", "commenting"}
    # The fragment is the id of the paragraph's row on the page.
    assert 'id="p1"' in client.get(annotated_seed.get_absolute_url()).content.decode()


def test_creator_is_an_agent_with_a_url_and_never_the_login_name_to_readers(
    client, admin_client, annotated_seed, editor
):
    gloss = next(item for item in items_of(client, annotated_seed) if item["motivation"] == "describing")
    creator = gloss["creator"]
    assert creator["id"] == HOST + reverse("articles:api-agent", kwargs={"pk": editor.pk})
    assert creator["name"] == f"Editor {editor.pk}" and "nickname" not in creator
    assert "editor" not in json.dumps(client.get(creator["id"]).json())
    editor.first_name, editor.last_name = "Salma", "Haddad"
    editor.save()
    gloss = next(item for item in items_of(client, annotated_seed) if item["motivation"] == "describing")
    assert gloss["creator"]["name"] == "Salma Haddad"
    # Editors see who wrote it by login name as well.
    seen_by_editor = next(item for item in items_of(admin_client, annotated_seed) if item["motivation"] == "describing")
    assert seen_by_editor["creator"]["nickname"] == "editor"


def test_our_context_is_served_and_defines_our_terms(client):
    response = client.get(reverse("articles:jsonld-context"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")
    terms = response.json()["@context"]
    assert terms["orphaned"]["@id"].startswith(HOST + reverse("articles:jsonld-context"))
    assert terms["summary"]["@id"] == "http://www.w3.org/ns/activitystreams#summary"


def test_an_orphan_is_served_with_only_its_quote_and_marked(client, admin_client, annotated_seed, tmp_seed_copy):
    from articles.importing import file_import

    text = tmp_seed_copy.read_text(encoding="utf-8")
    tmp_seed_copy.write_text(text.replace(NAME, "رئيس المكتب"), encoding="utf-8")
    assert not file_import(path=tmp_seed_copy).failed
    gloss = Annotation.objects.get(kind="gloss")
    assert gloss.is_orphaned
    served = client.get(reverse("articles:api-annotation", kwargs={"uuid": gloss.uuid})).json()
    assert served["orphaned"] is True
    assert served["target"]["selector"] == {
        "type": "TextQuoteSelector",
        "exact": NAME,
        "prefix": gloss.prefix,
        "suffix": gloss.suffix,
    }
    assert must_failures(served, "annotation") == []
    # Still kept out of the reader's page.
    assert "Khalil al-Hayya" not in client.get(annotated_seed.get_absolute_url()).content.decode()


def test_export_collection_id_answers(annotated_seed, tmp_path):
    out = tmp_path / "export.json"
    call_command("export_annotations", annotated_seed.slug, "--format", "w3c", "--output", str(out))
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert must_failures(exported, "collection") == []
    path = exported["id"].removeprefix("http://127.0.0.1:8000")
    answer = Client().get(path)
    assert answer.status_code == 200
    assert answer.json()["total"] == 4  # the public ones: an anonymous client asked


def test_round_trip_is_identical_and_keeps_orphans(annotated_seed, tmp_path, tmp_seed_copy):
    from articles.importing import file_import

    text = tmp_seed_copy.read_text(encoding="utf-8")
    tmp_seed_copy.write_text(text.replace(NAME, "رئيس المكتب"), encoding="utf-8")
    assert not file_import(path=tmp_seed_copy).failed
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    call_command("export_annotations", "--format", "w3c", "--output", str(first))
    exported = json.loads(first.read_text(encoding="utf-8"))
    assert exported["total"] == 5  # the command exports editors-only ones too
    Annotation.objects.all().delete()
    Mention.objects.filter(source="editor").delete()
    call_command("import_annotations", str(first))
    assert Annotation.objects.get(kind="gloss").is_orphaned
    call_command("export_annotations", "--format", "w3c", "--output", str(second))
    assert second.read_bytes() == first.read_bytes()


def test_import_finds_paragraphs_whatever_the_host_and_reports_failures(annotated_seed, tmp_path, capsys):
    call_command("export_annotations", "--format", "w3c", "--output", str(tmp_path / "a.json"))
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    items = data["first"]["items"]
    for item in items:
        item["target"]["source"] = item["target"]["source"].replace("http://127.0.0.1:8000", "https://news.example.org")
    gloss = next(item for item in items if item["motivation"] == "describing")
    lost = json.loads(json.dumps(gloss))
    lost["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    lost["target"]["selector"] = [{"type": "TextQuoteSelector", "exact": "نص لا وجود له", "prefix": "", "suffix": ""}]
    elsewhere = json.loads(json.dumps(items[0]))
    elsewhere["id"] = "urn:uuid:00000000-0000-4000-8000-000000000002"
    elsewhere["target"]["source"] = "https://news.example.org/articles/no-such-article/#p1"
    items += [lost, elsewhere]
    Annotation.objects.all().delete()
    (tmp_path / "b.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="5 created, 0 updated, 2 not imported"):
        call_command("import_annotations", str(tmp_path / "b.json"))
    errors = capsys.readouterr().err
    assert "نص لا وجود له" in errors and "no-such-article" in errors
    assert Annotation.objects.count() == 5


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"[" * 10_000, "invalid JSON: nested too deeply"),
        (b'[{"bodyValue": ' + b"9" * 5_000 + b"}]", "a number has 5,000 digits; at most 100 are accepted"),
        (
            b'[{"bodyValue": "\\ud800"}]',
            "text contains U+D800, a lone surrogate that is not a character (at [0].bodyValue)",
        ),
        (b'[{"bodyValue": "a\\u0000b"}]', "text contains U+0000 (NUL), which is not text (at [0].bodyValue)"),
        (b"\xff", "not UTF-8 text (byte 0xff at offset 0)"),
    ],
)
def test_import_refuses_a_hostile_file_with_its_reason(seed_article, tmp_path, content, reason):
    path = tmp_path / "hostile.json"
    path.write_bytes(content)
    with pytest.raises(CommandError) as raised:
        call_command("import_annotations", str(path))
    assert str(raised.value).startswith(f"cannot read {path}: ") and reason in str(raised.value)
    assert not Annotation.objects.exists()


# --- Other tools' shapes ------------------------------------------------------------


def page_of(article, position=1):
    return f"https://elsewhere.example/{article.get_absolute_url().strip('/')}/#p{position}"


def imported(article, item):
    report = w3c_import([{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", **item}])
    return report, list(Annotation.objects.filter(article=article).order_by("pk"))


def test_body_value_and_textual_body_without_purpose_are_notes(seed_article):
    p1 = seed_article.paragraphs.get(position=1).text
    quote = {"type": "TextQuoteSelector", "exact": NAME}
    report, annotations = imported(
        seed_article,
        {
            "id": "https://hyp.example/a1",
            "bodyValue": "who is he?",
            "target": {"source": page_of(seed_article), "selector": quote},
        },
    )
    assert report.failed == [] and annotations[0].kind == "note" and annotations[0].body == "who is he?"
    assert p1[annotations[0].start : annotations[0].end] == NAME
    report, annotations = imported(
        seed_article,
        {
            "id": "https://hyp.example/a2",
            "motivation": ["oa:commenting", "highlighting"],
            "body": {"type": "TextualBody", "value": "a second note"},
            "target": {"type": "SpecificResource", "source": page_of(seed_article), "selector": [quote]},
        },
    )
    assert report.failed == [] and annotations[1].body == "a second note"


def test_plain_iri_body_and_target(seed_article):
    report, annotations = imported(
        seed_article,
        {
            "id": "https://x.example/1",
            "body": "https://en.wikipedia.org/wiki/Khalil_al-Hayya",
            "target": page_of(seed_article, 2),
        },
    )
    assert report.failed == []
    note = annotations[0]
    p2 = seed_article.paragraphs.get(position=2)
    # A whole paragraph targeted by its IRI: the note covers the paragraph.
    assert note.body == "https://en.wikipedia.org/wiki/Khalil_al-Hayya" and (note.start, note.end) == (0, len(p2.text))


def test_several_targets_make_one_annotation_each_and_foreign_ones_are_reported(seed_article):
    quote = {"type": "TextQuoteSelector", "exact": "إسطنبول"}
    report, annotations = imported(
        seed_article,
        {
            "id": "https://x.example/2",
            "motivation": "describing",
            "body": {"type": "TextualBody", "value": "Istanbul", "purpose": "describing"},
            "target": [
                {"source": page_of(seed_article, 1), "selector": quote},
                {
                    "source": page_of(seed_article, 1),
                    "selector": {"type": "TextPositionSelector", "start": 0, "end": 5},
                },
                "https://elsewhere.example/some/page.html",
            ],
        },
    )
    assert [a.kind for a in annotations] == ["gloss", "gloss"]
    assert [a.exact for a in annotations] == ["إسطنبول", seed_article.paragraphs.get(position=1).text[:5]]
    assert (
        len(report.failed) == 1 and "target 3" in report.failed[0][0] and "not an article page" in report.failed[0][1]
    )


def test_range_selector_of_two_quotes(seed_article):
    p1 = seed_article.paragraphs.get(position=1).text
    first, last = "خليل", "الحية"
    report, annotations = imported(
        seed_article,
        {
            "id": "https://x.example/3",
            "motivation": "commenting",
            "bodyValue": "the name",
            "target": {
                "source": page_of(seed_article),
                "selector": {
                    "type": "RangeSelector",
                    "startSelector": {"type": "TextQuoteSelector", "exact": first},
                    "endSelector": {"type": "TextQuoteSelector", "exact": last},
                },
            },
        },
    )
    assert report.failed == [] and p1[annotations[0].start : annotations[0].end] == NAME


@pytest.mark.parametrize(
    "item, reason",
    [
        ({"motivation": "editing", "body": [], "target": "PAGE"}, "a correction needs the proposed text"),
        ({"motivation": "tagging", "bodyValue": "politics", "target": "PAGE"}, "entity's type"),
        ({"body": "x", "bodyValue": "y", "target": "PAGE"}, "cannot both be given"),
        ({"bodyValue": "no target"}, "no target"),
        ({"bodyValue": "x", "target": {"selector": {"type": "TextQuoteSelector", "exact": "x"}}}, "no source"),
        (
            {
                "bodyValue": "x",
                "target": {"source": "PAGE", "selector": {"type": "TextPositionSelector", "start": 5000, "end": 5001}},
            },
            "outside the paragraph",
        ),
        ({"type": "Highlight", "target": "PAGE"}, "is not an Annotation"),
    ],
)
def test_each_unusable_item_is_reported_with_its_reason_and_the_rest_imported(seed_article, item, reason):
    item = json.loads(json.dumps(item).replace('"PAGE"', json.dumps(page_of(seed_article))))
    good = {"id": "https://x.example/good", "type": "Annotation", "bodyValue": "fine", "target": page_of(seed_article)}
    report = w3c_import([{"id": "https://x.example/bad", **item}, "not an object", good])
    reasons = [why for _, why in report.failed]
    assert len(reasons) == 2 and reason in reasons[0], reasons
    assert report.created == 1 and Annotation.objects.get().body == "fine"


def test_unknown_creators_keep_their_name(seed_article, editor):
    report, annotations = imported(
        seed_article,
        {
            "id": "https://x.example/4",
            "bodyValue": "hi",
            "creator": {"type": "Person", "name": "Rana K."},
            "target": page_of(seed_article),
        },
    )
    assert annotations[0].author is None and annotations[0].creator_name == "Rana K."
    served = Client().get(reverse("articles:api-annotation", kwargs={"uuid": annotations[0].uuid})).json()
    assert served["creator"] == {"type": "Person", "name": "Rana K."}
    report, annotations = imported(
        seed_article,
        {
            "id": "https://x.example/5",
            "bodyValue": "hi",
            "creator": {"nickname": "editor"},
            "target": page_of(seed_article),
        },
    )
    assert annotations[1].author == editor


# --- Never a crash --------------------------------------------------------------------

from hypothesis import HealthCheck, event, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

KEYS = [
    "type",
    "body",
    "bodyValue",
    "target",
    "motivation",
    "purpose",
    "source",
    "selector",
    "exact",
    "start",
    "end",
    "value",
    "creator",
    "audience",
    "orphaned",
    "startSelector",
    "endSelector",
    "id",
    "nickname",
    "name",
    "items",
    "first",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5000),
    st.sampled_from(
        [
            "Annotation",
            "TextualBody",
            "TextQuoteSelector",
            "TextPositionSelector",
            "RangeSelector",
            "tagging",
            "editing",
            "commenting",
            "describing",
            "PAGE",
            "PAGE#p1",
            "PAGE#p99",
            "PAGE#x",
            "خليل",
            "",
            "LOC",
        ]
    ),
    st.text(max_size=8),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)),
    max_leaves=20,
)


INTS = st.one_of(st.integers(-3, 300), JSON)
WORDS = st.one_of(st.sampled_from(["خليل", "الحية", "خليل الحية", "إسطنبول", "", " "]), JSON)
SIMPLE_SELECTOR = st.fixed_dictionaries(
    {"type": st.sampled_from(["TextQuoteSelector", "TextPositionSelector", "FragmentSelector"])},
    optional={
        "exact": WORDS,
        "prefix": st.one_of(WORDS, st.integers()),
        "suffix": st.one_of(WORDS, st.lists(st.integers())),
        "start": INTS,
        "end": INTS,
        "value": JSON,
    },
)
SELECTOR = st.one_of(
    SIMPLE_SELECTOR,
    st.fixed_dictionaries(
        {"type": st.just("RangeSelector")},
        optional={"startSelector": st.one_of(SIMPLE_SELECTOR, JSON), "endSelector": st.one_of(SIMPLE_SELECTOR, JSON)},
    ),
    JSON,
)
SOURCES = st.one_of(st.sampled_from(["PAGE", "PAGE#p1", "PAGE#p2", "PAGE#p0", "https://x.example/a#p1"]), JSON)
TARGET = st.one_of(
    SOURCES,
    st.fixed_dictionaries(
        {"source": SOURCES}, optional={"type": JSON, "selector": st.one_of(SELECTOR, st.lists(SELECTOR, max_size=3))}
    ),
)
PURPOSES = ["tagging", "editing", "assessing", "classifying", "identifying", "commenting", "describing"]
BODY = st.one_of(
    st.text(max_size=5),
    st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(["TextualBody", "SpecificResource", "Choice"]),
            "purpose": st.one_of(
                st.sampled_from(PURPOSES), st.lists(st.one_of(st.sampled_from(PURPOSES), JSON), max_size=2), JSON
            ),
            "value": st.one_of(st.sampled_from(["LOC", "open", "accepted", "translation", "x"]), WORDS),
            "source": st.one_of(st.sampled_from(["http://testserver/entities/1/", "PAGE"]), JSON),
        },
    ),
    JSON,
)
CREATOR = st.fixed_dictionaries(
    {}, optional={"id": SOURCES, "name": JSON, "nickname": st.one_of(st.just("editor"), JSON)}
)
ITEM = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Annotation", ["Annotation"]]),
        "target": st.one_of(TARGET, st.lists(TARGET, max_size=3)),
    },
    optional={
        "id": st.one_of(
            st.sampled_from(["urn:uuid:8b1a9953-c461-4296-b0f5-d3f1e5a1b0c1", "https://x.example/1"]), JSON
        ),
        "motivation": st.one_of(st.sampled_from(PURPOSES), st.lists(JSON, max_size=2), JSON),
        "body": st.one_of(BODY, st.lists(BODY, max_size=4)),
        "bodyValue": WORDS,
        "creator": st.one_of(CREATOR, JSON),
        "audience": JSON,
        "orphaned": st.one_of(st.just(True), JSON),
        "created": st.one_of(st.just("2025-11-05T10:00:00Z"), JSON),
    },
)


@pytest.mark.django_db
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.one_of(JSON, st.lists(ITEM, max_size=3), ITEM))
def test_any_json_is_imported_or_reported_never_a_crash(seed_article, data):
    page = f"http://testserver{seed_article.get_absolute_url()}"
    data = json.loads(json.dumps(data).replace('"PAGE', json.dumps(page)[:-1]))
    try:
        report = w3c_import(data)
    except ValueError as error:  # not a collection, page, list or annotation at all: one clear error
        assert "expected a W3C" in str(error)
        return
    assert all(isinstance(reason, str) and reason for _, reason in report.failed)
    event(f"imported: {bool(report.created or report.updated)}")


def test_a_creator_is_matched_to_an_account_only_when_the_name_agrees(seed_article, editor, django_user_model):
    agent = f"https://other.example{reverse('articles:api-agent', kwargs={'pk': editor.pk})}"
    report, annotations = imported(
        seed_article,
        {
            "id": "https://x.example/6",
            "bodyValue": "a",
            "creator": {"id": agent, "name": f"Editor {editor.pk}"},
            "target": page_of(seed_article),
        },
    )
    assert annotations[0].author == editor
    # Another site's user with the same number is someone else: their name is kept.
    report, annotations = imported(
        seed_article,
        {
            "id": "https://x.example/7",
            "bodyValue": "b",
            "creator": {"id": agent, "name": "Omar S."},
            "target": page_of(seed_article),
        },
    )
    assert annotations[1].author is None and annotations[1].creator_name == "Omar S."
