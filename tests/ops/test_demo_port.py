"""`make demo PORT=8080`: the links the demo makes (mails, calendar addresses, schedule
exports) point at the port it serves on, unless KETENCONF_BASE_URL says otherwise.

The Makefile's recipe runs here with a stand-in for ``ketenconf`` that prints, per command, the
address the real settings give the links; nothing is migrated or served."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")

PROBE = """#!{python}
import pathlib, sys, time
import django
django.setup()
from ketenconf.exports.base import absolute_url
out = pathlib.Path("{out}")
(out / sys.argv[1]).write_text(absolute_url("/"))
if sys.argv[1] == "runserver":  # the recipe stops the worker when the server ends
    for _ in range(600):
        if (out / "worker").exists():
            break
        time.sleep(0.1)
"""


def run_demo(tmp_path: Path, *make_args: str, **env: str) -> list[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    probe = bin_dir / "ketenconf"
    out = tmp_path / "out"
    out.mkdir()
    probe.write_text(PROBE.format(python=sys.executable, out=out))
    probe.chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable)
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("KETENCONF_") and key not in {"PORT", "MAKEFLAGS"}
    }
    environ |= {"DJANGO_SETTINGS_MODULE": "ketenconf.settings", **env}
    done = subprocess.run(
        ["make", "--no-print-directory", "-s", "demo", f"BIN={bin_dir}", *make_args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return sorted(f"{path.name} {path.read_text()}" for path in out.iterdir())


def test_the_demo_links_point_at_the_port_it_serves_on(tmp_path):
    assert run_demo(tmp_path, "PORT=8080") == [
        "demo http://127.0.0.1:8080/",
        "migrate http://127.0.0.1:8080/",
        "runserver http://127.0.0.1:8080/",
        "worker http://127.0.0.1:8080/",
    ]


def test_a_base_url_set_wins(tmp_path):
    lines = run_demo(tmp_path, "PORT=8080", KETENCONF_BASE_URL="https://conferentie.example.nl")
    assert lines == [
        "demo https://conferentie.example.nl/",
        "migrate https://conferentie.example.nl/",
        "runserver https://conferentie.example.nl/",
        "worker https://conferentie.example.nl/",
    ]
