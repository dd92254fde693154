"""Reading spreadsheets as organisers have them, and guessing what each column holds."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import translation

from ketenconf.imports.fields import guess_mapping, mapping_errors
from ketenconf.imports.reading import Sheet, UnreadableFile, column_letter, read_sheet

from .helpers import csv_file, xlsx_file


def test_csv_from_dutch_excel_with_semicolons_in_windows_1252() -> None:
    content = csv_file(
        [
            ["Naam", "E-mailadres", "Organisatie"],
            ["Jörg Müller", "jorg@example.org", "Gemeente Den Haag"],
        ],
        encoding="cp1252",
    )
    assert read_sheet(filename="lijst.csv", content=content) == Sheet(
        headers=["Naam", "E-mailadres", "Organisatie"],
        rows=[["Jörg Müller", "jorg@example.org", "Gemeente Den Haag"]],
    )


def test_csv_with_commas_a_byte_order_mark_quotes_and_blank_lines() -> None:
    content = '\ufeffName,Email,Organisation\r\n"Vries, Anna de",anna@example.org,IND\r\n,,\r\nBram,b@example.org\r\n\r\n'
    sheet = read_sheet(filename="list.csv", content=content.encode())
    # The blank line stays (as an empty row) so that row numbers are those of the file.
    assert sheet == Sheet(
        headers=["Name", "Email", "Organisation"],
        rows=[["Vries, Anna de", "anna@example.org", "IND"], [], ["Bram", "b@example.org", ""]],
    )


def test_xlsx_cells_become_text_the_same_way() -> None:
    content = xlsx_file(
        [
            ["Naam", "Aantal", "Start", "Rolstoel", None],
            ["Anna", 40, datetime(2027, 4, 15, 10, 30), True],
            ["Bram", 2.5, datetime(2027, 4, 15), False],
        ]
    )
    assert read_sheet(filename="lijst.xlsx", content=content) == Sheet(
        headers=["Naam", "Aantal", "Start", "Rolstoel"],
        rows=[["Anna", "40", "2027-04-15 10:30", "ja"], ["Bram", "2.5", "2027-04-15", "nee"]],
    )


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("leeg.csv", b"", "The file is empty."),
        ("leeg.csv", b"\r\n\r\n", "The file is empty."),
        (
            "kapot.xlsx",
            b"PK\x03\x04 not really",
            "This is not an Excel file (.xlsx) we can read. Save it again as .xlsx or CSV.",
        ),
        ("foto.csv", b"\x89PNG\x00\x00", "This is not a CSV file. Choose a .csv or .xlsx file."),
        (
            "groot.csv",
            b"a\r\n" + b"x\r\n" * 50_001,
            "The file has more than 50000 rows; split it in parts.",
        ),
    ],
)
def test_unreadable_files_say_why(filename: str, content: bytes, message: str) -> None:
    with translation.override("en"), pytest.raises(UnreadableFile) as error:
        read_sheet(filename=filename, content=content)
    assert str(error.value) == message


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


def test_guesses_from_dutch_headers() -> None:
    headers = [
        "Voornaam",
        "Tussenvoegsel",
        "Achternaam",
        "E-mailadres deelnemer",
        "Naam organisatie",
        "Functie",
        "Dieetwensen",
        "Rolstoel?",
        "Opmerkingen",
        "Taal",
    ]
    assert guess_mapping(kind="participants", headers=headers) == {
        0: "first_name",
        1: "name_prefix",
        2: "last_name",
        3: "email",
        4: "organisation",
        5: "job_title",
        6: "dietary_needs",
        7: "needs_step_free",
        9: "language",
    }


def test_guesses_from_english_headers_each_field_once() -> None:
    headers = ["Full name", "E-mail address", "Organization", "Email", "Job title", "Wheelchair"]
    assert guess_mapping(kind="participants", headers=headers) == {
        0: "name",
        1: "email",
        2: "organisation",
        4: "job_title",
        5: "needs_step_free",
    }
    assert guess_mapping(
        kind="sessions", headers=["Titel", "Ronde", "Zaal", "Capaciteit", "Sprekers"]
    ) == {
        0: "title",
        1: "block",
        2: "room",
        3: "capacity",
        4: "hosts",
    }
    assert guess_mapping(kind="organisations", headers=["Organisatie", "Afkorting", "Soort"]) == {
        0: "name",
        1: "short_name",
        2: "kind",
    }


@translation.override("nl")
def test_what_a_mapping_lacks_in_dutch_puts_no_article_before_the_field() -> None:
    # "Kies de kolom met de e-mailadres": it is "het e-mailadres", "het blok".
    assert mapping_errors(kind="participants", fields=["name", "organisation", "name"]) == [
        "Kies de kolom voor: e-mailadres.",
        "Er zijn twee kolommen gekozen voor: naam.",
    ]


@translation.override("en")
def test_what_a_mapping_lacks() -> None:
    assert mapping_errors(kind="participants", fields=["first_name", "email", "email"]) == [
        "Choose the column with the organisation.",
        "Choose the column with the name, or those with first and last name.",
        "Two columns are chosen for the email address.",
    ]
    assert (
        mapping_errors(
            kind="participants", fields=["first_name", "last_name", "email", "organisation"]
        )
        == []
    )
