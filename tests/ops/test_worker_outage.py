"""The database drops the worker's connections (``pg_terminate_backend``, as a failover or an
administrator does) while it sends the outbox: the same worker process reconnects and goes
on, and every mail goes out exactly once.

The worst moment is aimed at on purpose: the connections are cut while the SMTP server is in
the middle of a mail (at RCPT), so the worker's next statement after the server accepted the
mail, the one that records it as sent, finds its connection gone. Besides, every second all
its connections are cut at whatever moment it is.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import psycopg
import pytest
from django.db import connection

from ketenconf.mail.models import OutboxMessage, OutboxStatus
from ketenconf.ops.models import WorkerHeartbeat
from tests.mail.test_worker import enqueue_mails, start_worker, statuses, wait_until

from .conftest import SMTPServer, database_url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.timeout(300),
    pytest.mark.django_db(transaction=True),
]

CUT_AT = {20, 60, 100, 140}  # mails during which the connections are cut


class Cutter:
    """Terminates every connection to the test database but the test's own."""

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.spared = cursor.fetchone()[0]
        self.conn = psycopg.connect(database_url().split("?")[0], autocommit=True)
        self.lock = threading.Lock()
        self.cut = 0

    def __call__(self) -> int:
        with self.lock:
            rows = self.conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s",
                [self.spared],
            ).fetchall()
            self.cut += len(rows)
            return len(rows)

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def cutter() -> Iterator[Cutter]:
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    cut = Cutter()
    yield cut
    cut.close()


@pytest.fixture
def log(tmp_path: Path) -> Iterator[IO[bytes]]:
    with (tmp_path / "worker.log").open("wb") as file:
        yield file


def test_a_worker_whose_connections_are_cut_goes_on_and_sends_every_mail_once(
    smtp_server: SMTPServer, cutter: Cutter, log: IO[bytes]
) -> None:
    worker = start_worker(smtp_server, log, "--stuck-after=31", "--sweep-every=2")
    try:
        wait_until(
            WorkerHeartbeat.objects.exists,
            worker=worker,
            log=log,
            timeout=30,
            what="the worker's first heartbeat",
        )
        message_ids = enqueue_mails()

        def cut_mid_mail(count: int, address: str) -> None:
            if count in CUT_AT:
                cutter()

        smtp_server.recorder.on_rcpt = cut_mid_mail
        stop = threading.Event()

        def cut_now_and_then() -> None:
            while not stop.wait(1.0):
                cutter()

        background = threading.Thread(target=cut_now_and_then, daemon=True)
        background.start()
        try:
            wait_until(
                lambda: len(smtp_server.recorder.received()) >= len(message_ids) // 2,
                worker=worker,
                log=log,
                timeout=120,
                what="half the mails were sent while the connections were cut",
            )
        finally:
            stop.set()
            background.join()
        wait_until(
            lambda: statuses() == {OutboxStatus.SENT: len(message_ids)},
            worker=worker,
            log=log,
            timeout=90,
            what="every mail was sent",
        )
        assert worker.poll() is None, "the worker exited"
    finally:
        worker.terminate()
        worker.wait(timeout=15)
    assert cutter.cut >= len(CUT_AT)
    assert smtp_server.recorder.message_id_counts() == dict.fromkeys(message_ids, 1)
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()
    # The worker met a cut and said so: in its own loop ("connection was lost"), or while
    # recording a mail the server had accepted. Which one depends on where each cut lands.
    log.flush()
    text = Path(log.name).read_text()
    assert "The database connection was lost" in text or "as sent failed" in text, text[-3000:]


def test_a_worker_started_while_the_database_refuses_connections_waits_and_then_sends(
    smtp_server: SMTPServer, cutter: Cutter, log: IO[bytes]
) -> None:
    """Started (or restarted by a supervisor) during an outage, the worker does not exit: its
    start-up sweep waits for the database like its loop does."""
    name = connection.settings_dict["NAME"]
    toggle = f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS '
    # PostgreSQL refuses this from a connection to the database itself.
    admin = psycopg.connect(
        database_url().split("?")[0].rsplit("/", 1)[0] + "/postgres", autocommit=True
    )
    admin.execute(toggle + "false")
    try:
        worker = start_worker(smtp_server, log, "--stuck-after=31", "--sweep-every=2")
        try:
            time.sleep(4)  # its first tries are refused
            assert worker.poll() is None, "the worker exited while the database was away"
        finally:
            admin.execute(toggle + "true")
        wait_until(
            WorkerHeartbeat.objects.exists,
            worker=worker,
            log=log,
            timeout=60,
            what="the worker's first heartbeat once the database was back",
        )
        message_ids = enqueue_mails()
        wait_until(
            lambda: statuses() == {OutboxStatus.SENT: len(message_ids)},
            worker=worker,
            log=log,
            timeout=120,
            what="every mail was sent",
        )
    finally:
        admin.execute(toggle + "true")
        admin.close()
        worker.terminate()
        worker.wait(timeout=15)
    assert smtp_server.recorder.message_id_counts() == dict.fromkeys(message_ids, 1)
    log.flush()
    assert "The database is away at start-up" in Path(log.name).read_text()
