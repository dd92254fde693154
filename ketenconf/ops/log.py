"""Log records that carry the request id, and a JSON-lines formatter.

``KETENCONF_LOG_FORMAT=json`` makes every line one JSON object: ``time``, ``level``,
``logger``, ``message``, ``request_id`` (empty outside a request or task), ``process``,
``thread``, and ``exception`` when there is one. The plain format shows the request id in
brackets.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from .context import request_id_get

_installed = False

#: The logger of the access log: one line per request (``RequestIdMiddleware``).
ACCESS_LOGGER = "ketenconf.access"


def install_record_factory() -> None:
    """Give every log record a ``request_id`` attribute, whatever logger or handler it meets."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if not hasattr(record, "request_id"):
            record.request_id = request_id_get()
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


class RequestIdFilter(logging.Filter):
    """For records made before the factory is installed: adds ``request_id`` when missing."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for a log collector."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id_get(),
            "process": record.process,
            "thread": record.threadName,
        }
        access = getattr(record, "access", None)
        if isinstance(access, dict):  # a line of the access log: its fields, each on its own
            entry.update(access)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, level: str, json_lines: bool, access_log: str = "off") -> dict[str, Any]:
    """The LOGGING setting: to stderr, plain or JSON lines, each record with its request id.

    ``access_log``: where the ``ketenconf.access`` lines go: ``-`` (stderr), a file, or
    ``off``; written whatever ``level`` is.
    """
    formatter: dict[str, Any] = (
        {"()": "ketenconf.ops.log.JsonFormatter"}
        if json_lines
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    handlers: dict[str, Any] = {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "default",
            "filters": ["request_id"],
        }
    }
    loggers: dict[str, Any] = {"django.server": {"level": "WARNING"}}
    if access_log.lower() == "off":
        loggers[ACCESS_LOGGER] = {"level": "CRITICAL", "propagate": False}
    else:
        handlers["access"] = (
            handlers["console"]
            if access_log == "-"
            else {**handlers["console"], "class": "logging.FileHandler", "filename": access_log}
        )
        loggers[ACCESS_LOGGER] = {"handlers": ["access"], "level": "INFO", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "ketenconf.ops.log.RequestIdFilter"}},
        "formatters": {"default": formatter},
        "handlers": handlers,
        "root": {"handlers": ["console"], "level": level},
        "loggers": loggers,
    }
