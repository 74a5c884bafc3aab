"""The W3C Web Annotation Protocol: containers and pages, one annotation's headers, and editors' writes."""

import json

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given
from hypothesis import settings as fuzzing
from hypothesis import strategies as st

from articles.annotations.services import annotation_create
from articles.models import Annotation
from tests.conftest import NAME
from tests.w3c_musts import must_failures

LD_JSON = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def container_url(article):
    return reverse("articles:api-annotations", kwargs={"slug": article.slug})


def annotation_url(annotation):
    return reverse("articles:api-annotation", kwargs={"uuid": annotation.uuid})


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def new_gloss(article, text="Khalil al-Hayya", quote=NAME, position=1):
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": "describing",
        "body": {"type": "TextualBody", "purpose": "describing", "value": text},
        "target": {
            "source": f"http://testserver{article.get_absolute_url()}#p{position}",
            "selector": {"type": "TextQuoteSelector", "exact": quote},
        },
    }


def post(client, article, data, **extra):
    return client.post(container_url(article), json.dumps(data), content_type="application/ld+json", **extra)


def put(client, url, data, **headers):
    return client.put(url, json.dumps(data), content_type="application/ld+json", headers=headers)


# --- Reading --------------------------------------------------------------------


def test_container_headers(client, annotated_seed):
    response = client.get(container_url(annotated_seed))
    assert response.status_code == 200 and response["Content-Type"] == LD_JSON
    assert '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"' in response["Link"]
    assert (
        '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"' in response["Link"]
    )
    assert response["Allow"] == "GET,HEAD,OPTIONS" and response["ETag"].startswith('"')
    assert "Prefer" in response["Vary"]
    head = client.head(container_url(annotated_seed))
    assert head.status_code == 200 and head.content == b"" and head["ETag"] == response["ETag"]
    options = client.options(container_url(annotated_seed))
    assert options.status_code == 200 and options["Allow"] == "GET,HEAD,OPTIONS"


def test_container_pages(client, annotated_seed, settings):
    settings.ANNOTATIONS_PAGE_SIZE = 3
    data = client.get(container_url(annotated_seed)).json()
    assert data["total"] == 4 and len(data["first"]["items"]) == 3
    assert data["first"]["next"] == data["last"] == f"http://testserver{container_url(annotated_seed)}?page=1"
    last = client.get(data["last"]).json()
    assert last["type"] == "AnnotationPage" and last["startIndex"] == 3 and len(last["items"]) == 1
    assert last["partOf"] == {"id": data["id"], "total": 4} and "next" not in last
    assert last["prev"].endswith("?page=0")
    assert must_failures(last, "page") == []
    seen = [item["id"] for item in data["first"]["items"] + last["items"]]
    assert len(set(seen)) == 4
    assert client.get(container_url(annotated_seed) + "?page=2").status_code == 404


def test_prefer_minimal_container_and_iris(client, annotated_seed):
    minimal = client.get(
        container_url(annotated_seed),
        headers={"Prefer": 'return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"'},
    ).json()
    assert minimal["first"] == f"http://testserver{container_url(annotated_seed)}?page=0" and minimal["total"] == 4
    iris = client.get(
        container_url(annotated_seed),
        headers={"Prefer": 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"'},
    ).json()
    assert all(isinstance(item, str) and "/api/annotations/" in item for item in iris["first"]["items"])


def test_annotation_resource_headers(client, editor_client, annotated_seed):
    gloss = Annotation.objects.get(kind="gloss")
    response = client.get(annotation_url(gloss))
    assert response.status_code == 200 and response["Content-Type"] == LD_JSON
    assert response["Link"] == '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
    assert response["Allow"] == "GET,HEAD,OPTIONS" and response["ETag"]
    assert response.json()["id"] == "http://testserver" + annotation_url(gloss)
    assert editor_client.get(annotation_url(gloss))["Allow"] == "GET,HEAD,OPTIONS,PUT,DELETE"
    assert client.head(annotation_url(gloss))["ETag"] == response["ETag"]
    assert client.options(annotation_url(gloss))["Allow"] == "GET,HEAD,OPTIONS"


def test_readers_never_get_editors_only_annotations_or_drafts(client, editor_client, annotated_seed):
    internal = Annotation.objects.get(visibility="editors")
    assert client.get(annotation_url(internal)).status_code == 404
    assert editor_client.get(annotation_url(internal)).status_code == 200
    annotated_seed.status = "draft"
    annotated_seed.save()
    gloss = Annotation.objects.get(kind="gloss")
    assert client.get(annotation_url(gloss)).status_code == 404
    assert client.get(container_url(annotated_seed)).status_code == 404


def test_a_container_costs_the_same_queries_however_many_annotations(
    client, annotated_seed, editor, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(container_url(annotated_seed))
    p3 = annotated_seed.paragraphs.get(position=3)
    for word in p3.text.split()[:8]:
        annotation_create(article=annotated_seed, user=editor, kind="note", paragraph=p3, quote=word, body="n")
    with CaptureQueriesContext(connection) as many:
        client.get(container_url(annotated_seed))
    assert len(many) == len(few)


# --- Writing --------------------------------------------------------------------


def test_editor_creates_edits_and_deletes_with_history(editor_client, seed_article, editor):
    response = post(editor_client, seed_article, new_gloss(seed_article))
    assert response.status_code == 201, response.content
    created = response.json()
    assert response["Location"] == created["id"] and response["ETag"]
    annotation = Annotation.objects.get()
    assert annotation.kind == "gloss" and annotation.exact == NAME and annotation.author == editor
    assert must_failures(created, "annotation") == []
    assert LogEntry.objects.filter(object_id=str(annotation.pk), action_flag=ADDITION).exists()

    url = annotation_url(annotation)
    etag = editor_client.get(url)["ETag"]
    changed = {**created, "body": {**created["body"], "value": "Hamas leader Khalil al-Hayya"}}
    assert put(editor_client, url, changed).status_code == 428
    assert put(editor_client, url, changed, **{"If-Match": '"stale"'}).status_code == 412
    response = put(editor_client, url, changed, **{"If-Match": etag})
    assert response.status_code == 200, response.content
    assert response.json()["body"]["value"] == "Hamas leader Khalil al-Hayya" and response["ETag"] != etag
    assert Annotation.objects.get().body == "Hamas leader Khalil al-Hayya"
    assert LogEntry.objects.filter(object_id=str(annotation.pk), action_flag=CHANGE).exists()
    # The old ETag is now stale: a second editor's write based on it is refused.
    assert put(editor_client, url, changed, **{"If-Match": etag}).status_code == 412

    assert editor_client.delete(url, headers={"If-Match": etag}).status_code == 412
    assert editor_client.delete(url).status_code == 204
    assert not Annotation.objects.exists() and editor_client.get(url).status_code == 404
    assert LogEntry.objects.filter(object_id=str(annotation.pk), action_flag=DELETION).exists()


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"motivation": "editing", "body": {"type": "TextualBody", "purpose": "editing", "value": ""}},
            "a correction needs the proposed text",
        ),
        ({"body": {"type": "TextualBody", "purpose": "describing", "value": " "}}, "a gloss needs its text"),
        ({"target": {"source": "http://testserver/articles/nope/#p1"}}, "no article 'nope'"),
    ],
)
def test_invalid_annotations_are_refused_as_in_the_admin(editor_client, seed_article, change, message):
    response = post(editor_client, seed_article, {**new_gloss(seed_article), **change})
    assert response.status_code == 400 and message in response.json()["error"]
    assert not Annotation.objects.exists()


def test_a_quote_that_is_not_in_the_paragraph_is_refused(editor_client, seed_article):
    response = post(editor_client, seed_article, new_gloss(seed_article, quote="نص لا وجود له"))
    assert response.status_code == 400 and "نص لا وجود له" in response.json()["error"]


def test_readers_and_anonymous_users_cannot_write(client, seed_article, django_user_model):
    assert post(client, seed_article, new_gloss(seed_article)).status_code == 401
    reader = django_user_model.objects.create_user(username="reader", password="pw")
    client.force_login(reader)
    assert post(client, seed_article, new_gloss(seed_article)).status_code == 403
    assert not Annotation.objects.exists()


def test_anonymous_and_readers_cannot_change_or_delete(client, annotated_seed, django_user_model):
    gloss = Annotation.objects.get(kind="gloss")
    url = annotation_url(gloss)
    etag = client.get(url)["ETag"]
    data = client.get(url).json()
    assert put(client, url, data, **{"If-Match": etag}).status_code == 401
    assert client.delete(url).status_code == 401
    client.force_login(django_user_model.objects.create_user(username="reader", password="pw"))
    assert put(client, url, data, **{"If-Match": etag}).status_code == 403
    assert client.delete(url).status_code == 403
    assert Annotation.objects.filter(pk=gloss.pk).exists()


def test_session_writes_need_the_csrf_token(seed_article, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert post(client, seed_article, new_gloss(seed_article)).status_code == 403
    client.get(reverse("admin:index"))
    token = client.cookies["csrftoken"].value
    assert post(client, seed_article, new_gloss(seed_article), headers={"X-CSRFToken": token}).status_code == 201


def test_put_moves_an_annotation_to_other_words_and_its_kind_stays(editor_client, seed_article):
    created = post(editor_client, seed_article, new_gloss(seed_article)).json()
    url = created["id"]
    etag = editor_client.get(url)["ETag"]
    moved = {**created, "target": new_gloss(seed_article, quote="إسطنبول")["target"]}
    response = put(editor_client, url, moved, **{"If-Match": etag})
    assert response.status_code == 200, response.content
    annotation = Annotation.objects.get()
    assert annotation.exact == "إسطنبول" and annotation.anchor == "exact"
    assert response.json()["target"]["selector"][1]["exact"] == "إسطنبول"
    assert LogEntry.objects.filter(action_flag=CHANGE, change_message__contains="target").exists()
    as_note = {**moved, "motivation": "commenting", "body": {"type": "TextualBody", "value": "a note now"}}
    response = put(editor_client, url, as_note, **{"If-Match": response["ETag"]})
    assert response.status_code == 400 and "motivation cannot change" in response.json()["error"]


def test_an_entity_label_moves_with_its_mention(editor_client, seed_article):
    label = {
        **new_gloss(seed_article, quote="إسطنبول"),
        "motivation": "tagging",
        "body": {"type": "TextualBody", "purpose": "tagging", "value": "LOC"},
    }
    created = post(editor_client, seed_article, label).json()
    etag = editor_client.get(created["id"])["ETag"]
    moved = {**created, "target": new_gloss(seed_article, quote="غزة")["target"]}
    assert put(editor_client, created["id"], moved, **{"If-Match": etag}).status_code == 200
    mention = Annotation.objects.get().mention
    assert mention.text == "غزة" and mention.label == "LOC"
    assert not seed_article.mentions.filter(text="إسطنبول", source="editor").exists()


def test_an_orphan_is_edited_as_it_is_or_anchored_again(editor_client, annotated_seed, tmp_seed_copy):
    from articles.importing import file_import

    text = tmp_seed_copy.read_text(encoding="utf-8")
    tmp_seed_copy.write_text(text.replace(NAME, "رئيس المكتب"), encoding="utf-8")
    assert not file_import(path=tmp_seed_copy).failed
    orphan = Annotation.objects.get(kind="gloss")
    url = annotation_url(orphan)
    response = editor_client.get(url)
    served = response.json()
    assert served["orphaned"] is True
    changed = {**served, "body": {**served["body"], "value": "Khalil al-Hayya (name removed)"}}
    response = put(editor_client, url, changed, **{"If-Match": response["ETag"]})
    assert response.status_code == 200, response.content
    assert Annotation.objects.get(pk=orphan.pk).is_orphaned
    found = {**changed, "target": new_gloss(annotated_seed, quote="رئيس المكتب")["target"]}
    del found["orphaned"]
    response = put(editor_client, url, found, **{"If-Match": response["ETag"]})
    assert response.status_code == 200, response.content
    orphan.refresh_from_db()
    assert not orphan.is_orphaned and orphan.exact == "رئيس المكتب" and orphan.body == "Khalil al-Hayya (name removed)"
    assert "orphaned" not in response.json()


# --- Untrusted bodies (issue 19) ----------------------------------------------------

NESTED = "[" * 10_000 + "]" * 10_000


def raw_post(client, article, body: str | bytes, **extra):
    return client.post(container_url(article), body, content_type="application/ld+json", **extra)


def body_value(article, value: str) -> str:
    """A note whose bodyValue is `value`, as JSON text (so that it may hold escapes json.dumps would not write)."""
    data = {**new_gloss(article), "motivation": "commenting", "bodyValue": "VALUE"}
    del data["body"]
    return json.dumps(data).replace('"VALUE"', value)


@pytest.mark.parametrize(
    "body, reason, field",
    [
        (NESTED, "nested too deeply (more than 64 levels", None),
        ("BODY_VALUE:" + '"\\ud800"', "text contains U+D800, a lone surrogate that is not a character", "bodyValue"),
        ("BODY_VALUE:" + '"a\\u0000b"', "text contains U+0000 (NUL), which is not text", "bodyValue"),
        ("BODY_VALUE:" + "9" * 5_000, "a number has 5,000 digits; at most 100 are accepted", None),
        ('{"a": ' + "9" * 5_000 + "}", "a number has 5,000 digits", None),
        ("BODY_VALUE:" + '"x"' + "\x00", "U+0000 (NUL)", None),
        (b'{"bodyValue": "\xff"}', "not UTF-8 text (byte 0xff", None),
    ],
)
def test_hostile_bodies_are_refused_with_their_reason_and_nothing_is_stored(
    client, editor_client, seed_article, body, reason, field
):
    if isinstance(body, str) and body.startswith("BODY_VALUE:"):
        body = body_value(seed_article, body.removeprefix("BODY_VALUE:"))
    response = raw_post(editor_client, seed_article, body)
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["status"] == 400 and reason in data["error"] and data.get("field") == field
    assert not Annotation.objects.exists()
    assert client.get(seed_article.get_absolute_url()).status_code == 200


def test_hostile_bodies_do_not_replace_an_annotation(editor_client, annotated_seed):
    gloss = Annotation.objects.get(kind="gloss")
    url = annotation_url(gloss)
    etag = editor_client.get(url)["ETag"]
    for body in (NESTED, "9" * 5_000, json.dumps({**editor_client.get(url).json()})[:-1] + ', "x": "\\ud800"}'):
        response = editor_client.put(url, body, content_type="application/ld+json", headers={"If-Match": etag})
        assert response.status_code == 400, body[:40]
    assert Annotation.objects.get(pk=gloss.pk).body == gloss.body


def test_an_annotations_text_is_bounded_by_a_setting(client, editor_client, seed_article, settings):
    settings.ANNOTATION_MAX_CHARACTERS = 5_000
    response = post(editor_client, seed_article, new_gloss(seed_article, text="a" * 2_000_000))
    assert response.status_code == 400
    assert response.json()["error"] == "the text has 2,000,000 characters; an annotation's may have at most 5,000"
    assert not Annotation.objects.exists()
    assert post(editor_client, seed_article, new_gloss(seed_article, text="ع" * 5_000)).status_code == 201
    page = client.get(seed_article.get_absolute_url())
    assert page.status_code == 200 and len(page.content) < 200_000

    settings.ANNOTATION_MAX_CHARACTERS = 10
    correction = {
        **new_gloss(seed_article),
        "motivation": "editing",
        "body": {"type": "TextualBody", "purpose": "editing", "value": "خليل الحية ومن معه"},
    }
    response = post(editor_client, seed_article, correction)
    assert response.status_code == 400 and "the proposed text has 18 characters" in response.json()["error"]


def test_a_nul_never_reaches_the_public_page(client, editor_client, seed_article):
    response = raw_post(editor_client, seed_article, body_value(seed_article, '"a\\u0000b"'))
    assert response.status_code == 400
    assert "\x00" not in client.get(seed_article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_anonymous_writes_without_a_csrf_cookie_are_told_to_log_in(annotated_seed, method):
    """Not Django's CSRF page: the CSRF check comes after the login check for anonymous writes."""
    client = Client(enforce_csrf_checks=True)
    gloss = Annotation.objects.get(kind="gloss")
    url = container_url(annotated_seed) if method == "post" else annotation_url(gloss)
    response = getattr(client, method)(url, "{}", content_type="application/ld+json", headers={"If-Match": "*"})
    assert response.status_code == 401 and response["WWW-Authenticate"] == 'Cookie realm="admin"'
    assert response.json() == {"status": 401, "error": "log in as an editor to change annotations"}
    assert Annotation.objects.filter(pk=gloss.pk).exists()
    # Reading needs no token.
    assert client.get(container_url(annotated_seed)).status_code == 200
    assert client.get(annotation_url(gloss)).status_code == 200


def test_logged_in_writes_still_need_the_csrf_token(annotated_seed, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    gloss = Annotation.objects.get(kind="gloss")
    for response in (
        client.delete(annotation_url(gloss)),
        client.put(annotation_url(gloss), "{}", content_type="application/ld+json", headers={"If-Match": "*"}),
    ):
        assert response.status_code == 403 and response.json()["error"].startswith("CSRF check failed")
    assert Annotation.objects.get(pk=gloss.pk).body == gloss.body


# Any JSON at all, and annotation-shaped objects whose fields hold anything.
FUZZ_TEXT = st.one_of(st.text(max_size=20), st.sampled_from(["\ud800", "a\x00b", NAME, "describing", "commenting"]))
FUZZ_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | FUZZ_TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(FUZZ_TEXT, children, max_size=3),
    max_leaves=10,
)
FUZZ_ANNOTATION = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["Annotation", ["Annotation"]]) | FUZZ_JSON,
        "motivation": st.sampled_from(["commenting", "describing", "editing", "tagging"]) | FUZZ_JSON,
        "bodyValue": FUZZ_TEXT | FUZZ_JSON,
        "body": st.fixed_dictionaries({"type": st.just("TextualBody"), "value": FUZZ_TEXT | FUZZ_JSON}) | FUZZ_JSON,
        "target": st.fixed_dictionaries(
            {"source": st.just("PAGE#p1") | FUZZ_TEXT},
            optional={"selector": st.fixed_dictionaries({"type": st.just("TextQuoteSelector"), "exact": FUZZ_TEXT})},
        )
        | FUZZ_JSON,
    },
)

# Well-formed annotations on the seed's words whose text is anything: these are created, then replaced.
FUZZ_NOTE = st.fixed_dictionaries(
    {
        "type": st.just("Annotation"),
        "motivation": st.sampled_from(["commenting", "describing"]),
        "bodyValue": FUZZ_TEXT,
        "target": st.fixed_dictionaries(
            {"source": st.just("PAGE#p1"), "selector": st.just({"type": "TextQuoteSelector", "exact": NAME})}
        ),
    }
)


@pytest.mark.django_db
@fuzzing(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.one_of(
        st.binary(max_size=200),
        FUZZ_JSON.map(json.dumps),
        FUZZ_ANNOTATION.map(json.dumps),
        FUZZ_NOTE.map(json.dumps),
        st.lists(st.sampled_from(["[", "]", "{", "}", '"a"', ":", ",", "1" * 50, "\\u0000"]), max_size=80).map("".join),
    )
)
def test_any_body_posted_or_put_is_answered_never_a_500(editor_client, seed_article, body):
    if isinstance(body, str):
        body = body.replace("PAGE", f"http://testserver{seed_article.get_absolute_url()}")
    response = raw_post(editor_client, seed_article, body)
    assert response.status_code in (201, 400), response.content[:200]
    event(f"POST answered {response.status_code}")
    if response.status_code == 201:
        url = response["Location"]
        etag = response["ETag"]
        replaced = editor_client.put(url, body, content_type="application/ld+json", headers={"If-Match": etag})
        assert replaced.status_code in (200, 400), replaced.content[:200]
