"""Printed badges: a PDF with name, organisation, a QR code with the signed badge token, and
the personal programme (assigned workshops with their rooms).

Two formats: A6 cards (front and back, for a duplex printer and a badge holder) and A4
sheets of eight labels (105 x 74 mm). WeasyPrint lays out HTML from a template and
``badge.css``; segno draws the QR code. Large batches are laid out in chunks, so progress
can be reported and no single layout holds hundreds of pages at once; the chunks are laid
out by several processes side by side (``pdf_layout``) and joined into one PDF at the end.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import override

from ketenconf.allocation.models import AssignmentRun
from ketenconf.allocation.selectors import ProgrammeItem, personal_programme, programmes_of_run
from ketenconf.events.models import Edition
from ketenconf.registration.models import Registration, RegistrationStatus

from . import pdf_layout
from .models import BadgeFormat
from .tokens import badge_token

# WeasyPrint tells of every page it lays out at INFO: hundreds of lines for a batch.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

CSS_FILE = Path(__file__).resolve().parent / "templates" / "checkin" / "badges" / "badge.css"
CHUNK = 60
LABELS_PER_SHEET = 8


@dataclass(frozen=True)
class BadgeData:
    registration: Registration
    token: str
    qr: str  # a data: URI of the PNG
    programme: list[ProgrammeItem]
    language: str


def qr_data_uri(token: str) -> str:
    """The QR code as a PNG of one pixel per module.

    Error correction M: a badge survives a crease or a thumb over a corner. A PNG, not SVG:
    WeasyPrint draws an SVG path point by point, ten times slower for a page of badges. One
    pixel per module, not eight: the PDF holds the same picture (badge.css sets
    ``image-rendering: pixelated``, which WeasyPrint writes as an image the printer must not
    smooth), and Pillow, which WeasyPrint has re-encode every image, has 64 times fewer
    pixels to pack. The quiet zone is white badge around the code.
    """
    return str(segno.make_qr(token, error="m").png_data_uri(scale=1, border=2))


def badge_data(
    registration: Registration, programme: Sequence[ProgrammeItem] | None = None
) -> BadgeData:
    token = badge_token(registration=registration)
    return BadgeData(
        registration=registration,
        token=token,
        qr=qr_data_uri(token),
        programme=list(
            programme if programme is not None else personal_programme(registration=registration)
        ),
        language=registration.language,
    )


def badge_registrations(*, edition: Edition) -> list[Registration]:
    """Who gets a badge: every registration with a seat, by name."""
    return list(
        Registration.objects.filter(
            edition=edition, status=RegistrationStatus.REGISTERED, anonymised_at__isnull=True
        )
        .select_related("organisation", "edition", "badge")
        .order_by("name", "pk")
    )


def _html(*, edition: Edition, badges: Sequence[BadgeData], format: str) -> str:
    parts: list[str] = []
    template = (
        "checkin/badges/label.html" if format == BadgeFormat.LABELS else "checkin/badges/a6.html"
    )
    for badge in badges:
        with override(badge.language):
            parts.append(render_to_string(template, {"badge": badge, "edition": edition}))
    if format == BadgeFormat.LABELS:  # eight labels to a sheet
        parts = [
            '<section class="sheet">' + "".join(parts[n : n + LABELS_PER_SHEET]) + "</section>"
            for n in range(0, len(parts), LABELS_PER_SHEET)
        ]
    return render_to_string(
        "checkin/badges/document.html",
        {"edition": edition, "body": "".join(parts), "format": format},
    )


def badges_pdf(
    *,
    edition: Edition,
    badges: Sequence[BadgeData],
    format: str = BadgeFormat.A6,
    progress: Callable[[int], None] | None = None,
    processes: int | None = None,
) -> bytes:
    """One PDF with every badge; ``progress(done)`` is called after each chunk.

    More than one chunk is laid out by ``processes`` processes side by side (default
    ``settings.BADGE_PROCESSES``); one chunk, or one process, stays in this process.
    """
    chunk = CHUNK - CHUNK % LABELS_PER_SHEET if format == BadgeFormat.LABELS else CHUNK
    starts = range(0, max(len(badges), 1), chunk)
    chunks = [_html(edition=edition, badges=badges[s : s + chunk], format=format) for s in starts]

    def done(chunks_done: int) -> None:
        if progress is not None:
            progress(min(chunks_done * chunk, len(badges)))

    processes = min(processes or settings.BADGE_PROCESSES, len(chunks))
    if processes > 1:
        return pdf_layout.pdf_in_parallel(
            chunks, css_file=CSS_FILE, processes=processes, progress=done
        )
    documents = []
    for index, html in enumerate(chunks, start=1):
        documents.append(pdf_layout.layout(html, css_file=CSS_FILE))
        done(index)
    pages = [page for document in documents for page in document.pages]  # type: ignore[attr-defined]
    return bytes(documents[0].copy(pages).write_pdf())  # type: ignore[attr-defined]


def edition_badges(*, edition: Edition) -> list[BadgeData]:
    """Badge data for the whole edition: two queries for the programmes, whatever the size."""
    registrations = badge_registrations(edition=edition)
    run = (
        AssignmentRun.objects.filter(edition=edition, published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .first()
    )
    programmes = programmes_of_run(run=run) if run is not None else {}
    return [badge_data(r, programmes.get(r.pk, [])) for r in registrations]


def badge_pdf(*, registration: Registration, format: str = BadgeFormat.A6) -> bytes:
    """One badge, for a reprint at the desk or from the back-office."""
    return badges_pdf(
        edition=registration.edition, badges=[badge_data(registration)], format=format
    )
