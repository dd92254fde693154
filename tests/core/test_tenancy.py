"""Tenancy fails loudly: a query on an edition's rows without an edition's scope raises, in a
scope it sees that edition's rows only, and a new model with a path to an edition fails here
until it is scoped or left out with a reason."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import ForeignKey, Model, OneToOneField
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django_scopes import scope
from django_scopes.state import state

from ketenconf.core.tenancy import (
    EditionScopeMiddleware,
    ScopeError,
    edition_scope,
    edition_scope_of,
    scopes_disabled,
)
from ketenconf.events.models import Edition
from ketenconf.programme.models import Session
from ketenconf.registration.models import Preference, Registration
from tests.factories import EditionFactory, RegistrationFactory

#: Models with a path to an edition that are not scoped, and why.
UNSCOPED = {
    # The outbox is sent and swept for every edition at once, and a mail need not belong to
    # an edition (an organiser's password reset); its rows name their edition when they have one.
    "mail.OutboxMessage": "sent and swept across editions",
    # Organisations take part in many editions; a name a visitor typed remembers the edition
    # it was typed for (``proposed_in``) only until an organiser accepts it.
    "events.Organisation": "shared by every edition",
}


def with_a_path_to_an_edition() -> set[type[Model]]:
    """Every model with a foreign key to an edition, or to such a model, recursively; not
    through the models left out, whose rows are shared by editions."""
    found: set[type[Model]] = set()
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in found or model is Edition:
                continue
            for field in model._meta.get_fields():
                if not isinstance(field, ForeignKey | OneToOneField):
                    continue
                target = field.related_model
                if target is Edition or (target in found and target._meta.label not in UNSCOPED):
                    found.add(model)
                    changed = True
                    break
    return found


def scoped(model: type[Model]) -> bool:
    """Whether the default manager raises without a scope."""
    token = state.set({})
    try:
        model._default_manager.all().exists()
    except ScopeError:
        return True
    finally:
        state.reset(token)
    return False


@pytest.mark.django_db
def test_every_model_with_a_path_to_an_edition_is_scoped_or_left_out_with_a_reason() -> None:
    models = with_a_path_to_an_edition()
    assert {"programme.Session", "registration.Preference", "proposals.Review"} <= {
        model._meta.label for model in models
    }
    unscoped = sorted(model._meta.label for model in models if not scoped(model))
    assert unscoped == sorted(UNSCOPED)


@pytest.mark.django_db
def test_a_query_on_an_editions_rows_without_a_scope_raises() -> None:
    token = state.set({})
    try:
        with pytest.raises(ScopeError):
            list(Registration.objects.filter(email="a@example.org"))
        with pytest.raises(ScopeError):
            Preference.objects.count()
        with pytest.raises(ScopeError):
            Session.objects.get(pk=1)
    finally:
        state.reset(token)


@pytest.mark.django_db
def test_in_an_editions_scope_a_query_sees_that_editions_rows_only() -> None:
    first, second = EditionFactory(), EditionFactory()
    mine = RegistrationFactory(edition=first, email="a@example.org")
    RegistrationFactory(edition=second, email="a@example.org")
    with edition_scope(first):
        assert list(Registration.objects.filter(email="a@example.org")) == [mine]
        assert list(Registration.objects.all()) == [mine]
    with edition_scope_of(Registration, mine.pk):
        assert Registration.objects.count() == 1
    with scope(edition=None), scopes_disabled():
        assert Registration.objects.count() == 2


def test_a_request_starts_without_the_tests_scope() -> None:
    """The tests run with scopes disabled; a request must not inherit that, or a view that
    forgets its edition would pass here and fail in production."""
    seen: list[dict[str, object]] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(dict(state.get() or {}))
        return HttpResponse()

    with scopes_disabled():
        EditionScopeMiddleware(view)(RequestFactory().get("/"))
    assert seen[0]["_enabled"] is True
    assert "edition" not in seen[0]


@pytest.mark.django_db
def test_a_public_page_runs_in_its_editions_scope(client: Client) -> None:
    edition = EditionFactory(slug="ketenconferentie-2027")
    response = client.get("/ketenconferentie-2027/")
    assert response.status_code == 200
    assert edition.pk
