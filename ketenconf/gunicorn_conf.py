"""gunicorn's configuration for ketenconf in production, driven by KETENCONF_* variables.

    ketenconf serve                                   # the same as:
    gunicorn --config python:ketenconf.gunicorn_conf ketenconf.wsgi

| variable | default | meaning |
|---|---|---|
| KETENCONF_BIND | 127.0.0.1:8000 | address (or unix:/run/ketenconf/web.sock) to listen on |
| KETENCONF_WEB_WORKERS | 2 x CPUs + 1 | worker processes |
| KETENCONF_WEB_THREADS | 4 | threads per worker process (gthread) |
| KETENCONF_WEB_TIMEOUT | 30 | seconds a request may take before its worker is restarted |
| KETENCONF_BEHIND_PROXY | false | trust X-Forwarded-* from KETENCONF_FORWARDED_ALLOW_IPS |
| KETENCONF_FORWARDED_ALLOW_IPS | 127.0.0.1,::1 | addresses of the reverse proxy |
| KETENCONF_ACCESS_LOG | - (stderr) | access log file; "off" for none |
| KETENCONF_LOG_FORMAT | text | "json": access log lines as JSON, like the app's log |
| KETENCONF_CONTROL_SOCKET | off | path of gunicorn's control socket (for gunicornc) |

Every access log line carries the request id the app put in the response's X-Request-ID
(taken from the proxy's X-Request-ID when it sent a sane one), so a line of the access log
leads to every log record of that request and of the tasks it enqueued.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

from gunicorn.glogging import Logger


def _env(name: str, default: str = "") -> str:
    return os.environ.get(f"KETENCONF_{name}", default)


def _env_bool(name: str) -> bool:
    return _env(name).strip().lower() in {"1", "true", "yes", "on"}


def default_workers(cpus: int | None = None) -> int:
    return 2 * (cpus or os.cpu_count() or 1) + 1


bind = [_env("BIND", "127.0.0.1:8000")]
workers = int(_env("WEB_WORKERS") or default_workers())
worker_class = "gthread"
threads = int(_env("WEB_THREADS", "4"))
timeout = int(_env("WEB_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
backlog = 2048
# A worker is replaced after this many requests (give or take), so a slow leak cannot grow.
max_requests = 5000
max_requests_jitter = 500
# The app is imported in each worker, not the master: a `kill -HUP` loads new code.
preload_app = False
# Many app servers on one machine (tests, benchmarks) must not share one control socket.
control_socket_disable = not _env("CONTROL_SOCKET")
if _env("CONTROL_SOCKET"):
    control_socket = _env("CONTROL_SOCKET")

if _env_bool("BEHIND_PROXY"):
    forwarded_allow_ips = _env("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

accesslog = None if _env("ACCESS_LOG").lower() == "off" else (_env("ACCESS_LOG") or "-")
errorlog = "-"
loglevel = _env("LOG_LEVEL", "info").lower()
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" request_id=%({x-request-id}o)s'


class AccessLogger(Logger):
    """gunicorn's logger; with KETENCONF_LOG_FORMAT=json each access line is a JSON object."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if _env("LOG_FORMAT").lower() != "json":
            super().access(resp, req, environ, request_time)
            return
        if not self.access_log_enabled:
            return
        atoms = self.atoms_wrapper_class(self.atoms(resp, req, environ, request_time))
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "request_id": atoms["{x-request-id}o"],
            "remote": atoms["h"],
            "method": atoms["m"],
            "path": atoms["U"],
            "query": atoms["q"],
            "status": int(atoms["s"]) if str(atoms["s"]).isdigit() else atoms["s"],
            "bytes": atoms["B"],
            "ms": atoms["M"],
            "user_agent": atoms["a"],
            "process": os.getpid(),
        }
        self.access_log.info(json.dumps(entry, ensure_ascii=False, default=str))


logger_class = AccessLogger
