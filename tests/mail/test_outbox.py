"""The outbox end to end: enqueue in a transaction, deliver over real SMTP, retry, sweep."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any, cast

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ketenconf.events.models import Edition
from ketenconf.mail.models import OutboxMessage, OutboxStatus
from ketenconf.mail.services import (
    MAX_ATTEMPTS,
    DeliveryOutcome,
    SweepResult,
    mail_deliver,
    mail_enqueue,
    mail_enqueue_many,
    mail_sweep,
)
from tests.factories import EditionFactory
from tests.mail.conftest import SMTPServer

CONTEXT = {"name": "Jan O'Brien & Zn", "edition_title": "Ketenconferentie 2027"}
FOOTER_NL = (
    "Dit bericht is automatisch verstuurd door ketenconf; antwoorden hierop worden niet gelezen."
)
FOOTER_EN = "This message was sent automatically by ketenconf; replies to it are not read."


def enqueue(to: str = "deelnemer@example.org", language: str = "nl") -> OutboxMessage:
    with transaction.atomic():
        return mail_enqueue(to=to, template="mail/test_message", context=CONTEXT, language=language)


def deliveries_queued() -> list[list[int]]:
    return [
        task.args_kwargs["args"]
        for task in DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by(
            "enqueued_at"
        )
    ]


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_a_dutch_and_an_english_mail_over_smtp(
    smtp_server: SMTPServer, restore_signals: None
) -> None:
    edition = cast(Edition, EditionFactory())
    with transaction.atomic():
        dutch = mail_enqueue(
            to="jan@example.org",
            template="mail/test_message",
            context=CONTEXT,
            language="nl",
            edition=edition,
        )
        english = mail_enqueue(
            to="john@example.org",
            template="mail/test_message",
            context=CONTEXT,
            language="en",
            topic="tests.english",
        )

    call_command("worker", "--batch", verbosity=0)

    received = smtp_server.recorder.received()
    assert [m["To"] for m in received] == ["jan@example.org", "john@example.org"]
    nl, en = received
    assert nl["Subject"] == "Testbericht voor Ketenconferentie 2027"
    assert en["Subject"] == "Test message for Ketenconferentie 2027"
    assert nl["From"] == "Ketenconferentie <noreply@ketenconf.example>"
    assert (nl["Content-Language"], en["Content-Language"]) == ("nl", "en")
    assert nl["Auto-Submitted"] == "auto-generated"
    assert nl["Message-ID"] == dutch.message_id
    assert en["Message-ID"] == english.message_id
    assert dutch.message_id.endswith("@ketenconf.example>")
    assert dutch.message_id != english.message_id

    def part(message: object, subtype: str) -> str:
        body = message.get_body(preferencelist=(subtype,))  # type: ignore[attr-defined]
        return str(body.get_content()).replace("\r\n", "\n")

    assert part(nl, "plain") == (
        "Beste Jan O'Brien & Zn,\n\n"
        "Dit is een testbericht. Kunt u dit lezen, dan komt e-mail van ketenconf bij u aan.\n\n"
        f"-- \n{FOOTER_NL}\n"
    )
    assert part(en, "plain") == (
        "Dear Jan O'Brien & Zn,\n\n"
        "This is a test message. If you can read it, mail from ketenconf reaches you.\n\n"
        f"-- \n{FOOTER_EN}\n"
    )
    nl_html = part(nl, "html")
    assert nl_html.startswith('<!DOCTYPE html>\n<html lang="nl">\n')
    assert "<title>Testbericht voor Ketenconferentie 2027</title>" in nl_html
    assert "<p>Beste Jan O&#x27;Brien &amp; Zn,</p>" in nl_html
    assert FOOTER_NL in nl_html
    en_html = part(en, "html")
    assert en_html.startswith('<!DOCTYPE html>\n<html lang="en">\n')
    assert "<p>Dear Jan O&#x27;Brien &amp; Zn,</p>" in en_html

    rows = {row.to: row for row in OutboxMessage.objects.all()}
    assert {to: (r.status, r.attempts, r.last_error) for to, r in rows.items()} == {
        "jan@example.org": (OutboxStatus.SENT, 1, ""),
        "john@example.org": (OutboxStatus.SENT, 1, ""),
    }
    assert rows["jan@example.org"].sent_at is not None
    assert (rows["jan@example.org"].topic, rows["jan@example.org"].edition_id) == (
        "mail/test_message",
        edition.pk,
    )
    assert (rows["john@example.org"].topic, rows["john@example.org"].edition_id) == (
        "tests.english",
        None,
    )
    assert deliveries_queued() == []


@pytest.mark.django_db(transaction=True)
def test_a_mail_exists_only_if_the_transaction_that_causes_it_commits(
    smtp_server: SMTPServer, restore_signals: None
) -> None:
    class ChangeFailed(Exception):
        pass

    with pytest.raises(ChangeFailed), transaction.atomic():
        mail_enqueue(
            to="weg@example.org", template="mail/test_message", context=CONTEXT, language="nl"
        )
        raise ChangeFailed
    assert OutboxMessage.objects.count() == 0
    assert DBTaskResult.objects.count() == 0

    kept = enqueue(to="blijft@example.org")
    assert list(OutboxMessage.objects.values_list("to", "status")) == [
        ("blijft@example.org", OutboxStatus.PENDING)
    ]
    assert deliveries_queued() == [[kept.pk]]

    call_command("worker", "--batch", verbosity=0)
    assert [m["To"] for m in smtp_server.recorder.received()] == ["blijft@example.org"]


@pytest.mark.django_db
def test_an_unknown_language_is_refused_and_writes_nothing() -> None:
    with pytest.raises(ValueError, match=r"^Unknown mail language 'de'; expected one of nl, en\.$"):
        mail_enqueue(
            to="a@example.org", template="mail/test_message", context=CONTEXT, language="de"
        )
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_the_same_mail_at_once_send_it_once(
    smtp_server: SMTPServer,
) -> None:
    messages = [enqueue(to=f"race{n}@example.org") for n in range(5)]
    for message in messages:
        barrier = threading.Barrier(2)
        outcomes: list[DeliveryOutcome] = []

        def deliver(
            message_id: int = message.pk,
            barrier: threading.Barrier = barrier,
            outcomes: list[DeliveryOutcome] = outcomes,
        ) -> None:
            try:
                barrier.wait()
                outcomes.append(mail_deliver(message_id=message_id))
            finally:
                connection.close()

        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["sent", "skipped"]

    assert smtp_server.recorder.message_id_counts() == {m.message_id: 1 for m in messages}
    assert (
        list(OutboxMessage.objects.order_by("pk").values_list("status", "attempts"))
        == [(OutboxStatus.SENT, 1)] * 5
    )


@pytest.mark.django_db
def test_smtp_down_counts_attempts_and_retries_later_then_sends_once(
    smtp_server: SMTPServer, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue()
    smtp_server.stop()

    with django_capture_on_commit_callbacks(execute=True):
        assert mail_deliver(message_id=message.pk) == "retry"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        OutboxStatus.PENDING,
        1,
        "ConnectionRefusedError: [Errno 111] Connection refused",
    )
    retries = DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("enqueued_at")
    # The first task is the one mail_enqueue queued; the retry waits 30 seconds.
    assert [t.args_kwargs["args"] for t in retries] == [[message.pk], [message.pk]]
    assert message.claimed_at is not None
    delay = retries[1].run_after - message.claimed_at
    assert timedelta(seconds=30) <= delay < timedelta(seconds=35)
    assert DBTaskResult.objects.ready().count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert mail_deliver(message_id=message.pk) == "retry"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 2)
    latest = DBTaskResult.objects.filter(status=TaskResultStatus.READY).latest("enqueued_at")
    assert timedelta(seconds=60) <= latest.run_after - message.claimed_at < timedelta(seconds=65)

    smtp_server.start()
    assert mail_deliver(message_id=message.pk) == "sent"
    assert mail_deliver(message_id=message.pk) == "skipped"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 3, "")
    assert smtp_server.recorder.message_id_counts() == {message.message_id: 1}


@pytest.mark.django_db
def test_a_mail_is_given_up_after_the_last_attempt(smtp_server: SMTPServer) -> None:
    message = enqueue()
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)
    smtp_server.stop()

    assert mail_deliver(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        OutboxStatus.FAILED,
        MAX_ATTEMPTS,
        "ConnectionRefusedError: [Errno 111] Connection refused",
    )
    assert mail_deliver(message_id=message.pk) == "skipped"


@pytest.mark.django_db
def test_a_recipient_the_server_refuses_for_good_fails_at_once(smtp_server: SMTPServer) -> None:
    smtp_server.recorder.on_rcpt = lambda count, address: "550 5.1.1 No such user"
    message = enqueue(to="niemand@example.org")

    assert mail_deliver(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        OutboxStatus.FAILED,
        1,
        "SMTPRecipientsRefused: {'niemand@example.org': (550, b'5.1.1 No such user')}",
    )
    assert smtp_server.recorder.received() == []


@pytest.mark.django_db
def test_the_sweep_releases_stuck_sends_and_requeues_lost_tasks() -> None:
    stuck, busy, worn_out, lost = (enqueue(to=f"{n}@example.org") for n in range(4))
    # Each mail's task was written with it; here they are lost (a worker that died holding
    # them, a clean-up of the task table gone wrong).
    assert sorted(deliveries_queued()) == sorted([[m.pk] for m in (stuck, busy, worn_out, lost)])
    DBTaskResult.objects.all().delete()
    now = timezone.now()
    OutboxMessage.objects.filter(pk=stuck.pk).update(
        status=OutboxStatus.SENDING, attempts=1, claimed_at=now - timedelta(minutes=6)
    )
    OutboxMessage.objects.filter(pk=busy.pk).update(
        status=OutboxStatus.SENDING, attempts=1, claimed_at=now - timedelta(minutes=1)
    )
    OutboxMessage.objects.filter(pk=worn_out.pk).update(
        status=OutboxStatus.SENDING, attempts=MAX_ATTEMPTS, claimed_at=now - timedelta(minutes=6)
    )

    assert mail_sweep() == SweepResult(released=1, failed=1, enqueued=2)
    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert statuses == {
        stuck.pk: OutboxStatus.PENDING,
        busy.pk: OutboxStatus.SENDING,
        worn_out.pk: OutboxStatus.FAILED,
        lost.pk: OutboxStatus.PENDING,
    }
    stuck.refresh_from_db()
    assert stuck.last_error == (
        "The worker stopped while sending this mail; it may or may not have gone out "
        "(the same Message-ID is used again)."
    )
    assert sorted(deliveries_queued()) == sorted([[stuck.pk], [lost.pk]])

    assert mail_sweep() == SweepResult(released=0, failed=0, enqueued=0)
    assert mail_sweep(stuck_after=timedelta(0)) == SweepResult(released=1, failed=0, enqueued=1)
    assert sorted(deliveries_queued()) == sorted([[stuck.pk], [lost.pk], [busy.pk]])


@pytest.mark.django_db
def test_many_mails_in_one_insert_and_one_delivery_task_that_the_sweep_sees() -> None:
    with transaction.atomic():
        ids = mail_enqueue_many(
            recipients=[("jan@example.org", "nl"), ("john@example.org", "en")],
            template="mail/test_message",
            contexts={"nl": CONTEXT, "en": CONTEXT},
            topic="tests.many",
        )
    rows = {m.pk: m for m in OutboxMessage.objects.all()}
    assert [rows[i].to for i in ids] == ["jan@example.org", "john@example.org"]
    assert rows[ids[0]].subject == "Testbericht voor Ketenconferentie 2027"
    assert rows[ids[1]].subject == "Test message for Ketenconferentie 2027"
    assert "Jan O&#x27;Brien &amp; Zn" in rows[ids[0]].body_html
    assert len({rows[i].message_id for i in ids}) == 2
    assert deliveries_queued() == [[ids]]
    # The batch's task counts for the sweep, waiting or running: it enqueues nothing more.
    assert mail_sweep() == SweepResult(released=0, failed=0, enqueued=0)
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING)
    assert mail_sweep() == SweepResult(released=0, failed=0, enqueued=0)
    # Released as its worker died: the mails still pending get a task each.
    DBTaskResult.objects.update(status=TaskResultStatus.FAILED)
    assert mail_sweep() == SweepResult(released=0, failed=0, enqueued=2)
