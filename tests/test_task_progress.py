"""What an article's admin pages say while its recognition or translation waits or runs
(articles/task_progress.py, the progress endpoint and the notices of the Annotate and change pages)."""

from django.urls import reverse
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.entities.tasks import recognize_article
from articles.task_progress import article_pending_work
from articles.translation.tasks import translate_article
from tests.test_tasks_recovery import database_tasks  # noqa: F401 (a fixture)


def test_queued_and_running_work_is_said_and_done_work_is_not(database_tasks, seed_article, make_article):  # noqa: F811
    other = make_article()
    DBTaskResult.objects.all().delete()  # what the imports queued
    recognize_article.enqueue(seed_article.pk)
    running = translate_article.enqueue(seed_article.pk)
    translate_article.enqueue(other.pk)
    DBTaskResult.objects.filter(pk=running.id).update(status=TaskResultStatus.RUNNING)
    work = article_pending_work(article_id=seed_article.pk)
    assert [(w.work, w.running, w.text) for w in work] == [
        ("recognition", False, "Entity recognition queued…"),
        ("translation", True, "Translation running…"),
    ]
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)
    assert article_pending_work(article_id=seed_article.pk) == []


def test_the_pages_say_so_and_the_endpoint_tells_when_it_is_done(database_tasks, admin_client, seed_article):  # noqa: F811
    DBTaskResult.objects.all().delete()
    recognize_article.enqueue(seed_article.pk)
    for page in ("admin:articles_article_annotate", "admin:articles_article_change"):
        html = admin_client.get(reverse(page, args=[seed_article.pk])).content.decode()
        assert "Entity recognition queued…" in html and 'class="work-progress"' in html
        assert "js/work_progress.js" in html
    url = reverse("admin:articles_article_progress", args=[seed_article.pk])
    assert admin_client.get(url).json()["pending"] == [
        {"work": "recognition", "running": False, "text": "Entity recognition queued…"}
    ]
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)
    data = admin_client.get(url).json()
    assert data["pending"] == [] and data["done_text"].startswith("Recognition and translation are done")
    html = admin_client.get(reverse("admin:articles_article_change", args=[seed_article.pk])).content.decode()
    assert 'class="work-progress is-idle"' in html


def test_progress_is_for_staff_who_may_see_the_article(client, django_user_model, seed_article):
    client.force_login(django_user_model.objects.create_user("staff", is_staff=True))
    assert client.get(reverse("admin:articles_article_progress", args=[seed_article.pk])).status_code == 403
