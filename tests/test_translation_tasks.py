"""Failed translation heals by itself (articles/translation/tasks.py): a failed run is recorded as
failed with its reason, an unreachable provider is tried again with backoff by the worker, a change
of provider retries at once and hides the old provider's reason, and recognition never waits on it."""

import datetime
import socket

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.importing import file_import
from articles.models import Mention, Translation
from articles.translation.config import settings_key
from articles.translation.tasks import retry_translations, translate_article, translation_retries_queue

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def unreachable(settings):
    """LibreTranslate configured at an address where nothing listens (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.TRANSLATION_PROVIDER = "libre"
    settings.TRANSLATION_LIBRE_URL = f"http://127.0.0.1:{port}/"
    settings.TRANSLATION_API_KEY = "test-key"
    settings.TRANSLATION_RETRIES = 3
    settings.TRANSLATION_BACKOFF = 1.0
    settings.TRANSLATION_RETRY_AFTER = 60
    settings.TRANSLATION_RETRY_MAX = 3600
    return settings


def worker_run(**options):
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0, **options)


def page(client, article):
    return client.get(article.get_absolute_url()).content.decode()


def api(client, article):
    return client.get(reverse("articles:api-detail", kwargs={"slug": article.slug})).json()


def test_a_run_that_fails_is_recorded_as_failed_with_its_reason(settings, transactional_db, seed_article, unreachable):
    settings.TASKS = DATABASE_TASKS
    task = translate_article.enqueue(seed_article.pk)
    worker_run()
    result = DBTaskResult.objects.get(pk=task.id)
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "articles.translation.tasks.TranslationFailed"
    assert "10 segment(s) failed: could not connect to LibreTranslate (offline?)" in result.traceback
    assert "sent again by the worker after" in result.traceback
    # The task list of the admin says so too.
    assert Translation.objects.filter(status=Translation.Status.FAILED).count() == 10


def test_an_unreachable_provider_is_not_waited_for_and_is_tried_again_with_backoff(seed_article, unreachable, libre):
    with pytest.raises(CommandError):
        call_command("translate_articles", seed_article.slug, verbosity=0)
    rows = Translation.objects.filter(article=seed_article)
    # One connection refused, no retries in the run (they would hold the worker), no more requests.
    first = rows.first()
    assert first.failures == 1 and first.failed_with == settings_key()
    delay = first.retry_at - first.modified
    assert datetime.timedelta(seconds=59) < delay <= datetime.timedelta(seconds=60)
    assert not translation_retries_queue()  # not due yet

    rows.update(retry_at=timezone.now() - datetime.timedelta(seconds=1))  # a minute later
    assert translation_retries_queue()  # queued (and run at once by the tests' backend): still unreachable
    again = rows.get(pk=first.pk)
    assert again.failures == 2
    assert datetime.timedelta(seconds=119) < again.retry_at - again.modified <= datetime.timedelta(seconds=120)

    # Many failures later the delay stops growing.
    rows.update(failures=20, retry_at=timezone.now())
    retry_translations.enqueue()
    last = rows.get(pk=first.pk)
    assert last.retry_at - last.modified <= datetime.timedelta(seconds=3600)

    server = libre()  # the provider is back (at another address: new settings, retried at once)
    assert translation_retries_queue()
    assert set(rows.values_list("status", flat=True)) == {"done"}
    assert len(server.requests) == 1
    assert set(rows.values_list("failures", flat=True)) == {0}


def test_a_refusal_waits_for_other_settings_and_the_command_points_to_retry_failed(seed_article, libre, capsys):
    libre("error500", timeout=1)
    with pytest.raises(CommandError):
        call_command("translate_articles", seed_article.slug, verbosity=0)
    call_command("translate_articles", seed_article.slug, verbosity=0)  # nothing sent, nothing failed
    out = capsys.readouterr().out
    assert "10 skipped segment(s) failed earlier and were not sent" in out
    assert "--retry-failed sends them now" in out


def test_a_new_provider_retries_at_once_and_readers_never_see_the_old_providers_reason(
    client, settings, seed_article, libre
):
    # What an offline site with the default provider stored, with the settings it had then.
    settings.TRANSLATION_PROVIDER = "google"
    google = settings_key()
    Translation.objects.filter(article=seed_article).update(
        status=Translation.Status.FAILED,
        error="could not connect to Google Translate (offline?)",
        failed_with=google,
        failures=3,
        retry_at=timezone.now() + datetime.timedelta(minutes=30),
    )
    assert "Google Translate" in page(client, seed_article)
    assert api(client, seed_article)["paragraphs"][0]["translation"]["status"] == "failed"

    server = libre("hang", timeout=1)  # restarted with LibreTranslate, not answering yet
    html = page(client, seed_article)
    assert "Google" not in html
    assert "the translation is queued" in html
    translation = api(client, seed_article)["paragraphs"][0]["translation"]
    assert translation["status"] == "pending" and translation["error"] is None

    server.mode = "ok"
    call_command("translate_articles", "--all", verbosity=0)  # not "0 done, 10 skipped"
    assert set(Translation.objects.values_list("status", flat=True)) == {"done"}
    assert "Google" not in page(client, seed_article)


def test_the_worker_retries_what_failed_under_other_settings_as_it_starts(settings, transactional_db, libre):
    settings.TASKS = DATABASE_TASKS
    from tests.conftest import SEED

    article = file_import(path=SEED).article
    settings.TRANSLATION_PROVIDER = "google"
    Translation.objects.filter(article=article).update(
        status=Translation.Status.FAILED,
        error="could not connect to Google Translate (offline?)",
        failed_with=settings_key(),
    )
    DBTaskResult.objects.all().delete()
    libre()
    worker_run()
    assert set(Translation.objects.filter(article=article).values_list("status", flat=True)) == {"done"}
    retry = DBTaskResult.objects.get(task_path="articles.translation.tasks.retry_translations")
    assert retry.status == TaskResultStatus.SUCCESSFUL


def test_recognition_runs_before_a_translation_queued_with_it(
    settings, transactional_db, unreachable, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    from tests.conftest import SEED

    with django_capture_on_commit_callbacks(execute=True):
        article = file_import(path=SEED).article
    queued = [task.task_path.rsplit(".", 1)[1] for task in DBTaskResult.objects.ready()]
    assert queued[:2] == ["recognize_article", "translate_article"]

    worker_run(max_tasks=1)
    assert Mention.objects.filter(article=article).exists()
    assert not Translation.objects.filter(article=article).exclude(status=Translation.Status.PENDING).exists()
