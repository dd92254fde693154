"""Laying out badge HTML as PDF, in this process or in several side by side.

WeasyPrint lays out on one core; a batch of hundreds of badges is split into chunks that
other processes lay out at the same time, and their PDFs are joined in order. The processes
are started fresh ("spawn"): they import only this module and WeasyPrint, never Django, and
hold no database connection of the parent.
"""

from __future__ import annotations

import io
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def layout(html: str, *, css_file: Path) -> object:
    """The laid-out WeasyPrint document of one chunk."""
    from weasyprint import CSS, HTML

    return HTML(string=html, base_url=str(css_file.parent)).render(
        stylesheets=[CSS(filename=str(css_file))]
    )


def chunk_pdf(html: str, css_file: Path) -> bytes:
    """One chunk as PDF bytes; runs in a child process."""
    return bytes(layout(html, css_file=css_file).write_pdf())  # type: ignore[attr-defined]


def join_pdfs(parts: Sequence[bytes]) -> bytes:
    """The pages of every part, in order, as one PDF."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_in_parallel(
    chunks: Sequence[str],
    *,
    css_file: Path,
    processes: int,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """Lay out the chunks in ``processes`` child processes; ``progress(n)`` after each of the
    first n chunks is done, in order."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        futures = [pool.submit(chunk_pdf, html, css_file) for html in chunks]
        parts = []
        for index, future in enumerate(futures, start=1):
            parts.append(future.result())
            if progress is not None:
                progress(index)
    return join_pdfs(parts)
