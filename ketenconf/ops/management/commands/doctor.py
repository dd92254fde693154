"""``ketenconf doctor``: is this installation fit to run a conference? Says what to fix.

Checks the configuration (secret key, debug, allowed hosts, base URL, mail URL), the
database (it answers, every migration applied), the cache (a value set is read back), the
mail server (connect and greet, send nothing) and the worker (a heartbeat in the last
``--heartbeat-age`` seconds; no mail waiting longer than ``--outbox-age`` minutes).
``--send-test ADDRESS`` also puts a test mail in the outbox and waits until the worker has
sent it. Exits 1 when any check fails; warnings alone exit 0.
"""

from __future__ import annotations

import json
import time
from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.core.validators import validate_email
from django.db import transaction

from ketenconf.ops import checks
from ketenconf.ops.checks import Check

SYMBOL = {"ok": "ok  ", "warning": "warn", "error": "FAIL"}


class Command(BaseCommand):
    help = "Check configuration, database, cache, mail server and worker; say what to fix."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--send-test",
            metavar="ADDRESS",
            help="Also send a test mail to ADDRESS through the outbox and the worker.",
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=60.0,
            help="Seconds to wait for the worker to send the test mail (default: %(default)s).",
        )
        parser.add_argument(
            "--heartbeat-age",
            type=float,
            default=45.0,
            help="A worker seen longer ago than this many seconds counts as gone "
            "(default: %(default)s; a worker beats every 10 s).",
        )
        parser.add_argument(
            "--outbox-age",
            type=float,
            default=15.0,
            help="Mails waiting longer than this many minutes are a problem (default: %(default)s).",
        )
        parser.add_argument("--json", action="store_true", help="Print the checks as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        results: list[Check] = []
        results += checks.check_configuration()
        database = checks.check_database()
        results.append(database)
        if database.ok:
            results.append(checks.check_migrations())
        results.append(checks.check_cache())
        results.append(checks.check_smtp())
        if database.ok:
            results.append(checks.check_worker(max_age=timedelta(seconds=options["heartbeat_age"])))
            results.append(checks.check_outbox(older_than=timedelta(minutes=options["outbox_age"])))
        address = options["send_test"]
        if address:
            results.append(self._send_test(address, wait=options["wait"], database_ok=database.ok))

        failed = [check for check in results if check.level == "error"]
        if options["json"]:
            self.stdout.write(json.dumps([check.to_dict() for check in results], indent=2))
        else:
            self._print(results)
        if failed:
            # SystemExit rather than CommandError: the report above says it all, no traceback line.
            raise SystemExit(1)

    def _print(self, results: list[Check]) -> None:
        width = max(len(check.name) for check in results)
        for check in results:
            style = {
                "ok": self.style.SUCCESS,
                "warning": self.style.WARNING,
                "error": self.style.ERROR,
            }[check.level]
            self.stdout.write(f"{style(SYMBOL[check.level])} {check.name:<{width}}  {check.detail}")
            if check.fix and check.level != "ok":
                self.stdout.write(f"     {'':<{width}}  -> {check.fix}")
        errors = sum(check.level == "error" for check in results)
        warnings = sum(check.level == "warning" for check in results)
        if errors:
            self.stdout.write(self.style.ERROR(f"\n{errors} problems, {warnings} warnings."))
        else:
            self.stdout.write(self.style.SUCCESS(f"\nNo problems; {warnings} warnings."))

    def _send_test(self, address: str, *, wait: float, database_ok: bool) -> Check:
        try:
            validate_email(address)
        except ValidationError:
            return Check("test mail", "error", f"{address!r} is not an email address", "")
        if not database_ok:
            return Check("test mail", "error", "not sent: the database is unreachable", "")
        from ketenconf.mail.models import OutboxMessage, OutboxStatus
        from ketenconf.mail.services import mail_enqueue

        with transaction.atomic():
            message = mail_enqueue(
                to=address,
                template="mail/test_message",
                context={"name": address, "edition_title": "ketenconf doctor"},
                language=settings.LANGUAGE_CODE,
                topic="ops/doctor",
            )
        deadline = time.monotonic() + wait
        status: str = OutboxStatus.PENDING
        error = ""
        while time.monotonic() < deadline:
            status, error = OutboxMessage.objects.values_list("status", "last_error").get(
                pk=message.pk
            )
            if status in {OutboxStatus.SENT, OutboxStatus.FAILED}:
                break
            time.sleep(0.5)
        if status == OutboxStatus.SENT:
            return Check("test mail", "ok", f"sent to {address} ({message.message_id})")
        if status == OutboxStatus.FAILED:
            return Check(
                "test mail",
                "error",
                f"the mail server refused it: {error}",
                "Read the mail server's answer above; check the sender KETENCONF_FROM_EMAIL.",
            )
        return Check(
            "test mail",
            "error",
            f"still {status} after {wait:.0f} s (it stays in the outbox and goes out later)",
            "Is `ketenconf worker` running? See the worker check above.",
        )
