"""The organisers' spreadsheets: the programme, the participants and the workshop assignment of
an edition, as CSV and as Excel. One small class per table and format, registered in
:mod:`.registry` like the public schedule formats.

The participants' list is the one the back-office exports (:mod:`ketenconf.registration.exports`):
the same columns, the same protection against formulas in typed names.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ketenconf.allocation.models import Assignment, AssignmentRun
from ketenconf.allocation.selectors import published_run
from ketenconf.events.models import Edition
from ketenconf.programme.models import Host, Session
from ketenconf.registration import exports as registration_exports
from ketenconf.registration.models import Registration

from .base import local

Cell = str | int | float | datetime | None


class NothingToExport(Exception):
    """The edition has nothing of this kind to export yet; ``str()`` says what, for the user."""


@dataclass(frozen=True)
class Table:
    sheet: str | Promise
    headers: Sequence[str | Promise]
    rows: Iterable[Sequence[Cell]]


def _spreadsheet_safe(text: str) -> str:
    """A typed title such as ``=HYPERLINK(...)`` stays text in a spreadsheet (CSV injection)."""
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def _naive(moment: datetime) -> datetime:
    """On the Dutch clock, without an offset: spreadsheets have no time zones."""
    return local(moment).replace(tzinfo=None)


def _yes_no(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


def csv_bytes(table: Table, *, excel: bool = False) -> bytes:
    """Comma-separated UTF-8 for other programs; with ``excel``, what Excel set to Dutch opens
    as columns with every accent intact: semicolons, decimal commas and a byte-order mark."""

    def text(value: Cell) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, str):
            return _spreadsheet_safe(value)
        if excel and isinstance(value, float):
            return str(value).replace(".", ",")
        return str(value)

    out = io.StringIO()
    if excel:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow([capfirst(str(header)) for header in table.headers])
    for row in table.rows:
        writer.writerow([text(value) for value in row])
    return out.getvalue().encode("utf-8")


def excel_csv_bytes(table: Table) -> bytes:
    return csv_bytes(table, excel=True)


def xlsx_bytes(table: Table) -> bytes:
    return workbook_bytes([table])


def workbook_bytes(tables: Sequence[Table]) -> bytes:
    """An Excel workbook with one sheet per table (sheet names must differ)."""
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(title=capfirst(str(table.sheet))[:31])
        bold = Font(bold=True)
        headers = []
        for header in table.headers:
            cell = WriteOnlyCell(sheet, value=capfirst(str(header)))
            cell.font = bold
            headers.append(cell)
        # The header row stays in view while scrolling (set before the first row: a write-only
        # sheet writes its view then), and every column can be filtered.
        sheet.freeze_panes = "A2"
        sheet.append(headers)
        count = 1
        for row in table.rows:
            count += 1
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=None)
                if isinstance(value, str):
                    # Set as text explicitly: openpyxl would take "=..." for a formula.
                    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    cell.data_type = "s"
                else:
                    cell.value = value
                    if isinstance(value, datetime):
                        cell.number_format = "yyyy-mm-dd hh:mm"
                cells.append(cell)
            sheet.append(cells)
        if table.headers:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.headers))}{count}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


FORMATS = {
    "csv": ("text/csv; charset=utf-8", csv_bytes),
    "excel.csv": ("text/csv; charset=utf-8", excel_csv_bytes),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx_bytes),
}


class TableExporter:
    """One table of an edition in one format; ``identifier`` is e.g. ``programme.xlsx``."""

    kind: ClassVar[str]  # programme, participants, assignments
    format: ClassVar[str]  # xlsx, excel.csv (CSV for Excel), csv
    verbose_name: ClassVar[str | Promise]
    #: True when the table is of one assignment run (the published one unless another is given).
    of_a_run: ClassVar[bool] = False

    @property
    def identifier(self) -> str:
        return f"{self.kind}.{self.format}"

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][0]

    def filename(self, edition: Edition, *, run: AssignmentRun | None = None) -> str:
        suffix = f"-run-{run.number or run.pk}" if run is not None else ""
        return f"{edition.slug}-{self.kind}{suffix}.{self.format}"

    def render(self, edition: Edition, *, run: AssignmentRun | None = None) -> bytes:
        return FORMATS[self.format][1](self.table(edition, run=run))

    def table(self, edition: Edition, *, run: AssignmentRun | None = None) -> Table:
        raise NotImplementedError


# The programme ------------------------------------------------------------------------------


def _hosts(session: Session) -> str:
    return "; ".join(
        f"{host.name} ({host.organisation.name})" if host.organisation else host.name
        for host in session.topic.hosts.all()
    )


def _programme_rows(edition: Edition) -> Iterator[list[Cell]]:
    hosts = Prefetch("topic__hosts", queryset=Host.objects.select_related("organisation"))
    sessions = (
        Session.objects.filter(edition=edition)
        .select_related("topic", "room", "block")
        .prefetch_related(hosts)
        .order_by("block__start", "-room__capacity", "room__name", "pk")
    )
    for session in sessions:
        block, topic, room = session.block, session.topic, session.room
        yield [
            session.pk,
            _naive(block.start),
            _naive(block.end),
            str(block),
            str(block.get_kind_display()),
            room.name,
            session.effective_capacity,
            _yes_no(room.step_free),
            topic.title,
            str(topic.get_kind_display()),
            topic.theme,
            topic.language,
            _hosts(session),
        ]


class ProgrammeTable(TableExporter):
    kind = "programme"

    def table(self, edition: Edition, *, run: AssignmentRun | None = None) -> Table:
        return Table(
            sheet=_("programme"),
            headers=[
                _("session number"),
                _("start"),
                _("end"),
                _("block"),
                _("kind of block"),
                _("room"),
                _("capacity"),
                _("step-free access"),
                _("title"),
                _("kind"),
                _("theme"),
                _("language"),
                _("hosts"),
            ],
            rows=_programme_rows(edition),
        )


# The participants: the back-office's own export ----------------------------------------------


class ParticipantsTable(TableExporter):
    kind = "participants"

    def render(self, edition: Edition, *, run: AssignmentRun | None = None) -> bytes:
        registrations = registration_exports.registrations_with_position(
            Registration.objects.filter(edition=edition).order_by("created_at", "pk")
        )
        exporter = registration_exports.EXPORTERS[self.format]
        return exporter.render(registrations.iterator(chunk_size=500))


# The workshop assignment --------------------------------------------------------------------


def assignment_run_for_export(*, edition: Edition, run: AssignmentRun | None) -> AssignmentRun:
    """The run to export: the one given, or the published one. Raises ``NothingToExport``."""
    if run is not None:
        if run.edition_id != edition.pk:  # pragma: no cover - callers look runs up by edition
            raise NothingToExport(gettext("That run is not of this edition."))
        if not run.is_finished or run.result is None:
            raise NothingToExport(gettext("This run has no seats: it has not finished well."))
        return run
    published = published_run(edition=edition)
    if published is None:
        raise NothingToExport(
            gettext("No assignment of %(edition)s is published yet; choose a run.")
            % {"edition": edition.title}
        )
    return published


def _assignment_rows(run: AssignmentRun) -> Iterator[list[Cell]]:
    rows = (
        Assignment.objects.filter(run=run)
        .select_related("registration__organisation", "block", "session__topic", "session__room")
        .order_by("registration__name", "registration_id", "block__start")
    )
    not_chosen = gettext("not chosen")
    for row in rows.iterator(chunk_size=1000):
        registration = row.registration
        yield [
            registration.pk,
            registration.name,
            registration.email,
            registration.organisation.name,
            str(row.block),
            _naive(row.block.start),
            row.session.topic.title,
            row.session.room.name,
            row.rank if row.rank is not None else not_chosen,
        ]


class AssignmentsTable(TableExporter):
    kind = "assignments"
    of_a_run = True

    def filename(self, edition: Edition, *, run: AssignmentRun | None = None) -> str:
        chosen = assignment_run_for_export(edition=edition, run=run)
        return f"{edition.slug}-{self.kind}-run-{chosen.number or chosen.pk}.{self.format}"

    def table(self, edition: Edition, *, run: AssignmentRun | None = None) -> Table:
        chosen = assignment_run_for_export(edition=edition, run=run)
        return Table(
            sheet=_("assignment"),
            headers=[
                _("participant number"),
                _("name"),
                _("email address"),
                _("organisation"),
                _("round"),
                _("start"),
                _("session"),
                _("room"),
                _("rank of the choice"),
            ],
            rows=_assignment_rows(chosen),
        )


class ProgrammeExcelCsv(ProgrammeTable):
    format = "excel.csv"
    verbose_name = _("Programme (CSV for Excel)")


class ProgrammeCsv(ProgrammeTable):
    format = "csv"
    verbose_name = _("Programme (CSV)")


class ProgrammeXlsx(ProgrammeTable):
    format = "xlsx"
    verbose_name = _("Programme (Excel)")


class ParticipantsExcelCsv(ParticipantsTable):
    format = "excel.csv"
    verbose_name = _("Participants (CSV for Excel)")


class ParticipantsCsv(ParticipantsTable):
    format = "csv"
    verbose_name = _("Participants (CSV)")


class ParticipantsXlsx(ParticipantsTable):
    format = "xlsx"
    verbose_name = _("Participants (Excel)")


class AssignmentsExcelCsv(AssignmentsTable):
    format = "excel.csv"
    verbose_name = pgettext_lazy("workshop seats", "Assignment (CSV for Excel)")


class AssignmentsCsv(AssignmentsTable):
    format = "csv"
    verbose_name = pgettext_lazy("workshop seats", "Assignment (CSV)")


class AssignmentsXlsx(AssignmentsTable):
    format = "xlsx"
    verbose_name = pgettext_lazy("workshop seats", "Assignment (Excel)")
