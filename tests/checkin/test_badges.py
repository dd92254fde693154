"""Badges render as PDF: the name, the organisation and the programme are on the page, and
the QR code carries a token that checks the holder in."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import segno
from django.test import override_settings
from django.utils import translation
from pypdf import PdfReader

from ketenconf.checkin.badges import badge_pdf, badges_pdf, edition_badges
from ketenconf.checkin.models import BadgeBatch, BadgeFormat
from ketenconf.checkin.services import (
    Outcome,
    badge_batch_execute,
    badge_batch_start,
    checkin_scan,
)
from ketenconf.checkin.tokens import badge_token
from ketenconf.registration.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_english(checkin_day):
    """Badges speak each participant's language: these participants chose English."""
    Registration.objects.filter(edition=checkin_day.edition).update(language="en")
    for registration in checkin_day.people.values():
        registration.language = "en"
    return checkin_day


def pages(pdf: bytes) -> list[list[str]]:
    """The text of each page, line by line."""
    return [page.extract_text().splitlines() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_an_a6_badge_has_the_name_in_front_and_the_programme_on_the_back(in_english):
    checkin_day = in_english
    with translation.override("en"):
        front, back = pages(badge_pdf(registration=checkin_day.people["anna"]))
    assert front == [
        "Chain Conference 2027",
        "15 April 2027 · Utrecht",
        "Anna de Vries",
        "Immigratie- en Naturalisatiedienst",
    ]
    assert back == [
        "Your programme",
        "Anna de Vries",
        "10:30–11:30 · Workshop round 1",
        "Return",
        "Zaal A",
    ]


def test_the_badge_speaks_the_participants_language(checkin_day):
    with translation.override("en"):
        front, back = pages(badge_pdf(registration=checkin_day.people["anna"]))
    assert front[:2] == ["Ketenconferentie 2027", "15 april 2027 · Utrecht"]
    assert back[2:] == ["10:30–11:30 · Workshopronde 1", "Terugkeer", "Zaal A"]


def test_a_label_sheet_holds_eight_badges_with_their_programmes(in_english):
    checkin_day = in_english
    badges = edition_badges(edition=checkin_day.edition)
    assert [b.registration.name for b in badges] == [
        "Anna de Vries",
        "Bram Jansen",
        "Chris Bakker",
        "Dirk Smit",
    ]

    with translation.override("en"):
        sheets = pages(
            badges_pdf(edition=checkin_day.edition, badges=badges * 3, format=BadgeFormat.LABELS)
        )
    assert len(sheets) == 2
    assert sheets[0].count("Anna de Vries") == 2
    assert "10:30 Return · Zaal A" in sheets[0]
    assert "10:30 Housing · Zaal B" in sheets[0]
    assert sheets[1].count("Chris Bakker") == 1


def test_the_qr_token_checks_the_holder_in(checkin_day):
    data = edition_badges(edition=checkin_day.edition)[0]
    assert data.qr.startswith("data:image/png;base64,")
    with translation.override("en"):
        result = checkin_scan(
            edition=checkin_day.edition, token=data.token, door="1", nonce="badge-qr-1", by=None
        )
    assert (result.outcome, result.message) == (Outcome.WELCOME, "Welcome, Anna de Vries — IND")


def test_a_batch_writes_one_pdf_and_records_its_progress(in_english, tmp_path: Path):
    checkin_day = in_english
    with override_settings(VAR_DIR=tmp_path), translation.override("en"):
        batch = badge_batch_start(
            edition=checkin_day.edition, format=BadgeFormat.A6, by=checkin_day.organiser
        )
        assert (batch.status, batch.total, batch.done) == ("queued", 4, 0)
        assert badge_batch_execute(batch_id=batch.pk) == "done"
    batch = BadgeBatch.objects.get()
    assert (batch.status, batch.total, batch.done, batch.percent) == ("done", 4, 4, 100)
    path = Path(batch.file)
    assert path == tmp_path / "badges" / f"{checkin_day.edition.slug}-{batch.pk}-a6.pdf"
    text = pages(path.read_bytes())
    assert len(text) == 8
    assert [page[2] for page in text[0::2]] == [
        "Anna de Vries",
        "Bram Jansen",
        "Chris Bakker",
        "Dirk Smit",
    ]


def test_the_printed_qr_code_is_the_badge_token_with_sharp_modules(checkin_day):
    """The picture in the PDF is the QR code of the token, one pixel per module, and marked
    for printing without smoothing, so the modules print as sharp squares."""
    anna = checkin_day.people["anna"]
    front = PdfReader(io.BytesIO(badge_pdf(registration=anna))).pages[0]
    (image,) = front.images
    assert image.indirect_reference is not None
    assert image.indirect_reference.get_object()["/Interpolate"].value is False
    printed = image.image.convert("L")
    expected = [
        [bool(dark) for dark in row]
        for row in segno.make_qr(badge_token(registration=anna), error="m").matrix_iter(
            scale=1, border=2
        )
    ]
    assert printed.size == (len(expected[0]), len(expected))
    assert [
        [printed.getpixel((x, y)) < 128 for x in range(printed.width)]
        for y in range(printed.height)
    ] == expected


def test_several_processes_lay_out_a_batch_into_the_same_pages_in_order(
    in_english, monkeypatch: pytest.MonkeyPatch
):
    """A large batch is split into chunks laid out by child processes side by side: the joined
    PDF has every badge, in order, with the text one process gives, and progress counts up."""
    from ketenconf.checkin import badges as badge_module

    monkeypatch.setattr(badge_module, "CHUNK", 3)  # 12 badges: four chunks
    checkin_day = in_english
    data = edition_badges(edition=checkin_day.edition) * 3
    seen: list[int] = []
    with translation.override("en"):
        alone = badges_pdf(edition=checkin_day.edition, badges=data, processes=1)
        together = badges_pdf(
            edition=checkin_day.edition, badges=data, processes=2, progress=seen.append
        )
    assert pages(together) == pages(alone)
    assert len(pages(together)) == 24
    assert [page[2] for page in pages(together)[0::2]] == [b.registration.name for b in data]
    assert seen == [3, 6, 9, 12]
