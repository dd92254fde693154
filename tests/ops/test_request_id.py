"""Every log record of a request carries its id, and so do the worker's records of its tasks."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ketenconf.mail.models import OutboxMessage
from ketenconf.ops.log import JsonFormatter
from tests.factories import EditionFactory

from .conftest import SMTPServer, database_url

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_a_sane_request_id_from_the_proxy_is_kept_and_echoed(client: Client) -> None:
    response = client.get("/health", HTTP_X_REQUEST_ID="nginx-7f3a.1:2@edge")
    assert response["X-Request-ID"] == "nginx-7f3a.1:2@edge"


@pytest.mark.parametrize(
    "sent", ["", "two words", "line\nbreak", "<script>", "x" * 129, "-starts-with-a-dash"]
)
def test_anything_else_gets_a_new_id(client: Client, sent: str) -> None:
    response = client.get("/health", HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32
    int(response["X-Request-ID"], 16)


@pytest.mark.django_db
def test_each_record_logged_during_a_request_carries_its_id(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/nl/no-such-edition/programme/", HTTP_X_REQUEST_ID="req-404")
        client.get("/nl/no-such-edition/", HTTP_X_REQUEST_ID="req-also-404")
    assert [(r.getMessage(), getattr(r, "request_id", None)) for r in caplog.records] == [
        ("Not Found: /nl/no-such-edition/programme/", "req-404"),
        ("Not Found: /nl/no-such-edition/", "req-also-404"),
    ]
    # Outside a request the id is empty.
    logging.getLogger("ketenconf").warning("between requests")
    assert getattr(caplog.records[-1], "request_id", None) == ""


def test_json_lines_hold_the_message_the_request_id_and_the_exception() -> None:
    try:
        raise ValueError("no seats")
    except ValueError:
        record = logging.getLogger("ketenconf.test").makeRecord(
            "ketenconf.test",
            logging.ERROR,
            __file__,
            1,
            "Registration %s failed",
            ("42",),
            sys.exc_info(),
        )
    record.request_id = "abc-1"
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert {k: entry[k] for k in ("level", "logger", "message", "request_id")} == {
        "level": "ERROR",
        "logger": "ketenconf.test",
        "message": "Registration 42 failed",
        "request_id": "abc-1",
    }
    assert entry["exception"].splitlines()[-1] == "ValueError: no seats"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_a_requests_mail_under_the_requests_id(
    client: Client, redis: str, smtp_server: SMTPServer, settings: Any
) -> None:
    """A registration through the API, its confirmation sent by `ketenconf worker` (JSON logs)."""
    settings.RATELIMIT = None
    EditionFactory(slug="logboek", status="registration_open")
    response = client.post(
        "/api/v1/editions/logboek/registrations",
        {"name": "Anna de Vries", "email": "anna@example.org", "organisation": "IND"},
        content_type="application/json",
        HTTP_X_REQUEST_ID="register-anna-1",
    )
    assert response.status_code == 201
    env = {
        **os.environ,
        "KETENCONF_DATABASE_URL": database_url(),
        "KETENCONF_EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "KETENCONF_CACHE_URL": "redis://127.0.0.1:6379/0",
        "KETENCONF_CACHE_KEY_PREFIX": redis,
        "KETENCONF_LOG_FORMAT": "json",
        "KETENCONF_LOG_LEVEL": "INFO",
        "DJANGO_SETTINGS_MODULE": "ketenconf.settings",
    }
    done = subprocess.run(
        [sys.executable, "-m", "ketenconf", "worker", "--batch", "-v", "1"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert OutboxMessage.objects.get().status == "sent"
    assert len(smtp_server.recorder.received()) == 1
    entries = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    finished = [e for e in entries if e["message"].endswith("state=SUCCESSFUL")]
    assert len(finished) == 1
    assert finished[0]["request_id"] == "register-anna-1"
    assert finished[0]["logger"] == "django_tasks"
