"""Writes on the outbox: enqueue a mail, deliver it once, sweep up what a crash left behind.

How a mail travels::

    mail_enqueue()  -- in the caller's transaction: render, write a pending row and its
                       ``deliver_message`` task (django-tasks, DB backend): both are there
                       when the change commits, and neither when it rolls back
    mail_deliver()  -- in the worker: claim the row (pending -> sending, attempts + 1) with one
                       conditional UPDATE, send it over SMTP, mark it sent
    mail_sweep()    -- in the worker, every minute: rows left in "sending" by a killed worker
                       go back to pending; pending rows whose task was lost get a new one

The delivery guarantee, honestly: at least once, and exactly once except in one window.
Nothing is lost: a row leaves "pending"/"sending" only when the SMTP server has accepted the
mail (sent) or it has been given up on after ``MAX_ATTEMPTS`` or a permanent refusal (failed,
visible in the admin). A worker killed at any point before the SMTP server's "250" reply to
DATA leaves the row "sending"; the sweep returns it to pending and it is sent once. A worker
killed *after* the server accepted the mail but *before* the single UPDATE that marks it sent
has reached the database leaves a mail that went out in "sending"; the sweep cannot tell it
from one that did not, and it is sent a second time. SMTP has no two-phase commit, so this
window cannot be closed from our side (RFC 1047 describes the same window inside SMTP
itself); it is kept to the time of one reply parse and one autocommitted UPDATE (the
connection is closed only after that UPDATE), and every attempt carries the same Message-ID
header, so a receiving side can drop the copy.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.core.mail import DNS_NAME, EmailMultiAlternatives, get_connection
from django.db import DatabaseError, transaction
from django.db import connection as db_connection
from django.db.models import F
from django.template import Context, Engine
from django.utils import timezone, translation

from ketenconf.core import statements
from ketenconf.core.tenancy import with_scopes_disabled

from . import selectors
from .models import OutboxMessage, OutboxStatus

if TYPE_CHECKING:
    from ketenconf.events.models import Edition

logger = logging.getLogger(__name__)

#: Attempts before a mail is given up on (status failed).
MAX_ATTEMPTS = 10
#: Wait after the first failed attempt; doubled after every further one, up to RETRY_MAX_DELAY.
RETRY_BASE_DELAY = timedelta(seconds=30)
RETRY_MAX_DELAY = timedelta(hours=1)
#: A row "sending" for longer than this is taken to belong to a worker that died. It must be
#: well above the SMTP timeout below, or a slow but live send would be sent a second time.
STUCK_AFTER = timedelta(minutes=5)
#: Seconds an SMTP connection may hang before the attempt counts as failed.
SMTP_TIMEOUT = 30

DeliveryOutcome = Literal["sent", "retry", "failed", "skipped"]

_INTERRUPTED = (
    "The worker stopped while sending this mail; it may or may not have gone out "
    "(the same Message-ID is used again)."
)


def _render(name: str, context: Mapping[str, Any], *, autoescape: bool) -> str:
    """Render one template; plain-text parts are rendered without HTML escaping."""
    template = Engine.get_default().get_template(name)
    return template.render(Context(dict(context), autoescape=autoescape))


def _message_id_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    domain = address.rpartition("@")[2]
    return domain or str(DNS_NAME)


def mail_enqueue(
    *,
    to: str,
    template: str,
    context: Mapping[str, Any],
    language: str,
    edition: Edition | None = None,
    topic: str = "",
) -> OutboxMessage:
    """Render a mail in ``language`` and put it in the outbox; it is sent once the caller commits.

    ``template`` names three templates: ``<template>.subject.txt``, ``<template>.txt`` and
    ``<template>.html`` (extend ``mail/base.txt`` and ``mail/base.html``). Call this inside
    the transaction of the change that causes the mail: the row and its delivery task are
    written in it, so the mail exists if and only if the change does, and one commit does for
    all three. ``topic`` (default: the template name) says what the mail is about.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValueError(
            f"Unknown mail language {language!r}; expected one of "
            f"{', '.join(code for code, _ in settings.LANGUAGES)}."
        )
    with translation.override(language):
        subject = _render(f"{template}.subject.txt", context, autoescape=False)
        body_text = _render(f"{template}.txt", context, autoescape=False)
        body_html = _render(f"{template}.html", context, autoescape=True)
    # No savepoint: the caller's transaction is the unit, and a savepoint costs two round trips.
    with transaction.atomic(savepoint=False):
        message = OutboxMessage(
            to=to,
            from_email=settings.DEFAULT_FROM_EMAIL,
            # One line: a newline in a subject would be a header injection.
            subject=" ".join(subject.split())[:255],
            body_text=body_text.strip() + "\n",
            body_html=body_html.strip() + "\n",
            language=language,
            topic=topic or template,
            edition=edition,
            message_id=f"<{uuid.uuid4().hex}@{_message_id_domain()}>",
        )
        statements.insert(message)  # one per mail: see ketenconf.core.statements
        _enqueue_delivery(message.pk)
    return message


def mail_enqueue_many(
    *,
    recipients: Sequence[tuple[str, str]],
    template: str,
    contexts: Mapping[str, Mapping[str, Any]],
    edition: Edition | None = None,
    topic: str = "",
) -> list[int]:
    """The same mail to many people, each in their language: ``recipients`` are (address,
    language) pairs, ``contexts`` the context per language. Returns the outbox ids, in the
    order of ``recipients``.

    For a mail whose text is the same for everyone who reads that language (a message of the
    organisers): the templates are rendered once per language, the rows written in one INSERT
    and their delivery given to one task, so a batch costs the same few queries whatever its
    size. Call it inside the caller's transaction, as :func:`mail_enqueue`.
    """
    rendered: dict[str, tuple[str, str, str]] = {}
    for language in {language for _to, language in recipients}:
        if language not in dict(settings.LANGUAGES) or language not in contexts:
            raise ValueError(f"No mail language or context for {language!r}.")
        with translation.override(language):
            context = contexts[language]
            rendered[language] = (
                " ".join(_render(f"{template}.subject.txt", context, autoescape=False).split())[
                    :255
                ],
                _render(f"{template}.txt", context, autoescape=False).strip() + "\n",
                _render(f"{template}.html", context, autoescape=True).strip() + "\n",
            )
    if not recipients:
        return []
    domain = _message_id_domain()
    rows = [
        OutboxMessage(
            to=to,
            from_email=settings.DEFAULT_FROM_EMAIL,
            subject=rendered[language][0],
            body_text=rendered[language][1],
            body_html=rendered[language][2],
            language=language,
            topic=topic or template,
            edition=edition,
            message_id=f"<{uuid.uuid4().hex}@{domain}>",
        )
        for to, language in recipients
    ]
    with transaction.atomic(savepoint=False):
        created = OutboxMessage.objects.bulk_create(rows)
        ids = [row.pk for row in created]
        _enqueue_deliveries(ids)
    return ids


def _enqueue_deliveries(message_ids: list[int]) -> None:
    from .tasks import deliver_messages

    deliver_messages.enqueue(message_ids)


def _enqueue_delivery(message_id: int, run_after: datetime | None = None) -> None:
    from .tasks import deliver_message

    task = deliver_message if run_after is None else deliver_message.using(run_after=run_after)
    task.enqueue(message_id)


def _build_email(message: OutboxMessage, connection: Any) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_email,
        to=[message.to],
        connection=connection,
        headers={
            "Message-ID": message.message_id,
            "Content-Language": message.language,
            "Auto-Submitted": "auto-generated",
        },
    )
    email.attach_alternative(message.body_html, "text/html")
    return email


def _is_permanent(exc: Exception) -> bool:
    """A refusal that a retry will not change: the recipient or the content was rejected (5xx)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(
            500 <= code < 600 for code, _ in exc.recipients.values()
        )
    if isinstance(exc, smtplib.SMTPDataError):
        return 500 <= exc.smtp_code < 600
    return False


def retry_delay(*, attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    return min(RETRY_BASE_DELAY * 2 ** max(attempts - 1, 0), RETRY_MAX_DELAY)


def mail_deliver(*, message_id: int) -> DeliveryOutcome:
    """Send one outbox mail if it is still pending; called by the worker, outside a transaction.

    The claim is one conditional UPDATE (pending -> sending, attempts + 1), so of two workers
    given the same mail exactly one sends it; the other gets "skipped". Each step commits on
    its own, so a crash leaves the row "sending" for ``mail_sweep``.
    """
    claimed = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    message = OutboxMessage.objects.get(pk=message_id)
    connection = get_connection(fail_silently=False, timeout=SMTP_TIMEOUT)
    try:
        connection.open()
        if connection.send_messages([_build_email(message, connection)]) != 1:
            raise smtplib.SMTPException("The mail backend sent nothing.")
    except Exception as exc:
        _close_quietly(connection)
        return _record_failure(message=message, exc=exc)
    # The window: the server has accepted the mail; nothing may come between here and the
    # commit of this one autocommitted UPDATE (not even closing the connection).
    _mark_sent(message_id)
    _close_quietly(connection)
    return "sent"


#: Waits before writing "sent" again when the database dropped the connection: the mail is
#: out, and a row left "sending" would be sent a second time by the sweep.
MARK_SENT_WAITS = (0.5, 1, 2, 4, 8, 16, 30)


def _mark_sent(message_id: int) -> None:
    sent = OutboxMessage.objects.filter(pk=message_id).exclude(status=OutboxStatus.SENT)
    for wait in (*MARK_SENT_WAITS, None):
        try:
            sent.update(status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="")
            return
        except DatabaseError:
            if wait is None or db_connection.in_atomic_block:
                raise
            logger.warning("Recording mail %s as sent failed; again in %s s", message_id, wait)
            with contextlib.suppress(DatabaseError):
                db_connection.close()  # a new connection for the next try
            time.sleep(wait)


def _close_quietly(connection: Any) -> None:
    try:
        connection.close()
    except Exception:
        logger.warning("Closing the mail connection failed", exc_info=True)


def _record_failure(*, message: OutboxMessage, exc: Exception) -> DeliveryOutcome:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    ours = OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxStatus.SENDING, attempts=message.attempts
    )
    if _is_permanent(exc) or message.attempts >= MAX_ATTEMPTS:
        ours.update(status=OutboxStatus.FAILED, last_error=error)
        logger.error("Gave up on mail %s to %s: %s", message.pk, message.to, error)
        return "failed"
    run_after = timezone.now() + retry_delay(attempts=message.attempts)
    with transaction.atomic():
        if ours.update(status=OutboxStatus.PENDING, last_error=error):
            transaction.on_commit(
                partial(_enqueue_delivery, message.pk, run_after=run_after), robust=True
            )
    logger.warning(
        "Mail %s to %s failed (attempt %s), retrying after %s: %s",
        message.pk,
        message.to,
        message.attempts,
        run_after.isoformat(),
        error,
    )
    return "retry"


@dataclass(frozen=True)
class SweepResult:
    released: int
    failed: int
    enqueued: int


@with_scopes_disabled  # the outbox of every edition
def mail_sweep(*, stuck_after: timedelta = STUCK_AFTER) -> SweepResult:
    """Recover from crashes: release stuck sends and re-enqueue pending mails without a task.

    A row "sending" for longer than ``stuck_after`` belonged to a worker that died: it goes back
    to pending (or to failed once it has used ``MAX_ATTEMPTS``). It may already have gone out:
    see the module docstring for that window. Then every pending row that has no queued
    delivery task (its task died with the worker, or was deleted) gets a new one. A task too
    many is harmless: the claim lets only one of them send.
    ``stuck_after=timedelta(0)`` releases every send in flight: only for a start-up when no
    other worker runs.
    """
    cutoff = timezone.now() - stuck_after
    stuck = OutboxMessage.objects.filter(status=OutboxStatus.SENDING, claimed_at__lte=cutoff)
    failed = stuck.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=OutboxStatus.FAILED, last_error=_INTERRUPTED
    )
    released = stuck.update(status=OutboxStatus.PENDING, last_error=_INTERRUPTED)
    queued = selectors.outbox_ids_with_queued_delivery()
    enqueued = 0
    for message_id in selectors.pending_outbox_ids():
        if message_id not in queued:
            _enqueue_delivery(message_id)
            enqueued += 1
    result = SweepResult(released=released, failed=failed, enqueued=enqueued)
    if released or failed or enqueued:
        logger.warning("Outbox sweep: %s", result)
    return result


def mail_purge_edition(*, edition: Edition) -> int:
    """Strip addresses and contents from an edition's mails that are done with (sent or failed).

    Part of anonymising an edition: the mails held names and personal links. What stays is
    that a mail of a kind went out, and when.
    """
    return (
        OutboxMessage.objects.filter(edition=edition)
        .exclude(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING])
        .update(to="anonymised@invalid", subject="", body_text="", body_html="", last_error="")
    )


def mail_forget_recipient(*, edition: Edition, to: str) -> int:
    """Delete every mail of an edition to one address, sent or not: their data is to go."""
    deleted, _ = OutboxMessage.objects.filter(edition=edition, to__iexact=to).delete()
    return deleted
