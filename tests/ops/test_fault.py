"""The app server killed with SIGKILL in the middle of a registration rush, then restarted.

The app server (granian's main process and workers, production configuration) on this test's
PostgreSQL database is killed at once while registrations pour in through the API. Clients
whose request got no answer send it again once the server is back, as a browser's user or an
API client would.
Then a worker sends the outbox to a real SMTP server. What must hold:

- every registration answered 201 is in the database, as answered;
- one registration per address, and no more seats taken than there are;
- every mail exactly once, by Message-ID; an address gets one mail for its registration,
  plus one "your personal link" mail for each repeat that found it registered already (200):
  a request whose transaction committed but whose answer was lost in the kill.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from bench._harness import AppServer, Outcome, Request, fire
from ketenconf.events.models import Edition, EditionStatus
from ketenconf.mail.models import OutboxMessage, OutboxStatus
from ketenconf.registration.models import Registration, RegistrationStatus
from tests.factories import EditionFactory, OrganisationFactory
from tests.mail.test_worker import start_worker, wait_until

from .conftest import SMTPServer, database_url

PEOPLE = 300
SEATS = 120
KILL_AFTER = 80  # registrations in the database

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.timeout(120),
    pytest.mark.django_db(transaction=True),
]


def registration(n: int) -> Request:
    body = {"name": f"Deelnemer {n}", "email": f"deelnemer{n}@example.org", "organisation": "IND"}
    return Request(
        "POST",
        "/api/v1/editions/storing/registrations",
        json.dumps(body).encode(),
        {"Content-Type": "application/json"},
        kind=f"deelnemer{n}@example.org",
    )


def test_a_killed_app_server_loses_no_registration_and_no_mail_goes_twice(
    smtp_server: SMTPServer, tmp_path: Path
) -> None:
    OrganisationFactory(name="IND")
    edition: Edition = EditionFactory(
        slug="storing", status=EditionStatus.REGISTRATION_OPEN, capacity=SEATS
    )
    env = {
        **os.environ,
        "KETENCONF_DATABASE_URL": database_url(),
        "KETENCONF_DEBUG": "false",
        "KETENCONF_RATELIMIT": "off",
        "KETENCONF_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "ketenconf.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    server = AppServer(env, workers=2, threads=4, log=tmp_path / "server.log").start()
    outcomes: list[Outcome] = []
    rush = threading.Thread(
        target=fire,
        args=(server.port, 16, [registration(n) for n in range(PEOPLE)], "rush"),
        kwargs={"keep": outcomes, "retry": False},
    )
    rush.start()
    try:
        deadline = time.monotonic() + 30
        while Registration.objects.count() < KILL_AFTER:
            assert time.monotonic() < deadline, "the rush did not get going"
            time.sleep(0.01)
        server.kill_hard()
        killed_at = Registration.objects.count()
    finally:
        rush.join(timeout=60)
        server.kill_hard()
    assert KILL_AFTER <= killed_at < PEOPLE

    # Back up; every client without an answer sends its request again.
    unanswered = [o.request for o in outcomes if o.status is None]
    assert unanswered, "the kill came after the rush was over"
    again: list[Outcome] = []
    with AppServer(env, workers=2, threads=4, log=tmp_path / "server.log") as restarted:
        fire(restarted.port, 16, unanswered, "again", keep=again)
    answered = [o for o in outcomes if o.status is not None] + again
    assert sorted(o.request.kind for o in answered) == sorted(
        r.kind for r in map(registration, range(PEOPLE))
    )
    assert Counter(o.status for o in again) <= Counter({201: len(again), 200: len(again)})

    # Every 201 is in the database as it was answered.
    created = {o.request.kind: json.loads(o.body) for o in answered if o.status == 201}
    in_db = {
        r.email: {"id": r.pk, "status": r.status}
        for r in Registration.objects.filter(edition=edition)
    }
    for email, body in created.items():
        assert in_db[email] == {"id": body["id"], "status": body["status"]}
    # One registration per person. Each was answered 201 once, or, when the kill cut off the
    # answer after the commit, found again on the repeat (200): the same registration.
    assert len(in_db) == PEOPLE
    answers: dict[str, list[int | None]] = {}
    for outcome in answered:
        answers.setdefault(outcome.request.kind, []).append(outcome.status)
    assert {email: answers[email] for email in in_db} == {
        email: [200] if answers[email] == [200] else [201] for email in in_db
    }
    edition.refresh_from_db()
    seated = Registration.objects.filter(edition=edition, status=RegistrationStatus.REGISTERED)
    assert edition.seats_taken == seated.count() == SEATS

    # The worker sends the outbox, including mails whose task the kill lost.
    with (tmp_path / "worker.log").open("wb") as log:
        worker = start_worker(smtp_server, log)
        try:
            wait_until(
                lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists(),
                worker=worker,
                log=log,
                timeout=60,
                what="the outbox was sent",
            )
        finally:
            worker.terminate()
            worker.wait(timeout=10)
    outbox = list(OutboxMessage.objects.values_list("message_id", "to"))
    assert smtp_server.recorder.message_id_counts() == dict.fromkeys(
        (message_id for message_id, _ in outbox), 1
    )
    repeats = Counter(o.request.kind for o in answered if o.status == 200)
    assert Counter(to for _, to in outbox) == {email: 1 + repeats[email] for email in in_db}
