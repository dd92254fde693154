"""The production app server: granian serving ``ketenconf.wsgi``, set by KETENCONF_* variables.

| variable | default | meaning |
|---|---|---|
| KETENCONF_BIND | 127.0.0.1:8000 | address to listen on: host:port, [v6]:port, or unix:/path.sock |
| KETENCONF_WEB_WORKERS | the number of CPUs | worker processes |
| KETENCONF_WEB_THREADS | 2 | threads per worker that run requests |
| KETENCONF_WEB_BACKLOG | 2048 | connections the kernel holds until a worker takes them |
| KETENCONF_ACCESS_LOG | - under ``ketenconf serve`` | one line per request: - (stderr), a file, or off |

granian does the HTTP in Rust and calls the app in each worker's threads; under many clients
at once its tail latency was about half gunicorn's gthread workers' (figures and machine in
bench/README.md). A worker
that runs requests on fewer threads spends less CPU per request (less waiting for Python's
lock); two let a long request (a report's PDF) leave the worker able to answer others.

The access log is written by the app (``ketenconf.ops.middleware.RequestIdMiddleware``), not
by granian, so each line carries the request id and follows ``KETENCONF_LOG_FORMAT``.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path


class ServerConfigError(ValueError):
    """A KETENCONF_* variable of the app server holds something it cannot use."""


def _number(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(f"KETENCONF_{name}", "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ServerConfigError(f"KETENCONF_{name}={raw!r}: give a whole number of 1 or more.")
    return value


def bind_options(bind: str) -> list[str]:
    """granian's options for KETENCONF_BIND."""
    if bind.startswith("unix:"):
        return ["--uds", bind.removeprefix("unix:")]
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise ServerConfigError(
            f"KETENCONF_BIND={bind!r}: give host:port (127.0.0.1:8000, [::1]:8000) "
            "or unix:/path/to/socket."
        )
    return ["--host", host.strip("[]"), "--port", port]


def server_command(environ: Mapping[str, str], *extra: str) -> list[str]:
    """The granian command line for ``environ``; ``extra`` options go last."""
    executable = shutil.which("granian", path=str(Path(sys.executable).parent)) or shutil.which(
        "granian"
    )
    if executable is None:
        raise ServerConfigError("granian is not installed: pip install -r requirements/base.txt")
    return [
        executable,
        "--interface",
        "wsgi",
        *bind_options(environ.get("KETENCONF_BIND", "").strip() or "127.0.0.1:8000"),
        "--workers",
        str(_number(environ, "WEB_WORKERS", os.cpu_count() or 1)),
        "--blocking-threads",
        str(_number(environ, "WEB_THREADS", 2)),
        "--backlog",
        str(_number(environ, "WEB_BACKLOG", 2048)),
        "--no-ws",  # no websockets: the site has none
        "--no-access-log",  # the app writes it, with the request id
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        "30",
        *extra,
        "ketenconf.wsgi:application",
    ]
