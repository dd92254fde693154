"""What organisers read of registrations: the list with waiting-list positions, counts by
organisation, and the exports of that list (one small class per format).

Reads only; every change goes through :mod:`ketenconf.registration.services`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ketenconf.events.models import OrganisationKind

from .models import ParticipantLanguage, Registration, RegistrationStatus


def registrations_with_position(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """The rows with their edition and organisation, and ``position`` on the waiting list
    (1 is next; ``None`` off it), counted over the whole edition whatever the filter."""
    ahead = (
        Registration.objects.filter(
            edition_id=OuterRef("edition_id"), status=RegistrationStatus.WAITLISTED
        )
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("edition_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.select_related("edition", "organisation").annotate(
        position=Case(
            When(
                status=RegistrationStatus.WAITLISTED,
                waitlisted_at__isnull=False,
                then=Coalesce(Subquery(ahead, output_field=IntegerField()), 0) + 1,
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


@dataclass(frozen=True)
class CountRow:
    label: str
    registered: int
    waitlisted: int
    total: int


def _count_rows(queryset: QuerySet[Registration], field: str) -> list[dict[str, Any]]:
    return list(
        queryset.order_by()
        .values(field)
        .annotate(
            registered=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
            waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
            total=Count("pk"),
        )
        .order_by("-total", field)
    )


def registration_counts(*, queryset: QuerySet[Registration]) -> dict[str, list[CountRow]]:
    """The rows of ``queryset`` counted by organisation kind and by organisation, largest first."""
    kinds = dict(OrganisationKind.choices)
    plain = Registration.objects.filter(pk__in=queryset.values("pk"))
    return {
        "by_kind": [
            CountRow(
                str(kinds.get(row["organisation__kind"], row["organisation__kind"])),
                row["registered"],
                row["waitlisted"],
                row["total"],
            )
            for row in _count_rows(plain, "organisation__kind")
        ],
        "by_organisation": [
            CountRow(row["organisation__name"], row["registered"], row["waitlisted"], row["total"])
            for row in _count_rows(plain, "organisation__name")
        ],
    }


def _local(value: datetime | None) -> datetime | None:
    return (
        timezone.localtime(value).replace(tzinfo=None, microsecond=0) if value is not None else None
    )


def _yes_no(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy string: translated when the file is written
    value: Callable[[Registration], str | int | datetime | None]


def _field_header(name: str) -> Any:
    return getattr(Registration._meta.get_field(name), "verbose_name", name)


COLUMNS: tuple[Column, ...] = (
    Column(_("number"), lambda r: r.pk),
    Column(_("edition"), lambda r: r.edition.title),
    Column(_field_header("name"), lambda r: r.name),
    Column(_field_header("email"), lambda r: r.email),
    Column(_field_header("organisation"), lambda r: r.organisation.name),
    Column(
        _("organisation kind"),
        lambda r: str(dict(OrganisationKind.choices).get(r.organisation.kind, r.organisation.kind)),
    ),
    Column(_field_header("job_title"), lambda r: r.job_title),
    Column(_field_header("status"), lambda r: str(r.get_status_display())),
    Column(_("place on the waiting list"), lambda r: getattr(r, "position", None)),
    Column(_field_header("needs_step_free"), lambda r: _yes_no(r.needs_step_free)),
    Column(_field_header("networking_consent"), lambda r: _yes_no(r.networking_consent)),
    Column(
        _field_header("language"),
        lambda r: str(dict(ParticipantLanguage.choices).get(r.language, r.language)),
    ),
    Column(_field_header("created_at"), lambda r: _local(r.created_at)),
    Column(_field_header("confirmed_at"), lambda r: _local(r.confirmed_at)),
)


#: The fixed columns come first; then one per registration question, after ``QUESTIONS_AFTER``.
QUESTIONS_AFTER = 9


def headers(columns: Sequence[Column] = COLUMNS) -> list[str]:
    """Column headers in the active language."""
    return [capfirst(str(column.header)) for column in columns]


def _with_answers(
    registrations: Iterable[Registration],
) -> tuple[list[Registration], list[Column]]:
    """The rows, and the columns with one per question of their editions (the answer as a
    person reads it, in the active language); the answers in a query per thousand rows."""
    from ketenconf.questions.models import Question
    from ketenconf.questions.selectors import answer_text, answers_by_registration

    rows = list(registrations)
    edition_ids = sorted({r.edition_id for r in rows})
    questions = list(
        Question.objects.filter(edition_id__in=edition_ids)
        .select_related("edition")
        .order_by("edition__start_date", "edition_id", "position", "pk")
    )
    answers = answers_by_registration(registration_ids=[r.pk for r in rows])
    language = get_language() or "nl"

    def column(question: Question) -> Column:
        header = question.text(language)
        if len(edition_ids) > 1:
            header = f"{header} ({question.edition.title})"

        def value(registration: Registration) -> str:
            given = answers.get(registration.pk, {})
            if question.pk not in given:
                return ""
            return answer_text(question, given[question.pk], language)

        return Column(header, value)

    columns = [
        *COLUMNS[:QUESTIONS_AFTER],
        *(column(q) for q in questions),
        *COLUMNS[QUESTIONS_AFTER:],
    ]
    return rows, columns


def _spreadsheet_safe(text: str) -> str:
    """A typed name such as ``=HYPERLINK(...)`` must stay text in a spreadsheet (CSV injection)."""
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


class Exporter:
    identifier: str
    name: Any
    extension: str
    content_type: str

    def render(self, registrations: Iterable[Registration]) -> bytes:
        raise NotImplementedError


class CsvExporter(Exporter):
    identifier = "csv"
    name = _("Export CSV")
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    @staticmethod
    def _text(value: str | int | datetime | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, str):
            return _spreadsheet_safe(value)
        return str(value)

    #: Excel's dialect (see :class:`ExcelCsvExporter`) or the plain one for other programs.
    excel = False

    def render(self, registrations: Iterable[Registration]) -> bytes:
        out = io.StringIO()
        if self.excel:
            out.write("\ufeff")
        writer = csv.writer(out, delimiter=";" if self.excel else ",", lineterminator="\r\n")
        rows, columns = _with_answers(registrations)
        writer.writerow(headers(columns))
        for registration in rows:
            writer.writerow([self._text(c.value(registration)) for c in columns])
        return out.getvalue().encode("utf-8")


class ExcelCsvExporter(CsvExporter):
    """CSV as Excel set to Dutch opens it: semicolons between the columns, and a byte-order
    mark so it reads UTF-8 (without one it takes Windows-1252 and garbles every accent)."""

    identifier = "excel.csv"
    name = _("Export CSV for Excel")
    extension = "csv"
    excel = True


class XlsxExporter(Exporter):
    identifier = "xlsx"
    name = _("Export Excel")
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render(self, registrations: Iterable[Registration]) -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=capfirst(gettext("registrations"))[:31])
        bold = Font(bold=True)
        header_cells = []
        rows, columns = _with_answers(registrations)
        for text in headers(columns):
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header_cells.append(cell)
        # The header row stays in view while scrolling (set before the first row: a write-only
        # sheet writes its view then), and every column can be filtered.
        sheet.freeze_panes = "A2"
        sheet.append(header_cells)
        count = 1
        for registration in rows:
            count += 1
            row = []
            for column in columns:
                value = column.value(registration)
                cell = WriteOnlyCell(sheet, value=None)
                if isinstance(value, str):
                    # Set as text explicitly: openpyxl would take "=..." for a formula.
                    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    cell.data_type = "s"
                else:
                    cell.value = value
                    if isinstance(value, datetime):
                        cell.number_format = "yyyy-mm-dd hh:mm"
                row.append(cell)
            sheet.append(row)
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count}"
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


EXPORTERS: dict[str, Exporter] = {
    e.identifier: e for e in (XlsxExporter(), ExcelCsvExporter(), CsvExporter())
}
