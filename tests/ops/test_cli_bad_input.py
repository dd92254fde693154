"""The command line answers bad files and bad places with a message and exit status 1 or 2,
never a Python traceback: run as an operator runs it, as a process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import EditionFactory
from tests.mail.test_worker import REPO_ROOT, database_url

pytestmark = [pytest.mark.django_db(transaction=True)]


def ketenconf(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "KETENCONF_DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "ketenconf.settings",
    }
    return subprocess.run(
        [sys.executable, "-m", "ketenconf", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (1, 2), result


def test_assign_on_json_nested_too_deep(tmp_path: Path) -> None:
    deep = tmp_path / "diep.json"
    deep.write_text("[" * 1500 + "]" * 1500)
    result = ketenconf("assign", str(deep), "-o", str(tmp_path / "uit.json"))
    no_traceback(result)
    assert result.stderr.splitlines()[-1] == "  input: not valid JSON: nested too deep"


def test_export_to_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    EditionFactory(slug="keten")
    target = tmp_path / "weg" / "programma.csv"
    result = ketenconf("export", "programme", "--edition", "keten", "-o", str(target))
    no_traceback(result)
    assert result.stderr.strip() == (
        f"CommandError: Cannot write {target}: No such file or directory."
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 kapot", "This is not an Excel file (.xlsx) we can read."),
        (b"\x89PNG\x00\x00", "This is not a CSV file. Choose a .csv or .xlsx file."),
    ],
)
def test_import_of_a_file_that_is_no_table(tmp_path: Path, content: bytes, message: str) -> None:
    EditionFactory(slug="keten")
    path = tmp_path / "lijst.csv"
    path.write_bytes(content)
    result = ketenconf("import", "participants", str(path), "--edition", "keten")
    no_traceback(result)
    assert result.stderr.startswith(f"CommandError: {message}")
