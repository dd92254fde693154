from __future__ import annotations

import re

import pytest
from django.test import Client

from ketenconf.events.models import EditionStatus
from ketenconf.programme.models import Session
from tests.factories import EditionFactory, SessionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def text_of(html: bytes) -> str:
    """The page's text as a reader sees it: inline tags vanish, block tags separate words."""
    inline_dropped = re.sub(r"</?(time|span|a|strong|em)\b[^>]*>", "", html.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline_dropped)).strip()


def test_programme_lists_blocks_in_time_order_with_parallel_sessions(
    client: Client, programme_edition
) -> None:
    response = client.get("/ketenconferentie-2027/programme/")
    assert response.status_code == 200
    text = text_of(response.content)
    assert (
        text.index("09:30–10:15 Opening")
        < text.index("10:30–11:30 Workshopronde 1")
        < text.index("16:00–17:00 Netwerkborrel")
    )
    # Rooms are listed largest first, each with its seats.
    round_text = text[text.index("Workshopronde 1") : text.index("Netwerkborrel")]
    assert [m.group(1) for m in re.finditer(r"Zaal ([ABC])", round_text)] == ["A", "B", "C"]
    assert re.findall(r"Zaal ([ABC])(?: \(niet drempelvrij\))? · (\d+) plaatsen", round_text) == [
        ("A", "60"),
        ("B", "40"),
        ("C", "25"),
    ]


def test_programme_in_english_under_en(client: Client, programme_edition) -> None:
    response = client.get("/en/ketenconferentie-2027/programme/")
    assert response.status_code == 200
    text = text_of(response.content)
    assert "Workshop round 1" in text
    assert "Labour migration" in text
    assert "Workshopronde" not in text


def test_session_detail_shows_room_time_hosts_and_sanitised_description(
    client: Client, programme_edition
) -> None:
    session = Session.objects.get(topic__title_nl="Huisvesting")
    session.topic.description_nl = (
        "Over *huisvesting*.<script>alert(1)</script> [link](javascript:alert(1))"
    )
    session.topic.save()
    response = client.get(f"/ketenconferentie-2027/sessions/{session.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<em>huisvesting</em>" in html
    assert "<script>alert" not in html
    assert "javascript:" not in html
    text = text_of(response.content)
    assert "Zaal B (niet drempelvrij)" in text
    assert "10:30–11:30" in text
    assert "Host Huisvesting (Dienst Terugkeer en Vertrek)" in text


def test_draft_edition_is_not_public(client: Client) -> None:
    EditionFactory(slug="concept", status=EditionStatus.DRAFT)
    assert client.get("/concept/").status_code == 404
    assert client.get("/concept/programme/").status_code == 404
    assert "concept" not in client.get("/").content.decode()


def test_session_of_another_edition_is_not_found_under_this_one(
    client: Client, programme_edition
) -> None:
    other = SessionFactory()
    assert client.get(f"/ketenconferentie-2027/sessions/{other.pk}/").status_code == 404


@pytest.mark.parametrize("sessions", [1, 3])
def test_programme_query_count_does_not_grow_with_sessions(
    client: Client, django_assert_num_queries, sessions: int
) -> None:
    edition = EditionFactory(slug="telling")
    first = SessionFactory(edition=edition)
    for _ in range(sessions - 1):
        SessionFactory(edition=edition, block=first.block, topic=TopicFactory(edition=edition))
    # edition (twice: before and after the cache's versions are taken), blocks, sessions, hosts
    with django_assert_num_queries(5):
        response = client.get("/telling/programme/")
    assert response.status_code == 200


@pytest.mark.parametrize("editions", [1, 3])
def test_home_query_count_does_not_grow_with_editions(
    client: Client, django_assert_num_queries, editions: int
) -> None:
    EditionFactory.create_batch(editions)
    with django_assert_num_queries(1):
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count('class="kc-card"') == editions


def test_pages_send_a_strict_content_security_policy(client: Client, programme_edition) -> None:
    response = client.get("/ketenconferentie-2027/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def _session_titles(html: bytes) -> list[str]:
    """The sessions of the list by time (the phone's view), in order."""
    return re.findall(
        r'<h3 class="utrecht-heading-3 kc-session__title"><a [^>]*>([^<]+)</a>', html.decode()
    )


def test_programme_filters_by_theme_and_by_organisation(client: Client, programme_edition) -> None:
    from tests.factories import HostFactory, OrganisationFactory

    Session.objects.filter(topic__title_nl="Terugkeer").first().topic.__class__.objects.filter(
        title_nl__in=["Terugkeer", "Huisvesting"]
    ).update(theme_nl="Vertrek", theme_en="Departure")
    coa = OrganisationFactory(name="Centraal Orgaan opvang asielzoekers")
    HostFactory(
        topic=Session.objects.get(topic__title_nl="Arbeidsmigratie").topic, organisation=coa
    )
    whole = client.get("/ketenconferentie-2027/programme/")
    assert _session_titles(whole.content) == [
        "Welkom",
        "Terugkeer",
        "Huisvesting",
        "Arbeidsmigratie",
    ]
    assert '<option value="Vertrek">Vertrek</option>' in whole.content.decode()

    by_theme = client.get("/ketenconferentie-2027/programme/", {"theme": "Vertrek"})
    assert by_theme.status_code == 200
    assert _session_titles(by_theme.content) == ["Terugkeer", "Huisvesting"]
    assert "2 sessies passen bij uw keuze." in text_of(by_theme.content)
    assert '<option value="Vertrek" selected>' in by_theme.content.decode()

    by_organisation = client.get("/ketenconferentie-2027/programme/", {"organisation": coa.pk})
    assert _session_titles(by_organisation.content) == ["Arbeidsmigratie"]
    in_english = client.get("/en/ketenconferentie-2027/programme/", {"theme": "Departure"})
    assert _session_titles(in_english.content) == ["Return", "Housing"]

    # A value that fits nothing shows nothing, says so, and is no error; the whole programme
    # is still cached as it was.
    nothing = client.get(
        "/ketenconferentie-2027/programme/", {"theme": "Onbekend", "organisation": "x"}
    )
    assert nothing.status_code == 200
    assert "Geen sessie past bij uw keuze." in text_of(nothing.content)
    assert _session_titles(client.get("/ketenconferentie-2027/programme/").content) == [
        "Welkom",
        "Terugkeer",
        "Huisvesting",
        "Arbeidsmigratie",
    ]


def test_each_session_can_be_added_to_a_calendar(client: Client, programme_edition) -> None:
    from icalendar import Calendar

    session = Session.objects.get(topic__title_nl="Huisvesting")
    page = client.get("/ketenconferentie-2027/programme/").content.decode()
    url = f"/ketenconferentie-2027/sessions/{session.pk}/calendar.ics"
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ketenconferentie-2027-session-{session.pk}.ics"'
    )
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [(str(e["summary"]), str(e["location"]).split(",")[0]) for e in events] == [
        ("Huisvesting", "Zaal B")
    ]
    assert events[0]["dtstart"].dt.strftime("%H:%M") == "10:30"
    english = Calendar.from_ical(client.get(f"/en{url}").content).walk("VEVENT")
    assert str(english[0]["summary"]) == "Housing"
    other = SessionFactory()
    assert client.get(f"/ketenconferentie-2027/sessions/{other.pk}/calendar.ics").status_code == 404
