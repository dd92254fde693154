"""Whatever a client sends, inside the OpenAPI document or outside it, no answer is a 5xx.

Schemathesis generates requests from the document and sends them to the WSGI application
in-process, on the test database.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from ketenconf.api.services import api_token_create
from ketenconf.events.models import EditionStatus
from ketenconf.registration.models import Registration
from ketenconf.wsgi import application
from tests.allocation.test_adapter import make_edition
from tests.factories import EditionFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = 150


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """A WSGI request closes the database connection at its end; the test's transaction
    must survive it (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_request_makes_the_api_fail(settings) -> None:
    settings.RATELIMIT = None
    EditionFactory(slug="open", status=EditionStatus.REGISTRATION_OPEN, capacity=5)
    EditionFactory(slug="closed", status=EditionStatus.REGISTRATION_CLOSED)
    OrganisationFactory(name="Immigratie- en Naturalisatiedienst", short_name="IND")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
        operation_id="registration_create"
    )
    cases = st.one_of(
        schema.as_strategy(mode, path_parameters={"slug": slug})
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        for slug in ("open", "closed", "unknown")
    )
    seen: dict[int, int] = {}

    @given(case=cases)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def request_anything(case: schemathesis.Case) -> None:
        response = case.call()
        seen[response.status_code] = seen.get(response.status_code, 0) + 1
        case.validate_response(response, checks=[not_a_server_error])

    request_anything()
    # The run reached the registration itself, not only the refusals around it.
    assert {201, 422} <= set(seen), seen


ORGANISER_EXAMPLES = 300


def test_no_organiser_request_makes_the_api_fail(settings) -> None:
    """Every operation of the organisers' API, with a real token on a small edition (and with
    another organisation's token, and none): no 5xx, and the run reaches past the refusals."""
    settings.RATELIMIT = None
    small = make_edition()
    small.edition.slug = "keten"
    small.edition.save()
    organiser = api_token_create(user=small.organiser, name="schemathesis")[1]
    stranger = api_token_create(
        user=UserFactory(organisation=OrganisationFactory(name="Politie")), name="other"
    )[1]
    anna = small.people["Anna"].pk
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
        path_regex="^/api/v1/organiser/"
    )
    cases = st.one_of(
        schema.as_strategy(
            mode,
            path_parameters={"slug": slug, "registration_id": anna, "run_id": 1},
        )
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        for slug in ("keten", "keten", "unknown")
    )
    tokens = st.sampled_from([organiser, organiser, organiser, stranger, "kc_bad_token", None])
    seen: dict[int, int] = {}

    @given(case=cases, token=tokens)
    @hypothesis_settings(
        max_examples=ORGANISER_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def request_anything(case: schemathesis.Case, token: str | None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = case.call(headers=headers)
        seen[response.status_code] = seen.get(response.status_code, 0) + 1
        case.validate_response(response, checks=[not_a_server_error])

    request_anything()
    assert {200, 401, 404, 422} <= set(seen), seen
    assert Registration.objects.filter(edition=small.edition).count() >= 4
