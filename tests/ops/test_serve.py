"""`ketenconf serve`: granian with the production configuration, stopped cleanly by SIGTERM."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ketenconf.ops.app_server import ServerConfigError, bind_options, server_command

from .conftest import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_serve_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KETENCONF_")},
        "KETENCONF_BIND": f"127.0.0.1:{port}",
        "KETENCONF_WEB_WORKERS": "2",
        "KETENCONF_ACCESS_LOG": str(tmp_path / "access.log"),
    }
    with (tmp_path / "serve.log").open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "ketenconf", "serve"],
            env=env,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            try:
                conn.request("GET", "/health", headers={"X-Request-ID": "serve-1"})
                response = conn.getresponse()
                answer = (response.status, response.read())
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.2)
            finally:
                conn.close()
        assert answer == (200, b"ok")
        # Stop it once both workers run: granian kills a worker that is still starting when
        # the stop comes only after its kill timeout (30 s), which is not what this tests.
        while (tmp_path / "serve.log").read_text().count("Started worker-") < 2:
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.1)
    finally:
        server.send_signal(signal.SIGTERM)
        returncode = server.wait(timeout=30)
    assert returncode == 0
    serve_log = (tmp_path / "serve.log").read_text()
    # The command became granian itself (exec), with two workers.
    assert f"Listening at: http://127.0.0.1:{port}" in serve_log, serve_log
    assert serve_log.count("Spawning worker-") == 2, serve_log
    # One line per request, with the request id (a probe that came while the workers started
    # is answered too).
    lines = (tmp_path / "access.log").read_text().splitlines()
    assert lines
    for line in lines:
        assert re.fullmatch(
            r"\S+ \S+ INFO ketenconf\.access \[serve-1\] "
            r'127\.0\.0\.1 "GET /health" 200 2 \d+ms',
            line,
        ), line


def test_the_server_is_set_by_ketenconf_variables() -> None:
    command = server_command(
        {"KETENCONF_BIND": "[::1]:9000", "KETENCONF_WEB_WORKERS": "3"}, "--log-level", "warning"
    )
    assert command[0].endswith("granian")

    def option(name: str) -> str:
        return command[command.index(name) + 1]

    assert option("--host") == "::1"
    assert option("--port") == "9000"
    assert option("--workers") == "3"
    assert option("--blocking-threads") == "2"
    assert command[-3:] == ["--log-level", "warning", "ketenconf.wsgi:application"]
    assert server_command({})[server_command({}).index("--workers") + 1] == str(os.cpu_count())
    assert bind_options("unix:/run/ketenconf/web.sock") == ["--uds", "/run/ketenconf/web.sock"]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"KETENCONF_BIND": "8000"}, "KETENCONF_BIND='8000': give host:port"),
        ({"KETENCONF_WEB_WORKERS": "two"}, "KETENCONF_WEB_WORKERS='two': give a whole number"),
        ({"KETENCONF_WEB_THREADS": "0"}, "KETENCONF_WEB_THREADS='0': give a whole number"),
    ],
)
def test_a_bad_variable_says_which_and_what_to_give(
    variables: dict[str, str], message: str
) -> None:
    with pytest.raises(ServerConfigError, match=re.escape(message)):
        server_command(variables)
