"""The soak: a registration rush while the worker is killed (SIGKILL) and restarted and every
database connection is terminated, again and again. Nothing is lost, no mail goes out twice
(except the one documented window: a kill after the SMTP server accepted a mail and before its
row says so), and no request gets a 500: while the database drops connections the app answers
503 with Retry-After, and the clients send again, as the API's users are told to.

In the suite it runs for 45 s (the worker killed every 11 s, the connections cut every 15 s).
The full soak, 10 minutes with a kill every 30 s and a cut every 45 s:

    KETENCONF_SOAK_SECONDS=600 KETENCONF_DATABASE_URL=postgres://postgres@127.0.0.1:5432/x \\
        .venv/bin/pytest tests/ops/test_soak.py -s

It prints the counts at the end.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from bench._harness import AppServer
from ketenconf.events.models import Edition, EditionStatus
from ketenconf.mail.models import OutboxMessage, OutboxStatus
from ketenconf.registration.models import Registration, RegistrationStatus
from tests.factories import EditionFactory, OrganisationFactory
from tests.mail.test_worker import start_worker, wait_until

from .conftest import SMTPServer, database_url
from .test_worker_outage import Cutter

SOAK_SECONDS = float(os.environ.get("KETENCONF_SOAK_SECONDS", "45"))
KILL_EVERY = min(30.0, SOAK_SECONDS / 4)
CUT_EVERY = min(45.0, SOAK_SECONDS / 3)
CLIENTS = 4

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.timeout(int(2 * SOAK_SECONDS) + 400),
    pytest.mark.django_db(transaction=True),
]


class Rush:
    """Clients that register new people until told to stop; a 503 is sent again after a pause,
    as is a request whose connection the server closed. Every answer is kept."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.lock = threading.Lock()
        self.next = 0
        self.stopping = threading.Event()
        self.answers: list[tuple[str, int, dict[str, object]]] = []  # email, status, body
        self.final: dict[str, tuple[int, dict[str, object]]] = {}

    def person(self) -> int:
        with self.lock:
            self.next += 1
            return self.next

    def client(self) -> None:
        while not self.stopping.is_set():
            n = self.person()
            email = f"deelnemer{n}@example.org"
            body = json.dumps({"name": f"Deelnemer {n}", "email": email, "organisation": "IND"})
            while True:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                try:
                    conn.request(
                        "POST",
                        "/api/v1/editions/soak/registrations",
                        body=body,
                        headers={"Content-Type": "application/json"},
                    )
                    response = conn.getresponse()
                    status, payload = response.status, json.loads(response.read() or b"{}")
                except (OSError, http.client.HTTPException, ValueError):
                    time.sleep(0.2)
                    continue
                finally:
                    conn.close()
                with self.lock:
                    self.answers.append((email, status, payload))
                if status in (200, 201):
                    with self.lock:
                        self.final[email] = (status, payload)
                    break
                if status != 503:
                    break  # counted below: anything but 200, 201 and 503 fails the soak
                time.sleep(0.5)


def test_soak_a_rush_through_worker_kills_and_connection_cuts(
    smtp_server: SMTPServer, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    OrganisationFactory(name="IND")
    edition: Edition = EditionFactory(
        slug="soak", status=EditionStatus.REGISTRATION_OPEN, capacity=150
    )
    env = {
        **os.environ,
        "KETENCONF_DATABASE_URL": database_url(),
        "KETENCONF_DEBUG": "false",
        "KETENCONF_RATELIMIT": "off",
        "KETENCONF_LINK_MAILS_PER_ADDRESS": "off",
        "KETENCONF_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "ketenconf.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    cutter = Cutter()
    log = (tmp_path / "worker.log").open("wb")
    server = AppServer(env, workers=1, threads=4, log=tmp_path / "server.log").start()
    worker = start_worker(smtp_server, log, "--stuck-after=31", "--sweep-every=2")
    rush = Rush(server.port)
    clients = [threading.Thread(target=rush.client) for _ in range(CLIENTS)]
    in_window: set[str] = set()
    kills = cuts = 0
    try:
        for client in clients:
            client.start()
        began = time.monotonic()
        next_kill, next_cut = began + KILL_EVERY, began + CUT_EVERY
        while (now := time.monotonic()) < began + SOAK_SECONDS:
            if now >= next_kill:
                worker.kill()
                worker.wait()
                # What the server accepted is read after the kill (and after the server's
                # handler has had a moment to record the last DATA): read before it, a mail
                # accepted between the read and the kill falls outside the window it is in.
                time.sleep(0.5)
                received = set(smtp_server.recorder.message_id_counts())
                sending = set(
                    OutboxMessage.objects.filter(status=OutboxStatus.SENDING).values_list(
                        "message_id", flat=True
                    )
                )
                # Accepted by the server, not yet recorded as sent: the one window.
                in_window |= sending & received
                worker = start_worker(smtp_server, log, "--stuck-after=31", "--sweep-every=2")
                kills += 1
                next_kill += KILL_EVERY
            if now >= next_cut:
                cutter()
                cuts += 1
                next_cut += CUT_EVERY
            time.sleep(0.05)
        rush.stopping.set()
        for client in clients:
            client.join(timeout=120)
        print(
            f"\nrush over: {len(rush.final)} people answered, "
            f"{Counter(status for _, status, _ in rush.answers)}; {kills} kills, {cuts} cuts; "
            f"{len(smtp_server.recorder.message_id_counts())} mails received so far, "
            f"{OutboxMessage.objects.exclude(status=OutboxStatus.SENT).count()} waiting"
        )
        # The outbox drains after the storm (one worker sends a few hundred mails a minute on
        # a busy machine); a send the last kill cut off is released after --stuck-after (31 s).
        wait_until(
            lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists(),
            worker=worker,
            log=log,
            timeout=max(180.0, SOAK_SECONDS),
            what="the outbox was sent",
        )
    finally:
        rush.stopping.set()
        worker.terminate()
        worker.wait(timeout=15)
        server.stop()
        cutter.close()
        log.close()

    statuses = Counter(status for _, status, _ in rush.answers)
    mails = smtp_server.recorder.message_id_counts()
    twice = {message_id for message_id, count in mails.items() if count > 1}
    registrations = {r.email: r for r in Registration.objects.filter(edition=edition)}
    print(
        f"\nsoak {SOAK_SECONDS:.0f} s: {len(rush.final)} people registered, answers "
        f"{dict(sorted(statuses.items()))}; worker killed {kills} times, {cuts} cuts "
        f"({cutter.cut} connections); {len(mails)} mails, {len(twice)} twice "
        f"(in the window: {len(in_window)})"
    )
    assert kills >= 3 and cuts >= 2
    assert set(statuses) <= {200, 201, 503}, statuses  # no 500, nothing else
    # Nothing lost: every person asked got an answer, and is registered once, as answered.
    assert set(rush.final) == set(registrations)
    for email, (status, payload) in rush.final.items():
        if status == 201:
            assert payload["id"] == registrations[email].pk
    edition.refresh_from_db()
    seated = sum(r.status == RegistrationStatus.REGISTERED for r in registrations.values())
    assert edition.seats_taken == seated == min(150, len(registrations))
    # Every mail out; twice only inside the window.
    outbox = list(OutboxMessage.objects.values_list("message_id", flat=True))
    assert set(mails) == set(outbox)
    assert twice <= in_window
