"""`ketenconf doctor` as an operator runs it: a real process, a real SMTP server, Redis."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from ketenconf.mail.models import OutboxMessage
from ketenconf.mail.services import mail_enqueue
from ketenconf.ops.models import WorkerHeartbeat
from ketenconf.ops.services import heartbeat_record
from tests.mail.test_worker import start_worker, wait_until

from .conftest import REDIS_URL, SMTPServer, database_url, free_port

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def doctor_env(smtp_port: int, redis_prefix: str, **changes: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KETENCONF_")}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "ketenconf.settings",
        "KETENCONF_DATABASE_URL": database_url(),
        "KETENCONF_SECRET_KEY": "k3t3nc0nf-" + "abcdefghij" * 6,
        "KETENCONF_DEBUG": "false",
        "KETENCONF_HTTPS": "true",
        "KETENCONF_ALLOWED_HOSTS": "conferentie.example.nl",
        "KETENCONF_BASE_URL": "https://conferentie.example.nl",
        "KETENCONF_EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "KETENCONF_FROM_EMAIL": "Ketenconferentie <noreply@ketenconf.example>",
        "KETENCONF_CACHE_URL": REDIS_URL,
        "KETENCONF_CACHE_KEY_PREFIX": redis_prefix,
        **changes,
    }


def doctor(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ketenconf", "doctor", "--no-color", *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def levels(done: subprocess.CompletedProcess[str]) -> dict[str, str]:
    return {check["name"]: check["level"] for check in json.loads(done.stdout)}


def test_a_healthy_installation_passes_every_check(smtp_server: SMTPServer, redis: str) -> None:
    heartbeat_record()
    done = doctor(doctor_env(smtp_server.port, redis), "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert levels(done) == {
        "secret key": "ok",
        "debug": "ok",
        "allowed hosts": "ok",
        "base URL": "ok",
        "email URL": "ok",
        "database": "ok",
        "migrations": "ok",
        "cache": "ok",
        "mail server": "ok",
        "worker": "ok",
        "outbox": "ok",
    }
    # Connected and greeted; nothing sent.
    assert smtp_server.recorder.received() == []


def test_each_problem_is_named_with_what_to_do_and_the_exit_code_says_so(
    smtp_server: SMTPServer, redis: str
) -> None:
    heartbeat_record(now=timezone.now() - timedelta(hours=2))
    mail_enqueue(
        to="wacht@example.org",
        template="mail/test_message",
        context={"name": "Wacht", "edition_title": "Ketenconferentie"},
        language="nl",
    )
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=40))
    env = doctor_env(
        free_port(),  # nothing listens there
        redis,
        KETENCONF_DEBUG="true",
        KETENCONF_BASE_URL="https://www.conferentie.example.nl",
    )
    done = doctor(env, "--json")
    assert done.returncode == 1
    assert {name: level for name, level in levels(done).items() if level == "error"} == {
        "debug": "error",
        "allowed hosts": "error",
        "mail server": "error",
        "worker": "error",
        "outbox": "error",
    }
    text = doctor(env)
    assert text.returncode == 1
    lines = text.stdout.splitlines()
    assert lines[-1] == "5 problems, 0 warnings."
    fixes = [line.split("-> ", 1)[1] for line in lines if "-> " in line]
    assert fixes == [
        "Set KETENCONF_DEBUG=false.",
        "Add www.conferentie.example.nl to KETENCONF_ALLOWED_HOSTS, or correct KETENCONF_BASE_URL.",
        "Check KETENCONF_EMAIL_URL (host, port, user, password, tls/ssl) and the firewall.",
        "Start `ketenconf worker` (see the systemd unit in docs/deployment.md) and read its log.",
        "Is the worker running and can it reach the mail server? See the checks above and the "
        "outbox in the admin.",
    ]


def test_no_worker_ever_and_a_database_that_is_away(smtp_server: SMTPServer, redis: str) -> None:
    assert not WorkerHeartbeat.objects.exists()
    env = doctor_env(smtp_server.port, redis)
    assert levels(doctor(env, "--json"))["worker"] == "error"
    env["KETENCONF_DATABASE_URL"] = f"postgres://nobody@127.0.0.1:{free_port()}/nothing"
    done = doctor(env, "--json")
    assert done.returncode == 1
    checks = {check["name"]: check for check in json.loads(done.stdout)}
    assert checks["database"]["level"] == "error"
    assert checks["database"]["fix"] == (
        "Check KETENCONF_DATABASE_URL and that the database server runs and lets us in."
    )
    assert "worker" not in checks  # not asked of a database that is not there


def test_send_test_goes_through_the_outbox_and_the_worker(
    smtp_server: SMTPServer, redis: str, tmp_path: Path
) -> None:
    with (tmp_path / "worker.log").open("wb") as log:
        worker = start_worker(smtp_server, log)
        try:
            wait_until(
                WorkerHeartbeat.objects.exists,
                worker=worker,
                log=log,
                timeout=30,
                what="the worker's first heartbeat",
            )
            done = doctor(
                doctor_env(smtp_server.port, redis), "--send-test", "beheer@example.org", "--json"
            )
        finally:
            worker.terminate()
            worker.wait(timeout=10)
    assert done.returncode == 0, done.stdout + done.stderr
    test_mail = json.loads(done.stdout)[-1]
    assert (test_mail["name"], test_mail["level"]) == ("test mail", "ok")
    [received] = smtp_server.recorder.received()
    assert received["To"] == "beheer@example.org"
    assert test_mail["detail"] == f"sent to beheer@example.org ({received['Message-ID']})"
