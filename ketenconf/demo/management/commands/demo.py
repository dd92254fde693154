"""``ketenconf demo``: load the demo editions and print how to log in."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from ketenconf.demo.load import demo_load

ORDER = (
    "organisations",
    "series",
    "partners",
    "venues",
    "editions",
    "rooms",
    "blocks",
    "topics",
    "hosts",
    "sessions",
    "registrations",
    "users",
)


class Command(BaseCommand):
    help = (
        "Load the demo: organisations of the migration chain, the Ketenconferentie 2018 and "
        "the congress Van Migratie tot Participatie 2024 with their programme, the upcoming "
        "Ketenconferentie 2027 open for registration with synthetic participants, and demo "
        "logins. Safe to run again: it only adds what is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port",
            default=os.environ.get("KETENCONF_PORT") or os.environ.get("PORT") or "8000",
            help="Port of the server, for the admin URL printed at the end (default 8000).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_load()
        if summary.changed:
            self.stdout.write(self.style.SUCCESS("Demo loaded. Created:"))
        else:
            self.stdout.write("The demo was already loaded; nothing changed.")
        for label in ORDER:
            created, existing = summary.created[label], summary.existing[label]
            if created or existing:
                line = f"  {label:<14}{created:>4} created"
                self.stdout.write(line + (f", {existing} already there" if existing else ""))
        self.stdout.write("")
        self.stdout.write(f"Log in at http://127.0.0.1:{options['port']}/organise/")
        for login in summary.logins:
            if login.is_superuser:
                who = "superuser: everything"
            else:
                who = "; ".join(login.roles) or "no role"
                if login.organisation:
                    who = f"staff of {login.organisation}: {who}"
            if login.password_works:
                shown = f"password {summary.password}"
            else:
                shown = "password changed since the demo created it"
            self.stdout.write(f"  {login.username:<12} {shown}  ({who})")
        if settings.REQUIRE_2FA:
            self.stdout.write(
                "Each login sets up a second factor (an authenticator app or a security key) "
                "at its first sign-in (KETENCONF_REQUIRE_2FA is on)."
            )
        else:
            self.stdout.write(
                "Two-factor sign-in is off here (KETENCONF_REQUIRE_2FA=false): these logins "
                "need a password only. Leave it on outside a demo."
            )
