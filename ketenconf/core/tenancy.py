"""Tenancy that fails loudly: a query on an edition's rows raises unless it runs in a scope.

Every model whose rows belong to one edition gets its default manager from
:func:`edition_scoped`, django-scopes' ``ScopedManager`` on the dimension ``edition``
(pretix and pretalx do the same with ``event``). Outside a scope such a manager's queries
raise ``ScopeError``; inside ``edition_scope(edition)`` they are filtered to that edition
as well, whatever the query itself says; inside ``scopes_disabled()`` they run unchanged.

Where the scope comes from:

- a request: :class:`EditionScopeMiddleware` starts every request with an empty scope, and
  the one place each part resolves its edition (``events.selectors.edition_public_get``,
  ``registration.hot_path.public_edition``, ``workspace.access.edition_access``, the
  organisers' API) calls :func:`edition_scope_enter`; the Django admin, which repairs rows
  of any edition, runs with scopes disabled;
- a task, a management command, the demo: ``with edition_scope(edition):`` around the work
  on one edition, ``with scopes_disabled():`` around work that crosses editions (periodic
  jobs, purges, the outbox, cross-edition reports).

Relations followed from a row (``session.block``) use the model's base manager, which is
not scoped: only queries that start from a manager are checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django_scopes import ScopedManager, scope, scopes_disabled
from django_scopes.exceptions import ScopeError
from django_scopes.state import state

if TYPE_CHECKING:
    from ketenconf.events.models import Edition

__all__ = [
    "EditionScopeMiddleware",
    "ScopeError",
    "edition_scope",
    "edition_scope_enter",
    "edition_scope_of",
    "edition_scoped",
    "scopes_disabled",
    "with_scopes_disabled",
]

P = ParamSpec("P")
R = TypeVar("R")

# Marks the scope a request started with: only there may edition_scope_enter add the edition.
_REQUEST = "_request"


def edition_scoped(path: str = "edition") -> Any:
    """The default manager of a model whose rows belong to one edition; ``path`` leads from
    the model to its edition (``"registration__edition"`` for a registration's rows)."""
    return ScopedManager(edition=path)


@contextmanager
def edition_scope(edition: Edition | int) -> Iterator[None]:
    """Queries of edition-scoped models inside are allowed and limited to ``edition``."""
    with scope(edition=edition if isinstance(edition, int) else edition.pk):
        yield


@contextmanager
def edition_scope_of(model: type[Model], pk: int) -> Iterator[None]:
    """The scope of the edition a row belongs to, for a task that is given the row's key
    (a run, a batch, an import); a row that is gone leaves the scope without an edition."""
    path = f"{model._meta.get_field('edition').name}_id"
    with scopes_disabled():
        edition_id = model._default_manager.filter(pk=pk).values_list(path, flat=True).first()
    with scope(edition=edition_id):
        yield


def with_scopes_disabled(function: Callable[P, R]) -> Callable[P, R]:
    """For a function that legitimately crosses editions (a periodic job, a purge)."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with scopes_disabled():
            return function(*args, **kwargs)

    return wrapper


def edition_scope_enter(edition: Edition) -> None:
    """The request being answered is about ``edition`` from here on: called where a view,
    the API or the workspace resolves the edition of its address. Outside a request (a test,
    a command) it changes nothing: those say their scope with :func:`edition_scope`."""
    current = state.get()
    if current is None or not current.get(_REQUEST) or current.get("edition") == edition.pk:
        return
    state.set({**current, "edition": edition.pk})


class EditionScopeMiddleware:
    """Every request starts with a scope of its own that names no edition, so that a query on
    an edition's rows before the edition is known raises, in a test as in production; the
    Django admin runs with scopes disabled."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = state.set({"_enabled": True, _REQUEST: True})
        try:
            return self.get_response(request)
        finally:
            state.reset(token)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> None:
        match = request.resolver_match
        if match is not None and "admin" in match.namespaces:
            state.set({**(state.get() or {}), "_enabled": False})
        return None
