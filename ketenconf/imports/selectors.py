"""Reads of the imports."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from ketenconf.events.models import Edition

from . import fields, progress
from .models import ImportJob


def import_jobs_for_edition(*, edition: Edition) -> QuerySet[ImportJob]:
    return (
        ImportJob.objects.filter(edition=edition)
        .select_related("created_by")
        .defer("content")
        .order_by("-created_at", "-pk")
    )


def import_job_get(*, edition: Edition, pk: int) -> ImportJob | None:
    return ImportJob.objects.filter(edition=edition, pk=pk).first()


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 100


def import_progress(*, job: ImportJob) -> Progress:
    return Progress(done=min(progress.rows_done(job), job.row_count), total=job.row_count)


@dataclass(frozen=True)
class ColumnChoice:
    index: int
    header: str
    samples: list[str]
    field: str  # the field it maps to now; "" for none


def import_columns(*, job: ImportJob, samples: int = 3) -> list[ColumnChoice]:
    """The file's columns with a few values each, and the field each maps to now."""
    from .reading import read_sheet

    sheet = read_sheet(filename=job.filename, content=bytes(job.content))
    rows = [row for row in sheet.rows if row][:samples]
    return [
        ColumnChoice(
            index=index,
            header=header,
            samples=[row[index] for row in rows if row[index]],
            field=job.mapping.get(str(index), ""),
        )
        for index, header in enumerate(job.headers)
    ]


def import_fields(*, kind: str) -> tuple[fields.ImportField, ...]:
    return fields.FIELDS[kind]
