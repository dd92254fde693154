"""``ketenconf doctor`` sees a dead or a stuck worker within a minute.

A real worker beats every 10 s; killed, it is called gone by doctor's defaults once its last
beat is 45 s old (it said "alive" for five minutes before). Stopped with SIGSTOP (hung: alive
to the kernel, doing nothing), doctor calls it stuck as soon as a task has waited a minute.
"""

from __future__ import annotations

import json
import re
import signal
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ketenconf.mail.services import mail_enqueue
from ketenconf.ops.models import WorkerHeartbeat
from tests.mail.test_worker import start_worker, wait_until

from .conftest import SMTPServer
from .test_doctor import doctor, doctor_env

# PostgreSQL only: a worker stopped with SIGSTOP on SQLite may hold the one write lock, and
# the test's own write would wait for it.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.timeout(240),
    pytest.mark.django_db(transaction=True),
]


def worker_check(env: dict[str, str]) -> dict[str, str]:
    checks = {check["name"]: check for check in json.loads(doctor(env, "--json").stdout)}
    return {"level": checks["worker"]["level"], "detail": checks["worker"]["detail"]}


def test_doctor_sees_a_stuck_worker_and_a_dead_one(
    smtp_server: SMTPServer, redis: str, tmp_path: Path
) -> None:
    env = doctor_env(smtp_server.port, redis)
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
            first = WorkerHeartbeat.objects.get().seen_at
            wait_until(
                lambda: WorkerHeartbeat.objects.get().seen_at > first,
                worker=worker,
                log=log,
                timeout=20,
                what="a second heartbeat within 20 s",
            )
            name = WorkerHeartbeat.objects.get().worker
            assert worker_check(env) == {"level": "ok", "detail": f"1 alive: {name}"}

            # Hung: the process is there and its last beat recent, but it takes no task.
            worker.send_signal(signal.SIGSTOP)
            mail_enqueue(
                to="wacht@example.org",
                template="mail/test_message",
                context={"name": "Wacht", "edition_title": "Ketenconferentie"},
                language="nl",
            )
            DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
                enqueued_at=timezone.now() - timedelta(seconds=61)
            )
            WorkerHeartbeat.objects.update(seen_at=timezone.now())
            assert worker_check(env) == {
                "level": "error",
                "detail": f"1 alive ({name}), but 1 tasks have waited longer than 60 s: stuck, "
                "or busy with a long task",
            }
        finally:
            worker.send_signal(signal.SIGCONT)
            worker.kill()
            worker.wait()
    # Dead: 50 s after its last beat it is called gone.
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(seconds=50))
    dead = worker_check(env)
    assert dead["level"] == "error"
    assert re.fullmatch(r"no worker seen for \d+ s \(last heartbeat .*\)", dead["detail"])
