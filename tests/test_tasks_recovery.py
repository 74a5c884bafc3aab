"""Tasks a stopped worker left running (issue 9): re-queued after a timeout,
once, failed after too many attempts, and shown in the admin."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import Translation, WorkerHeartbeat
from articles.tasks_recovery import stale_tasks_recover, worker_heartbeat
from articles.translation.tasks import translate_article

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASKS_STALE_AFTER = 600
    settings.TASKS_WORKER_LOST_AFTER = 120
    settings.TASKS_MAX_ATTEMPTS = 3
    settings.TASKS_RECOVERY_INTERVAL = 3600


def stranded(article, *, minutes_ago: float, attempts: int = 1) -> DBTaskResult:
    """A translation task as a worker killed mid-task leaves it: RUNNING for ever."""
    result = translate_article.enqueue(article.pk)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        worker_ids=[f"killed-{n}" for n in range(attempts)],
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_a_stale_running_task_is_queued_again_once_and_a_recent_one_is_left(database_tasks, seed_article):
    old = stranded(seed_article, minutes_ago=11)
    recent = stranded(seed_article, minutes_ago=9)

    first, second = stale_tasks_recover(), stale_tasks_recover()
    assert first.requeued == [str(old.pk)] and second.requeued == [] and second.failed == []
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, old.started_at) == (TaskResultStatus.READY, None)
    assert old in DBTaskResult.objects.ready()
    assert recent.status == TaskResultStatus.RUNNING


def test_a_task_that_stopped_every_worker_is_failed_not_retried(database_tasks, seed_article):
    task = stranded(seed_article, minutes_ago=30, attempts=3)
    summary = stale_tasks_recover()
    task.refresh_from_db()
    assert summary.failed == [str(task.pk)] and summary.requeued == []
    assert task.status == TaskResultStatus.FAILED
    assert "stopped while running this task, 3 times" in task.traceback


def test_the_worker_recovers_a_stranded_translation_when_it_starts(
    database_tasks, transactional_db, seed_article, libre
):
    libre()
    task = stranded(seed_article, minutes_ago=45)
    assert not Translation.objects.filter(article=seed_article, status=Translation.Status.DONE).exists()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2  # the killed worker, then this one
    paragraph = Translation.objects.get(paragraph=seed_article.paragraphs.get(position=1))
    assert paragraph.status == Translation.Status.DONE and paragraph.text


def test_recover_tasks_command(database_tasks, seed_article, capsys):
    stranded(seed_article, minutes_ago=20)
    call_command("recover_tasks")
    assert "1 task(s) re-queued, 0 marked failed" in capsys.readouterr().out


def test_admin_shows_stuck_and_failed_work_with_its_article(database_tasks, admin_client, seed_article):
    stranded(seed_article, minutes_ago=90)
    failed = stranded(seed_article, minutes_ago=1)
    DBTaskResult.objects.filter(pk=failed.pk).update(status=TaskResultStatus.FAILED, exception_class_path="x.Boom")
    translate_article.enqueue(seed_article.pk)  # waiting, recently: needs no attention

    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    page = admin_client.get(url, {"attention": "any"}).content.decode()
    assert "Stuck since" in page and "Failed: <bdi>Boom</bdi>" in page
    assert page.count(reverse("admin:articles_article_change", args=[seed_article.pk])) == 2
    assert escape(seed_article.title) in page
    stuck_only = admin_client.get(url, {"attention": "stuck"}).content.decode()
    assert "Stuck since" in stuck_only and "Failed: <bdi>Boom</bdi>" not in stuck_only


def test_a_long_task_whose_worker_still_beats_is_left_to_it(database_tasks, seed_article):
    """However long it runs, a task is not taken from a live worker (so it never runs twice)."""
    task = stranded(seed_article, minutes_ago=120)
    worker_heartbeat(worker_id=task.worker_ids[-1], now=timezone.now() - datetime.timedelta(seconds=20))
    assert stale_tasks_recover().requeued == []
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_whose_worker_fell_silent_is_queued_again_without_waiting_for_the_timeout(database_tasks, seed_article):
    task = stranded(seed_article, minutes_ago=3)  # well within TASKS_STALE_AFTER (10 minutes)
    worker_heartbeat(worker_id=task.worker_ids[-1], now=timezone.now() - datetime.timedelta(minutes=3))
    assert stale_tasks_recover().requeued == [str(task.pk)]


def test_the_worker_says_it_is_alive(database_tasks, transactional_db, settings):
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--worker-id", "beating", verbosity=0)
    beat = WorkerHeartbeat.objects.get(worker_id="beating")
    assert timezone.now() - beat.seen_at < datetime.timedelta(minutes=1)


def test_admin_does_not_call_a_task_stuck_while_its_worker_beats(database_tasks, admin_client, seed_article):
    task = stranded(seed_article, minutes_ago=120)
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    assert "Stuck since" in admin_client.get(url).content.decode()
    worker_heartbeat(worker_id=task.worker_ids[-1])
    page = admin_client.get(url).content.decode()
    assert "Stuck since" not in page and escape(seed_article.title) in page
    assert "Stuck since" not in admin_client.get(url, {"attention": "stuck"}).content.decode()


def test_admin_links_only_article_tasks_to_an_article(database_tasks, admin_client, seed_article):
    """The importing tasks take a feed's or a queued address's id, which is no article's."""
    from articles.importing.tasks import fetch_feed, import_queued_url

    fetch_feed.enqueue(seed_article.pk)
    import_queued_url.enqueue(seed_article.pk)
    page = admin_client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).content.decode()
    assert "import_queued_url" in page and "fetch_feed" in page
    assert reverse("admin:articles_article_change", args=[seed_article.pk]) not in page

    translate_article.enqueue(seed_article.pk)
    page = admin_client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).content.decode()
    assert page.count(reverse("admin:articles_article_change", args=[seed_article.pk])) == 1
