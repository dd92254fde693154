"""Who is acting, for the audit trail, when a service is not told: a request's user, an API
token, a participant with their personal link, or the process (worker, command line).

A request sets its source in :class:`AuditSourceMiddleware`; the API's token check and the
participant's pages add what they find to the request; the ``ketenconf`` command and the
worker set the process's own kind. Nothing here queries the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse

from .choices import ActorKind


@dataclass(frozen=True)
class Source:
    kind: str
    label: str = ""
    request: HttpRequest | None = None
    user: Any = None  # the organiser a process acts for (their import in the worker)


_current: ContextVar[Source | None] = ContextVar("ketenconf_audit_source", default=None)
# The process's kind when nothing else says: threads start with an empty context, so the
# worker's second thread (periodic jobs, the outbox sweep) finds the worker here.
_process = Source(kind=ActorKind.SYSTEM)


def process_source_set(kind: str, label: str = "") -> None:
    """What this process is, for changes no request or account makes: the command line or
    the worker (``ketenconf`` sets the first, ``ketenconf worker`` the second)."""
    global _process
    _process = Source(kind=kind, label=label[:200])


@contextmanager
def acting_as(kind: str, label: str = "") -> Iterator[None]:
    """Changes inside are recorded as made by ``kind`` (a task of the worker, the demo)."""
    token = _current.set(Source(kind=kind, label=label[:200]))
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def acting_for(user: Any, label: str = "") -> Iterator[None]:
    """Changes inside are the organiser's, made through ``label`` (their import, in the worker
    or inline): the audit trail names them, not the process."""
    if user is None:
        yield
        return
    token = _current.set(Source(kind=ActorKind.USER, label=label[:200], user=user))
    try:
        yield
    finally:
        _current.reset(token)


def current_source() -> Source:
    return _current.get() or _process


def api_token_acting(request: HttpRequest, token: Any) -> None:
    """The request acts through this API token (for its user)."""
    request.audit_api_token = token  # type: ignore[attr-defined]


def participant_acting(request: HttpRequest, registration: Any) -> None:
    """The request comes from the participant who opened this registration's personal link."""
    request.audit_participant = registration  # type: ignore[attr-defined]


class AuditSourceMiddleware:
    """Each request is the source of the changes it makes (after authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(Source(kind=ActorKind.VISITOR, request=request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
