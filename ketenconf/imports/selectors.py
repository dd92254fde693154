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
        .defer("content", "samples")
        .order_by("-created_at", "-pk")
    )


def import_job_get(*, edition: Edition, pk: int) -> ImportJob | None:
    """The job without its file: a page never reads the file again (the samples are kept)."""
    return ImportJob.objects.filter(edition=edition, pk=pk).defer("content").first()


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
    """The file's columns with a few values each (kept at upload), and the field each maps to."""
    rows = job.samples[:samples]
    return [
        ColumnChoice(
            index=index,
            header=header,
            samples=[row[index] for row in rows if index < len(row) and row[index]],
            field=job.mapping.get(str(index), ""),
        )
        for index, header in enumerate(job.headers)
    ]


def import_fields(*, kind: str) -> tuple[fields.ImportField, ...]:
    return fields.FIELDS[kind]
