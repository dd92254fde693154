from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


# django_db_blocker is not among them: pytest-django's own autouse fixtures ask for it.
_DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_setup", "django_db_reset_sequences", "live_server"}
)


def _touches_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(fixtures & _DATABASE_FIXTURES) or item.get_closest_marker("django_db") is not None


def _run_once(config: pytest.Config, items: list[pytest.Item], vendor: str) -> None:
    """With KETENCONF_TEST_ONCE=1 (make test, which runs the suite on both databases), a test
    that never touches a database runs only on SQLite, and a browser test only on
    PostgreSQL: running either twice proves nothing more and costs CI minutes."""
    if os.environ.get("KETENCONF_TEST_ONCE") != "1":
        return
    if vendor == "postgresql":
        twice = [
            item
            for item in items
            if not _touches_database(item) and "postgres" not in item.keywords
        ]
    else:
        twice = [item for item in items if "browser" in item.keywords]
    if twice:
        config.hook.pytest_deselected(items=twice)
        left = set(map(id, twice))
        items[:] = [item for item in items if id(item) not in left]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.db import connection

    _run_once(config, items, connection.vendor)
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: make test runs it with KETENCONF_DATABASE_URL"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _the_sites_language() -> Iterator[None]:
    """Each test starts in the site's language: a request under /en/ activates English for the
    thread, and that must not carry over into the next test."""
    from django.conf import settings
    from django.urls import clear_url_caches
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    # A test that changed LANGUAGE_CODE leaves the resolver's per-language cache of reversed
    # addresses with "/nl/" prefixes, which the next test would then print.
    clear_url_caches()


@pytest.fixture(autouse=True)
def _second_factor(request: pytest.FixtureRequest) -> Iterator[None]:
    """KETENCONF_REQUIRE_2FA is on by default; tests of what an organiser does once signed
    in run with it off, and those marked ``two_factor`` (sign-in itself) with it on. (Not
    through the ``settings`` fixture, whose undoing would then come after other fixtures'.)"""
    from django.test import override_settings

    with override_settings(REQUIRE_2FA=request.node.get_closest_marker("two_factor") is not None):
        yield


@pytest.fixture(autouse=True)
def _no_rows_kept_from_an_earlier_test() -> None:
    """A process keeps some rows for a second (ketenconf.core.process_memo); every test's
    database starts afresh, and so must they."""
    from ketenconf.core.process_memo import ProcessMemo

    ProcessMemo.clear_all()


@pytest.fixture(autouse=True)
def _the_process_acts_as_the_system() -> Iterator[None]:
    """A test that runs the worker or a command in this process makes it that process for
    the audit trail (ketenconf.audit.context); the next test starts as the system again."""
    yield
    from ketenconf.audit.choices import ActorKind
    from ketenconf.audit.context import process_source_set

    process_source_set(ActorKind.SYSTEM)


@pytest.fixture
def programme_edition(db: None) -> object:
    """A published edition: a plenary opening, a round of three workshops, drinks."""
    from tests.factories import (
        BlockFactory,
        EditionFactory,
        HostFactory,
        OrganisationFactory,
        RoomFactory,
        SeriesPartnerFactory,
        SessionFactory,
        TopicFactory,
        at,
    )

    lead = OrganisationFactory(name="Dienst Terugkeer en Vertrek", short_name="DT&V")
    edition = EditionFactory(
        slug="ketenconferentie-2027", lead_organisation=lead, title_nl="Ketenconferentie 2027"
    )
    SeriesPartnerFactory(series=edition.series, organisation=lead, position=1)
    day = edition.start_date
    hall = RoomFactory(edition=edition, name="Grote zaal", capacity=600)
    rooms = [
        RoomFactory(edition=edition, name="Zaal A", capacity=60),
        RoomFactory(edition=edition, name="Zaal B", capacity=40, step_free=False),
        RoomFactory(edition=edition, name="Zaal C", capacity=25),
    ]
    opening = BlockFactory(
        edition=edition,
        kind="plenary",
        title_nl="Opening",
        title_en="Opening",
        start=at(day, 9, 30),
        end=at(day, 10, 15),
    )
    round_1 = BlockFactory(
        edition=edition,
        kind="round",
        title_nl="Workshopronde 1",
        title_en="Workshop round 1",
        start=at(day, 10, 30),
        end=at(day, 11, 30),
    )
    BlockFactory(
        edition=edition,
        kind="drinks",
        title_nl="Netwerkborrel",
        title_en="Networking drinks",
        start=at(day, 16, 0),
        end=at(day, 17, 0),
    )
    keynote = TopicFactory(edition=edition, kind="keynote", title_nl="Welkom", title_en="Welcome")
    HostFactory(topic=keynote, name="Dagvoorzitter", organisation=lead)
    SessionFactory(edition=edition, topic=keynote, block=opening, room=hall)
    titles = [
        ("Terugkeer", "Return"),
        ("Huisvesting", "Housing"),
        ("Arbeidsmigratie", "Labour migration"),
    ]
    for room, (nl, en) in zip(rooms, titles, strict=True):
        topic = TopicFactory(
            edition=edition, title_nl=nl, title_en=en, description_nl=f"Over *{nl.lower()}*."
        )
        HostFactory(topic=topic, name=f"Host {nl}", organisation=lead)
        SessionFactory(edition=edition, topic=topic, block=round_1, room=room)
    return edition


@pytest.fixture(autouse=True)
def _tests_cross_editions() -> Iterator[None]:
    """A test's own set-up and checks read and write the rows of any edition, as the admin
    does; what it calls through a request starts without a scope of its own
    (ketenconf.core.tenancy.EditionScopeMiddleware), and tasks and commands say theirs, so
    a query there that forgets its edition still raises."""
    from django_scopes import scopes_disabled

    with scopes_disabled():
        yield
