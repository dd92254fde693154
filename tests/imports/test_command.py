"""`ketenconf import` and `ketenconf export` on the command line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ketenconf.events.models import Edition
from ketenconf.registration.models import Registration
from tests.factories import EditionFactory

from .helpers import csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition() -> Edition:
    return EditionFactory(slug="keten", capacity=10)


@pytest.fixture
def people(tmp_path: Path) -> Path:
    path = tmp_path / "mensen.csv"
    path.write_bytes(
        csv_file(
            [
                ["Wie", "Adres", "Organisatie"],
                ["Anna de Vries", "anna@example.org", "IND"],
                ["Bram Jansen", "bram@example.org", "COA"],
            ]
        )
    )
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_with_a_mapping_by_name_and_letter(edition: Edition, people: Path) -> None:
    with pytest.raises(CommandError) as missing:
        run("import", "participants", str(people), "--edition", "keten")
    assert (
        str(missing.value)
        == "Choose the column with the email address. Choose the column with the name, or those with first and last name."
    )

    out, err = run(
        "import",
        "participants",
        str(people),
        "--edition",
        "keten",
        "--map",
        "Wie=name",
        "--map",
        "B=email",
        "--dry-run",
    )
    assert (
        out
        == "Dry run, nothing changed: 2 to create (2 with a seat, 0 waitlisted), 0 to change, 0 unchanged, 0 errors, of 2 rows.\n"
    )
    assert err == "  A 'Wie' → name\n  B 'Adres' → email\n  C 'Organisatie' → organisation\n"
    assert not Registration.objects.exists()

    out, _err = run(
        "import",
        "participants",
        str(people),
        "--edition",
        "keten",
        "--map",
        "1=name",
        "--map",
        "adres=email",
    )
    assert out.startswith("Imported: 2 to create")
    assert Registration.objects.count() == 2


def test_import_refuses_bad_rows_with_exit_status_1(edition: Edition, tmp_path: Path) -> None:
    path = tmp_path / "fout.csv"
    path.write_bytes(csv_file([["Naam", "E-mail", "Organisatie"], ["Anna", "anna", "IND"]]))
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(
            "import",
            "participants",
            str(path),
            "--edition",
            "keten",
            stdout=out,
            stderr=io.StringIO(),
        )
    assert (str(failed.value), failed.value.returncode) == ("Nothing was imported.", 1)
    assert (
        out.getvalue().splitlines()[1] == "  row 2, column B (E-mail): Enter a valid email address."
    )
    assert not Registration.objects.exists()


def test_import_says_what_is_wrong_with_the_arguments(edition: Edition, people: Path) -> None:
    for args, message in [
        (["--edition", "nope"], "There is no edition 'nope'."),
        (
            ["--edition", "keten", "--map", "Z=name"],
            "There is no column 'Z'; the columns are: Wie, Adres, Organisatie.",
        ),
        (
            ["--edition", "keten", "--map", "Wie=naam"],
            "Unknown field 'naam'; the fields are: accessibility_needs, dietary_needs, email, first_name, job_title, language, last_name, name, name_prefix, needs_step_free, networking_consent, organisation.",
        ),
    ]:
        with pytest.raises(CommandError) as error:
            run("import", "participants", str(people), *args)
        assert str(error.value) == message


def test_export_writes_each_kind(
    programme_edition: Edition, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    target = tmp_path / "programma.csv"
    run(
        "export",
        "programme",
        "--edition",
        programme_edition.slug,
        "--format",
        "csv",
        "--language",
        "en",
        "-o",
        str(target),
    )
    rows = list(csv.reader(io.StringIO(target.read_text())))
    assert [row[8] for row in rows] == ["Title", "Welcome", "Return", "Housing", "Labour migration"]

    call_command("export", "schedule", "--edition", programme_edition.slug, "--format", "json")
    assert capsysbinary.readouterr().out.startswith(
        b'{\n  "$schema": "https://c3voc.de/schedule/schema.json"'
    )

    with pytest.raises(CommandError) as nothing:
        run("export", "assignments", "--edition", programme_edition.slug, "--language", "en")
    assert (
        str(nothing.value)
        == f"No assignment of {programme_edition.title_en} is published yet; choose a run."
    )
    with pytest.raises(CommandError) as wrong:
        run("export", "schedule", "--edition", programme_edition.slug, "--format", "csv")
    assert str(wrong.value) == "The schedule is exported as ics, xml or json."
