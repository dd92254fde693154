"""Files made to hurt: a zip that unpacks a thousandfold, rows or cells without end, XML that
is not XML. Each is refused with a message that says what is wrong, on the page, through the
command line (no traceback, exit status 1) and in the service; nothing is kept."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from ketenconf.imports.models import ImportJob
from ketenconf.imports.reading import MAX_CELL_CHARS, UnreadableFile, read_sheet
from tests.factories import EditionFactory

from .helpers import xlsx_file

pytestmark = pytest.mark.django_db


def rezip(content: bytes, replace: dict[str, bytes]) -> bytes:
    """The same .xlsx with some of its members replaced (compressed as Excel does)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            target.writestr(member.filename, replace.get(member.filename, source.read(member)))
    return out.getvalue()


def bomb() -> bytes:
    """A real workbook whose sheet carries 60 MB of padding: well under 1 MB zipped."""
    good = xlsx_file([["Naam", "E-mailadres"], ["Anna", "anna@example.org"]])
    with zipfile.ZipFile(io.BytesIO(good)) as source:
        sheet = source.read("xl/worksheets/sheet1.xml")
    padded = sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * (60 * 1024 * 1024), 1)
    return rezip(good, {"xl/worksheets/sheet1.xml": padded})


def broken_xml() -> bytes:
    good = xlsx_file([["Naam", "E-mailadres"], ["Anna", "anna@example.org"]])
    return rezip(good, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row><c r='A1'"})


def read(filename: str, content: bytes) -> str:
    with translation.override("en"), pytest.raises(UnreadableFile) as error:
        read_sheet(filename=filename, content=content)
    return str(error.value)


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    content = bomb()
    assert len(content) < 1024 * 1024
    assert read("lijst.xlsx", content) == (
        "The Excel file unpacks to 60 MB, more than 50 MB. Save only the sheet with the list, "
        "or save it as CSV."
    )


def test_malformed_xml_inside_the_file_is_unreadable() -> None:
    assert read("lijst.xlsx", broken_xml()) == (
        "This is not an Excel file (.xlsx) we can read. Save it again as .xlsx or CSV."
    )


def test_a_cell_too_long_is_named_by_its_place() -> None:
    long = "x" * (MAX_CELL_CHARS + 1)
    assert read("lijst.xlsx", xlsx_file([["Naam", "Notitie"], ["Anna", long]])) == (
        f"Cell B2 has more than {MAX_CELL_CHARS} characters."
    )
    assert read("lijst.csv", f"Naam;Notitie\r\nAnna;{long}\r\n".encode()) == (
        f"Cell B2 has more than {MAX_CELL_CHARS} characters."
    )


def test_too_many_columns_in_an_xlsx_are_refused() -> None:
    assert read("breed.xlsx", xlsx_file([[f"kolom {n}" for n in range(101)]])) == (
        "The file has more than 100 columns."
    )


@pytest.mark.parametrize("make", [bomb, broken_xml])
def test_the_command_line_says_why_and_exits_1(tmp_path: Path, make: object) -> None:
    EditionFactory(slug="keten")
    path = tmp_path / "lijst.xlsx"
    path.write_bytes(make())  # type: ignore[operator]
    with pytest.raises(CommandError) as error:
        call_command("import", "participants", str(path), "--edition", "keten")
    assert error.value.returncode == 1
    assert str(error.value).startswith(("The Excel file unpacks", "This is not an Excel file"))
    assert not ImportJob.objects.exists()


def test_the_upload_page_says_why_and_keeps_nothing(admin_client: Client) -> None:
    edition = EditionFactory(slug="keten")
    upload = io.BytesIO(broken_xml())
    upload.name = "lijst.xlsx"
    response = admin_client.post(
        f"/organise/{edition.slug}/imports/", {"kind": "participants", "file": upload}
    )
    assert response.status_code == 422
    assert "Dit is geen Excelbestand (.xlsx) dat we kunnen lezen." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_column_page_does_not_read_the_file_again(admin_client: Client) -> None:
    edition = EditionFactory(slug="keten")
    upload = io.BytesIO(xlsx_file([["Naam", "E-mailadres"], ["Anna", "anna@example.org"]]))
    upload.name = "lijst.xlsx"
    admin_client.post(
        f"/organise/{edition.slug}/imports/", {"kind": "participants", "file": upload}
    )
    job = ImportJob.objects.get()
    assert job.samples == [["Anna", "anna@example.org"]]
    # Were the page to parse the file, this would make it fail; it shows the kept samples.
    ImportJob.objects.filter(pk=job.pk).update(content=b"PK\x03\x04 damaged")
    page = admin_client.get(f"/organise/{edition.slug}/imports/{job.pk}/")
    assert page.status_code == 200
    assert "anna@example.org" in page.content.decode()
