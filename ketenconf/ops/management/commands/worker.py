"""``ketenconf worker``: run background tasks and keep the outbox moving, in one process.

It runs django-tasks-db's worker loop in the main thread and, at start-up and then every
``--sweep-every`` seconds in a second thread, sweeps the outbox (stuck sends back to pending,
lost tasks enqueued again) and runs the periodic jobs that are due (ketenconf.core.periodic). SIGTERM or SIGINT lets the task in hand finish, then stops; a
second signal stops at once (that task's mail is swept up later).

The second thread also records the worker's heartbeat every 10 s (``ketenconf doctor`` reads
it; a worker silent for two minutes has its running tasks released by the others' sweeps).
When the database drops the worker's connection, the worker does not exit: it reconnects
(while the database does not answer: again after 1 s, doubling up to 30 s) and goes on.

``--batch`` sweeps once, runs every task that is due, and exits: for tests and cron.
``--release-in-flight`` makes the start-up sweep release every send in flight at once instead
of after ``--stuck-after``: right for the single worker of an install, restarted after a crash,
and wrong when other workers run (their sends under way would go out twice).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from argparse import ArgumentParser, ArgumentTypeError
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connection
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import (
    Worker,
    valid_interval,
    validate_worker_id,
)

from ketenconf.audit.context import process_source_set
from ketenconf.core.periodic import periodic_run_due
from ketenconf.mail.services import SMTP_TIMEOUT, STUCK_AFTER, mail_sweep
from ketenconf.ops.services import (
    HEARTBEAT_EVERY,
    heartbeat_record,
    tasks_release_own,
    worker_name,
    worker_name_set,
)

logger = logging.getLogger("ketenconf.ops.worker")

#: Waits before reconnecting to a database that went away: doubled each time, up to the last.
RECONNECT_FIRST = 1.0
RECONNECT_MAX = 30.0


def positive_seconds(value: str) -> float:
    seconds = valid_interval(value)
    if seconds <= 0:
        raise ArgumentTypeError("Must be greater than zero")
    return seconds


def _drop_connection() -> None:
    """Forget this thread's database connection; the next query opens a new one."""
    # A connection the server dropped cannot always be closed cleanly.
    with contextlib.suppress(DatabaseError):
        connection.close()


class Sweeper(threading.Thread):
    """Until stopped: the heartbeat every ``beat`` seconds; every ``every`` seconds the outbox
    sweep and the periodic jobs due. A database that is away is tried again at the next beat."""

    def __init__(self, *, every: float, stuck_after: timedelta, beat: float) -> None:
        super().__init__(name="outbox-sweeper", daemon=True)
        self.every = every
        self.beat = min(beat, every)
        self.stuck_after = stuck_after
        self.stopping = threading.Event()

    def run(self) -> None:
        next_sweep = time.monotonic() + self.every
        try:
            while not self.stopping.wait(self.beat):
                close_old_connections()
                try:
                    heartbeat_record()  # for `ketenconf doctor`: this worker is alive
                except DatabaseError:
                    logger.warning("Heartbeat failed: the database is away", exc_info=True)
                    _drop_connection()
                    continue
                if time.monotonic() < next_sweep:
                    continue
                next_sweep = time.monotonic() + self.every
                try:
                    mail_sweep(stuck_after=self.stuck_after)
                except Exception:
                    logger.exception("Outbox sweep failed; trying again in %s s", self.every)
                try:
                    periodic_run_due()
                except Exception:
                    logger.exception("Periodic jobs failed; trying again in %s s", self.every)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)


class Command(BaseCommand):
    help = "Run the background worker: send the outbox and run other tasks; sweep stuck mail."
    # A worker serves no URLs: the URL and admin checks belong to `ketenconf check` at deploy.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Sweep once, run every task that is due, then exit.",
        )
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=1.0,
            help="Seconds to wait for new tasks when the queue is empty (default: %(default)s).",
        )
        parser.add_argument(
            "--sweep-every",
            type=positive_seconds,
            default=60.0,
            help="Seconds between outbox sweeps (default: %(default)s).",
        )
        parser.add_argument(
            "--stuck-after",
            type=valid_interval,
            default=STUCK_AFTER.total_seconds(),
            help=(
                "Seconds after which a mail still 'sending' is taken to belong to a dead worker "
                "(default: %(default)s); more than the SMTP timeout."
            ),
        )
        parser.add_argument(
            "--release-in-flight",
            action="store_true",
            help=(
                "At start-up, take every mail still 'sending' to belong to a dead worker. Only "
                "when no other worker runs, for example the one worker of a small install."
            ),
        )
        parser.add_argument(
            "--queue-name",
            default=DEFAULT_TASK_QUEUE_NAME,
            help="Queues to run, separated by commas; '*' for all (default: %(default)s).",
        )
        parser.add_argument(
            "--worker-id",
            type=validate_worker_id,
            default=None,
            help="A name unique across the running workers (default: random).",
        )
        parser.add_argument(
            "--no-startup-delay",
            action="store_false",
            dest="startup_delay",
            help="Start at once instead of after a random delay of up to a second.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(options["verbosity"], logging.DEBUG)
        for name in ("django_tasks", "django_tasks_db", "ketenconf.mail"):
            logging.getLogger(name).setLevel(level)

        batch: bool = options["batch"]
        stuck_after = timedelta(seconds=options["stuck_after"])
        if stuck_after.total_seconds() <= SMTP_TIMEOUT:
            raise CommandError(
                f"--stuck-after must be more than the SMTP timeout ({SMTP_TIMEOUT} s), or a slow "
                "send that is still under way would be sent a second time."
            )
        name = options["worker_id"] or worker_name()
        worker_name_set(name)
        process_source_set("worker", name)  # the audit trail's who, in both threads
        start_up_through_outages(
            stuck_after=timedelta(0) if options["release_in_flight"] else stuck_after
        )

        worker = Worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=options["startup_delay"] and not batch,
            max_tasks=None,
            worker_id=name,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        sweeper = None
        if not batch:
            sweeper = Sweeper(
                every=options["sweep_every"],
                stuck_after=stuck_after,
                beat=HEARTBEAT_EVERY.total_seconds(),
            )
            sweeper.start()
        try:
            run_through_outages(worker)
        finally:
            if sweeper is not None:
                sweeper.stop()


def start_up_through_outages(*, stuck_after: timedelta) -> None:
    """The start-up sweep, the periodic jobs due and the first heartbeat; when the database
    is away or drops the connection meanwhile, reconnect (with backoff) and start again.

    Without this a worker started during an outage, or restarted into one, exited before its
    loop that rides outages out. Each step may run twice: the sweep and the jobs are made to.
    """
    while True:
        try:
            mail_sweep(stuck_after=stuck_after)
            periodic_run_due()
            heartbeat_record()
            return
        except DatabaseError as error:
            logger.warning("The database is away at start-up (%s); reconnecting", _said(error))
            _reconnect()


def run_through_outages(worker: Worker) -> None:
    """Run the worker's loop; when the database drops it, reconnect and run it again.

    The task in hand when the connection went cannot have recorded its end: it is released
    (failed, its job failed with the reason) once the database is back. A mail's task needs
    nothing more: the outbox sweep sends the mail (ketenconf.mail.services).
    """
    while True:
        try:
            worker.run()
            return
        except DatabaseError as error:
            if not worker.running:
                return
            logger.warning("The database connection was lost (%s); reconnecting", _said(error))
            worker.running_task = False
            _reconnect()
            _release_own_tasks()


def _said(error: DatabaseError) -> str:
    """The first line of the driver's message, for one log line."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _reconnect() -> None:
    """A new connection at once; while the database does not answer, wait 1 s, 2 s, ... 30 s."""
    wait = RECONNECT_FIRST
    while True:
        _drop_connection()
        try:
            connection.ensure_connection()
            return
        except DatabaseError as error:
            logger.warning("The database does not answer (%s); again in %.0f s", error, wait)
            time.sleep(wait)
            wait = min(wait * 2, RECONNECT_MAX)


def _release_own_tasks() -> None:
    """What this worker was running when the connection went: failed, with the reason."""
    try:
        tasks_release_own(worker=worker_name())
    except DatabaseError:
        _drop_connection()  # still away: the next loop finds out and waits again
