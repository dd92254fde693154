"""The request id of the work in hand: a request, or a task that a request enqueued.

A context variable, so each thread of a gthread worker (and each task in the worker) has its
own; ``log.install_record_factory`` copies it onto every log record.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar, Token

_request_id: ContextVar[str] = ContextVar("ketenconf_request_id", default="")

#: What we accept from a client or proxy: letters, digits and ``-_.:@``, up to 128 characters,
#: so a header cannot smuggle newlines or markup into the logs.
SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}")


def request_id_get() -> str:
    return _request_id.get()


def request_id_set(value: str) -> Token[str]:
    return _request_id.set(value)


def request_id_reset(token: Token[str]) -> None:
    _request_id.reset(token)


def request_id_from_header(value: str | None) -> str:
    """The client's id when it is sane, else a new one (32 hex digits)."""
    if value and SANE.fullmatch(value):
        return value
    return uuid.uuid4().hex
