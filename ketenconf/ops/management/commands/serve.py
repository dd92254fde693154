"""``ketenconf serve``: the production app server, granian (see ``ketenconf.ops.app_server``).

The process becomes granian (exec), so systemd or a container runtime signals it directly:
SIGTERM stops it gracefully (requests in hand are finished), SIGHUP replaces the workers with
fresh ones that load the code anew. Options after ``--`` go to granian, e.g. ``ketenconf
serve -- --log-level warning``; KETENCONF_BIND, KETENCONF_WEB_WORKERS and the other variables
of ``ketenconf.ops.app_server`` set the rest. Run ``ketenconf worker`` beside it: the app
server sends no mail itself.
"""

from __future__ import annotations

import os
import sys
from argparse import REMAINDER, ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ketenconf.ops.app_server import ServerConfigError, server_command


class Command(BaseCommand):
    help = "Serve the site with granian (production); configured by KETENCONF_* variables."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("server_args", nargs=REMAINDER, help="Extra granian options, after --.")

    def handle(self, *args: Any, **options: Any) -> None:
        extra = [a for a in options["server_args"] if a != "--"]
        try:
            command = server_command(os.environ, *extra)
        except ServerConfigError as error:
            raise CommandError(str(error)) from error
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenconf.settings")
        # A production server logs its requests unless told otherwise.
        os.environ.setdefault("KETENCONF_ACCESS_LOG", "-")
        sys.stdout.flush()
        os.execv(command[0], command)  # noqa: S606 - the whole point: become granian
