"""`ketenconf serve`: gunicorn with the production configuration, stopped cleanly by SIGTERM."""

from __future__ import annotations

import http.client
import importlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

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
    finally:
        server.send_signal(signal.SIGTERM)
        returncode = server.wait(timeout=30)
    assert returncode == 0
    serve_log = (tmp_path / "serve.log").read_text()
    # The command became gunicorn itself (exec), with two workers.
    assert serve_log.count("Booting worker with pid") == 2
    assert f"Listening at: http://127.0.0.1:{port} ({server.pid})" in serve_log
    # One line per request (a probe that timed out while the workers booted is answered too).
    for line in (tmp_path / "access.log").read_text().splitlines():
        assert re.fullmatch(
            r'127\.0\.0\.1 \[[^]]+\] "GET /health HTTP/1\.1" 200 2 \d+ms "[^"]*" request_id=serve-1',
            line,
        ), line


def test_workers_default_to_twice_the_cpus_plus_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KETENCONF_WEB_WORKERS", raising=False)
    import ketenconf.gunicorn_conf as conf

    conf = importlib.reload(conf)
    assert conf.workers == 2 * (os.cpu_count() or 1) + 1
    assert (conf.worker_class, conf.threads, conf.control_socket_disable) == ("gthread", 4, True)
    monkeypatch.setenv("KETENCONF_WEB_WORKERS", "3")
    assert importlib.reload(conf).workers == 3
