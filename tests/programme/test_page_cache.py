"""The whole programme page from the cache: what a visitor gets is the page the view renders,
headers included, and a change to what it shows is there on the next visit."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ketenconf.events.models import Edition, EditionStatus, Venue

pytestmark = pytest.mark.django_db

PAGE = "/ketenconferentie-2027/programme/"
PAGE_EN = "/en/ketenconferentie-2027/programme/"
KEPT = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "X-Frame-Options",
    "Content-Length",
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
)


@pytest.mark.parametrize(("url", "language"), [(PAGE, "nl"), (PAGE_EN, "en")])
def test_the_cached_page_is_the_rendered_page_with_its_headers(
    client: Client,
    programme_edition: Edition,
    django_assert_num_queries: Any,
    url: str,
    language: str,
) -> None:
    rendered = client.get(url)
    with django_assert_num_queries(0):
        cached = client.get(url)
    assert (cached.status_code, cached.content) == (200, rendered.content)
    assert {h: cached.headers.get(h) for h in KEPT} == {h: rendered.headers.get(h) for h in KEPT}
    assert cached.headers["Content-Language"] == language
    assert "frame-ancestors 'none'" in cached.headers["Content-Security-Policy"]
    assert cached.headers["X-Request-ID"] != rendered.headers["X-Request-ID"]
    assert cached.cookies == {}


def test_a_signed_in_organiser_gets_the_same_page_and_no_new_cookie(
    client: Client, programme_edition: Edition
) -> None:
    anonymous = client.get(PAGE).content
    organiser = get_user_model().objects.create_user(username="org", password="x" * 12)
    client.force_login(organiser)
    response = client.get(PAGE)
    assert (response.content, response.cookies) == (anonymous, {})


def test_changes_to_the_edition_and_its_venue_show_at_once(
    client: Client, programme_edition: Edition
) -> None:
    client.get(PAGE)
    programme_edition.title_nl = "Ketenconferentie 2027: Samen"  # type: ignore[attr-defined]
    programme_edition.save()
    assert "<title>Programma · Ketenconferentie 2027: Samen</title>" in client.get(PAGE).text
    venue = Venue.objects.get(pk=programme_edition.venue_id)
    venue.name = "Beatrixgebouw"
    venue.save()
    assert f"Beatrixgebouw, {venue.city}" in client.get(PAGE).text
    programme_edition.status = EditionStatus.DRAFT
    programme_edition.save()
    assert client.get(PAGE).status_code == 404


def test_a_cached_page_still_checks_the_host(client: Client, programme_edition: Edition) -> None:
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE, headers={"Host": "evil.example"}).status_code == 400


def test_a_query_string_goes_to_the_view(
    client: Client, programme_edition: Edition, django_assert_num_queries: Any
) -> None:
    client.get(PAGE)
    with django_assert_num_queries(2):  # the edition, twice; the blocks from the cache
        response = client.get(PAGE + "?from=mail")
    assert response.status_code == 200


def test_a_change_made_by_another_process_shows_within_a_second(
    client: Client, programme_edition: Edition, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another app-server process changes the programme: it bumps the shared version, but this
    process's own copy is not cleared; this process serves its copy until it asks again."""
    from django.core.cache import cache as shared

    from ketenconf.programme import cache as programme_cache

    client.get(PAGE)  # rendered and stored in the shared cache
    assert "Ketenconferentie 2027" in client.get(PAGE).text  # from it, and kept here
    # What the other process does: the row changes and the version in the shared cache moves.
    Edition.objects.filter(pk=programme_edition.pk).update(title_nl="Ketendag 2027")
    shared.set(f"programme:version:{programme_edition.pk}", "changed-elsewhere", timeout=None)
    clock = programme_cache.time.monotonic()
    monkeypatch.setattr(programme_cache.time, "monotonic", lambda: clock + 0.5)
    assert "Ketendag 2027" not in client.get(PAGE).text  # the copy, within the second
    monkeypatch.setattr(
        programme_cache.time, "monotonic", lambda: clock + programme_cache.LOCAL_SECONDS + 0.1
    )
    assert "<title>Programma · Ketendag 2027</title>" in client.get(PAGE).text
