"""Unhandled errors (issue 9): logged with their traceback, mailed to ADMINS
when configured, and never shown to the user."""

import io
import logging

import pytest
from django.core import mail
from django.test import Client

from tests.test_settings import manage


@pytest.fixture
def console():
    """What the console handler that settings.LOGGING gives django.request writes."""
    [handler] = [h for h in logging.getLogger("django.request").handlers if type(h) is logging.StreamHandler]
    output = io.StringIO()
    previous = handler.setStream(output)
    yield output
    handler.setStream(previous)


@pytest.mark.urls("tests.urls_errors")
def test_a_500_is_logged_with_its_traceback_and_the_user_sees_a_plain_page(db, console, settings):
    settings.ADMINS = [("Ops", "ops@example.org")]
    response = Client(raise_request_exception=False).get("/broken/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side." in page
    assert "ZeroDivisionError" not in page and "Traceback" not in page and "broken_view" not in page
    log = console.getvalue()
    assert "ERROR django.request: Internal Server Error: /broken/" in log
    assert "Traceback (most recent call last)" in log and "ZeroDivisionError: a bug deep in a view" in log
    assert "in broken_view" in log
    [message] = mail.outbox
    assert message.to == ["ops@example.org"] and "ZeroDivisionError" in message.body


@pytest.mark.urls("tests.urls_errors")
def test_no_mail_without_admins(db, console, settings):
    settings.ADMINS = []
    assert Client(raise_request_exception=False).get("/broken/").status_code == 500
    assert mail.outbox == []
    assert "ZeroDivisionError" in console.getvalue()


def test_admins_come_from_the_environment():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.ADMINS)",
        DJANGO_DEBUG="1",
        DJANGO_ADMINS="Ops Team <ops@example.org>, night@example.org",
    )
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip().splitlines()[-1]
        == "[('Ops Team', 'ops@example.org'), ('night@example.org', 'night@example.org')]"
    )
