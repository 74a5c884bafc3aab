"""Who may do what: readers, editors (the Editors group) and admins."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone


def test_anonymous_is_sent_to_the_admin_login(client, seed_article):
    for url in (reverse("admin:index"), reverse("admin:articles_article_change", args=[seed_article.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_editor_may_annotate_label_curate_and_translate(editor):
    for permission in (
        "add_annotation",
        "change_annotation",
        "delete_annotation",
        "add_mention",
        "change_mention",
        "add_entity",
        "change_entity",
        "change_translation",
        "view_article",
    ):
        assert editor.has_perm(f"articles.{permission}"), permission
    for permission in ("delete_article", "change_article", "add_article"):
        assert not editor.has_perm(f"articles.{permission}"), permission
    assert not editor.has_perm("auth.change_user") and not editor.has_perm("auth.add_user")


def test_editor_cannot_delete_an_article_or_manage_users(client, editor, seed_article):
    client.force_login(editor)
    delete = reverse("admin:articles_article_delete", args=[seed_article.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert seed_article.__class__.objects.filter(pk=seed_article.pk).exists()
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    # They can read the article's admin page (to annotate it) but not change it.
    assert client.get(reverse("admin:articles_article_change", args=[seed_article.pk])).status_code == 200
    response = client.post(reverse("admin:articles_article_change", args=[seed_article.pk]), {"title": "x"})
    assert response.status_code == 403


def test_admin_may_delete_an_article(admin_client, seed_article):
    admin_client.post(reverse("admin:articles_article_delete", args=[seed_article.pk]), {"post": "yes"})
    assert not seed_article.__class__.objects.filter(pk=seed_article.pk).exists()


def test_create_editor_command(db, capsys):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("create_editor", "amal")
    user = get_user_model().objects.get(username="amal")
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name="Editors").exists()
    assert "password" in capsys.readouterr().out


# --- Guessing passwords is slowed to a stop (issue 9, django-axes) --------------


@pytest.fixture
def lockout(settings):
    """The lockout as production runs it (the test settings turn it off for client.login())."""
    import newsreader.settings as production

    assert getattr(production, "AXES_ENABLED", True) is True
    assert "axes.middleware.AxesMiddleware" in production.MIDDLEWARE
    assert production.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    settings.AXES_ENABLED = True


def admin_login(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def test_ten_wrong_passwords_lock_that_user_out_from_that_address(lockout, client, django_user_model, settings):
    from axes.models import AccessAttempt

    django_user_model.objects.create_superuser("boss", password="right-horse-battery")
    django_user_model.objects.create_superuser("other", password="other-horse-battery")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = admin_login(client, "boss", "wrong")
        assert response.status_code in (200, 429)
    assert settings.AXES_FAILURE_LIMIT == 10

    # Even the right password is refused now.
    locked = admin_login(client, "boss", "right-horse-battery")
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    # Another user from the same address, and the same user from another address, still log in.
    assert admin_login(Client(), "other", "other-horse-battery").status_code == 302
    assert admin_login(Client(), "boss", "right-horse-battery", address="10.0.0.2").status_code == 302

    # After the cool-off the right password works again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert admin_login(client, "boss", "right-horse-battery").status_code == 302


def test_a_few_mistakes_do_not_lock_anyone_out(lockout, client, django_user_model):
    django_user_model.objects.create_superuser("boss", password="right-horse-battery")
    for _ in range(3):
        assert admin_login(client, "boss", "wrong").status_code == 200
    assert admin_login(client, "boss", "right-horse-battery").status_code == 302


def test_behind_a_proxy_the_lockout_counts_the_address_the_proxy_saw(lockout, client, django_user_model, settings):
    settings.AXES_BEHIND_PROXY = True
    django_user_model.objects.create_superuser("boss", password="right-horse-battery")
    for n in range(settings.AXES_FAILURE_LIMIT):
        # A client inventing a new first address each time is still the same client.
        client.post(
            reverse("admin:login"),
            {"username": "boss", "password": "wrong"},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7",
        )
    locked = client.post(
        reverse("admin:login"),
        {"username": "boss", "password": "right-horse-battery"},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
    )
    assert locked.status_code == 429
    other_client = Client().post(
        reverse("admin:login"),
        {"username": "boss", "password": "right-horse-battery", "next": reverse("admin:index")},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert other_client.status_code == 302


# --- Agents: a creator is shown only to those who may read their annotations (issue 19) ---


def test_an_agent_is_shown_only_to_readers_of_one_of_their_annotations(client, seed_article, editor, make_article):
    from articles.annotations.services import annotation_create

    editor.first_name, editor.last_name = "Amal", "Haddad"
    editor.save()
    url = reverse("articles:api-agent", kwargs={"pk": editor.pk})
    staff = Client()
    staff.force_login(editor)

    annotation_create(article=seed_article, kind="note", body="internal", visibility="editors", user=editor)
    response = client.get(url)
    assert response.status_code == 404 and response.json() == {"status": 404, "error": "no such creator"}
    assert "Amal" not in response.content.decode()
    assert staff.get(url).json()["name"] == "Amal Haddad"

    # A public note on a draft is not for readers either.
    draft = make_article(status="draft")
    annotation_create(article=draft, kind="note", body="draft note", user=editor)
    assert client.get(url).status_code == 404

    annotation_create(article=seed_article, kind="note", body="for everyone", user=editor)
    response = client.get(url)
    assert response.status_code == 200 and response.json()["name"] == "Amal Haddad"
    assert "nickname" not in response.json()
