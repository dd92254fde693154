"""How far an import is, readable by the page that polls it while the import's own
transaction is still open (it commits all rows at the end, or none).

On PostgreSQL the count goes into the job's row through a second connection in autocommit,
so it is visible at once. SQLite lets one connection write at a time, and the import holds
that one: there the count goes into a small file beside the database (SQLite means one
machine, so the web process and the worker share it).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import connection

from .models import ImportJob

#: Report at most this often (seconds): one short write, not one per row.
EVERY = 0.5


def _progress_file(job_id: int) -> Path:
    name = str(connection.settings_dict.get("NAME") or "")
    folder = Path(name).parent if name and not name.startswith(("file:", ":memory:")) else None
    if folder is None or not folder.is_dir():
        folder = Path(tempfile.gettempdir())
    return folder / f"ketenconf-import-{job_id}.progress"


class ProgressReporter:
    def __init__(self, *, job_id: int) -> None:
        self.job_id = job_id
        self.last = 0.0
        self.side: Any = None
        if connection.vendor != "sqlite":
            self.side = connection.copy()

    def report(self, done: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < EVERY:
            return
        self.last = now
        if self.side is None:
            path = _progress_file(self.job_id)
            partial = path.with_suffix(".tmp")
            partial.write_text(str(done))
            os.replace(partial, path)
            return
        table = self.side.ops.quote_name(ImportJob._meta.db_table)
        with self.side.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET rows_done = %s WHERE id = %s", [done, self.job_id])  # noqa: S608

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
        else:
            _progress_file(self.job_id).unlink(missing_ok=True)


def rows_done(job: ImportJob) -> int:
    """The rows an import under way has got through."""
    if connection.vendor == "sqlite":
        try:
            return int(_progress_file(job.pk).read_text() or 0)
        except (OSError, ValueError):
            return job.rows_done
    return job.rows_done
