"""``ketenconf serve``: the production app server, gunicorn with ketenconf/gunicorn_conf.py.

The process becomes gunicorn (exec), so systemd or a container runtime signals it directly:
SIGTERM stops it gracefully, SIGHUP reloads the workers. Options after ``--`` go to
gunicorn, e.g. ``ketenconf serve -- --workers 3``; the environment variables read by
gunicorn_conf.py (KETENCONF_BIND, KETENCONF_WEB_WORKERS, ...) set the rest. Run
``ketenconf worker`` beside it: the app server sends no mail itself.
"""

from __future__ import annotations

import os
import shutil
import sys
from argparse import REMAINDER, ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError


def gunicorn_command(*extra: str) -> list[str]:
    executable = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which(
        "gunicorn"
    )
    if executable is None:
        raise CommandError("gunicorn is not installed: pip install -r requirements/base.txt")
    return [executable, "--config", "python:ketenconf.gunicorn_conf", *extra, "ketenconf.wsgi"]


class Command(BaseCommand):
    help = "Serve the site with gunicorn (production); configured by KETENCONF_* variables."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "gunicorn_args", nargs=REMAINDER, help="Extra gunicorn options, after --."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        extra = [a for a in options["gunicorn_args"] if a != "--"]
        command = gunicorn_command(*extra)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenconf.settings")
        sys.stdout.flush()
        os.execv(command[0], command)  # noqa: S606 - the whole point: become gunicorn
