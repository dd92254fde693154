"""``ketenconf import KIND FILE --edition SLUG``: participants, organisations or sessions from a
CSV or Excel file, as the import page does it, all rows or none.

Columns are guessed from their names; ``--map COLUMN=FIELD`` (the column by its name, its
letter or its number from 1) corrects or adds to the guess, ``--map COLUMN=`` leaves one out.
``--dry-run`` reports what would change and changes nothing. The operator at the command line
has every right (``--by USERNAME`` acts as that organiser instead). Exit status 1 when a row
has an error: then nothing is imported.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from ketenconf.accounts.models import Actor
from ketenconf.core.tenancy import edition_scope
from ketenconf.events.models import Edition
from ketenconf.imports import fields, services
from ketenconf.imports.models import ImportJob, ImportKind, ImportStatus
from ketenconf.imports.reading import column_letter


def _column(spec: str, headers: list[str]) -> int:
    for index, header in enumerate(headers):
        if header == spec or header.lower() == spec.lower():
            return index
    for index in range(len(headers)):
        if column_letter(index) == spec.upper():
            return index
    if spec.isdigit() and 1 <= int(spec) <= len(headers):
        return int(spec) - 1
    raise CommandError(f"There is no column {spec!r}; the columns are: {', '.join(headers)}.")


class Command(BaseCommand):
    help = "Import participants, organisations or sessions from a CSV or Excel file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file")
        parser.add_argument("--edition", required=True, help="the edition's slug")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=FIELD",
            help="which field a column holds (repeatable); COLUMN= leaves it out",
        )
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")
        parser.add_argument(
            "--notify", action="store_true", help="mail new participants their personal link"
        )
        parser.add_argument("--by", help="act as this organiser (username), with their rights")
        parser.add_argument("--language", choices=["nl", "en"], default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        with translation.override(options["language"]):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        edition = Edition.objects.filter(slug=options["edition"]).first()
        if edition is None:
            raise CommandError(f"There is no edition {options['edition']!r}.")
        by = None
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"There is no user {options['by']!r}.")
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        with edition_scope(edition):
            self._import(options, edition, path, content, by)

    def _import(
        self, options: dict[str, Any], edition: Edition, path: Path, content: bytes, by: Actor
    ) -> None:
        try:
            with transaction.atomic():
                job = services.import_job_create(
                    edition=edition,
                    kind=options["kind"],
                    filename=path.name,
                    content=content,
                    by=by,
                )
                mapping = {int(index): name for index, name in job.mapping.items()}
                known = {f.name for f in fields.FIELDS[job.kind]}
                for spec in options["map"]:
                    column, _sep, name = spec.partition("=")
                    index = _column(column.strip(), job.headers)
                    if name and name not in known:
                        raise CommandError(
                            f"Unknown field {name!r}; the fields are: {', '.join(sorted(known))}."
                        )
                    mapping[index] = name.strip()
                services.import_job_map(job=job, mapping=mapping, notify=options["notify"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self._describe_mapping(job)
        job = services.import_job_start(job=job, commit=not options["dry_run"], background=False)
        self._report(job)
        if job.status in (ImportStatus.REJECTED, ImportStatus.FAILED):
            raise CommandError(
                "Nothing was imported." if job.status == ImportStatus.REJECTED else job.error,
                returncode=1,
            )

    def _describe_mapping(self, job: ImportJob) -> None:
        if self.verbosity < 1:
            return
        for index, header in enumerate(job.headers):
            name = job.mapping.get(str(index), "")
            self.stderr.write(f"  {column_letter(index)} {header!r} → {name or '(left out)'}")

    def _report(self, job: ImportJob) -> None:
        result = job.result or {}
        counts = result.get("counts", {})
        verbs: dict[str, str] = {
            ImportStatus.DONE: "Imported",
            ImportStatus.CHECKED: "Dry run, nothing changed",
            ImportStatus.REJECTED: "Errors, nothing changed",
        }
        verb = verbs.get(job.status, job.status)
        extra = ""
        if "seats" in counts or "waitlisted" in counts:
            extra = (
                f" ({counts.get('seats', 0)} with a seat, {counts.get('waitlisted', 0)} waitlisted)"
            )
        self.stdout.write(
            f"{verb}: {counts.get('created', 0)} to create{extra}, "
            f"{counts.get('changed', 0)} to change, {counts.get('unchanged', 0)} unchanged, "
            f"{result.get('error_count', 0)} errors, of {job.row_count} rows."
        )
        for error in result.get("errors", []):
            where = f"row {error['row']}" + (
                f", column {error['column']}" if error["column"] else ""
            )
            self.stdout.write(f"  {where}: {error['message']}")
