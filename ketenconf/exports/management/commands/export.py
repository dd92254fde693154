"""``ketenconf export KIND --edition SLUG``: an edition's data as a file, as on the pages.

Kinds: ``programme``, ``participants`` and ``assignments`` (``--format csv|xlsx``; the
assignment of the published run, or of ``--run N``), and ``schedule`` (the public programme,
``--format ics|xml|json``). Written to ``-o FILE``, or to standard output.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ketenconf.allocation.models import AssignmentRun
from ketenconf.core.tenancy import edition_scope
from ketenconf.events.models import Edition
from ketenconf.exports.registry import exporter_get, table_exporter_get
from ketenconf.exports.tables import NothingToExport

SCHEDULE_FORMATS = {"ics": "schedule.ics", "xml": "schedule.xml", "json": "schedule.json"}
TABLE_KINDS = ("programme", "participants", "assignments")


class Command(BaseCommand):
    help = "Export an edition's programme, participants, assignment or public schedule to a file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=[*TABLE_KINDS, "schedule"])
        parser.add_argument("--edition", required=True, help="the edition's slug")
        parser.add_argument(
            "--format",
            choices=["csv", "excel.csv", "xlsx", "ics", "xml", "json"],
            help="xlsx (default), excel.csv (semicolons and a BOM, for Excel) or csv for "
            "tables; ics (default), xml or json for the schedule",
        )
        parser.add_argument(
            "--run",
            type=int,
            help="assignments: this run (its number in the edition) instead of the published one",
        )
        parser.add_argument("--language", choices=["nl", "en"], default="nl")
        parser.add_argument("-o", "--output", help="the file to write; standard output without")

    def handle(self, *args: Any, **options: Any) -> None:
        edition = Edition.objects.filter(slug=options["edition"]).first()
        if edition is None:
            raise CommandError(f"There is no edition {options['edition']!r}.")
        kind = options["kind"]
        with translation.override(options["language"]), edition_scope(edition):
            content = self._render(edition, kind, options)
        if isinstance(content, str):
            content = content.encode()
        if options["output"]:
            try:
                Path(options["output"]).write_bytes(content)
            except OSError as error:
                raise CommandError(
                    f"Cannot write {options['output']}: {error.strerror}."
                ) from error
            if options["verbosity"] > 0:
                self.stderr.write(f"Wrote {len(content)} bytes to {options['output']}.")
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()

    def _render(self, edition: Edition, kind: str, options: dict[str, Any]) -> bytes | str:
        if kind == "schedule":
            wanted = options["format"] or "ics"
            if wanted not in SCHEDULE_FORMATS:
                raise CommandError("The schedule is exported as ics, xml or json.")
            exporter = exporter_get(SCHEDULE_FORMATS[wanted])
            assert exporter is not None
            return exporter.render(edition)
        wanted = options["format"] or "xlsx"
        table = table_exporter_get(f"{kind}.{wanted}")
        if table is None:
            raise CommandError(f"{kind} is exported as xlsx, excel.csv or csv.")
        run = None
        if options["run"] is not None:
            run = AssignmentRun.objects.filter(edition=edition, number=options["run"]).first()
            if run is None:
                raise CommandError(f"Edition {edition.slug} has no run {options['run']}.")
        try:
            return table.render(edition, run=run)
        except NothingToExport as nothing:
            raise CommandError(str(nothing)) from nothing
