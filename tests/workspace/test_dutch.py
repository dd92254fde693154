"""Every workspace page, and the admin's lists an organiser uses, in Dutch: no English left in
what they show (a model's name, a filter, a month), as far as a word list can tell."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from ketenconf.demo.load import DEFAULT_PASSWORD
from tests.workspace.test_access import EDITIONS, workspace_pages

pytestmark = pytest.mark.django_db

#: English that shows through: words and a month as English writes it ("7 Dec 2026").
ENGLISH = re.compile(
    r"\b(?:edition|editions|round|series|the|and|with|published|registered|"
    r"waiting list|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4})\b",
    re.IGNORECASE,
)

ADMIN_LISTS = [
    "/admin/registration/registration/",
    "/admin/programme/topic/",
    "/admin/events/series/",
    "/admin/events/edition/",
]


def visible_text(html: str) -> str:
    """The text a reader sees: no scripts, styles, tags, attributes, nor the demo's own
    content in an English title attribute or in a text area (the edition's English
    description on the settings page is the organiser's text, not the interface's)."""
    html = re.sub(
        r"<(script|style|svg|template|blockquote|textarea)\b.*?</\1>",
        " ",
        html,
        flags=re.S | re.I,
    )
    html = re.sub(r"<[^>]+>", " ", html)
    return " ".join(unescape(html).split())


#: A short month as Django's "M" writes it in Dutch ("15 Apr 10:30", "7 Dec 2026"): capitalised,
#: where Dutch writes "15 april" (before a year or a time, so that "Jan van Dam" is a name).
SHORT_MONTH = re.compile(
    r"\b\d{1,2} (?:Jan|Feb|Mrt|Apr|Mei|Jun|Jul|Aug|Sep|Okt|Nov|Dec) (?:\d{4}|\d{1,2}:\d\d)\b"
)


def leftovers(text: str) -> list[str]:
    found = {match.group(0) for match in ENGLISH.finditer(text)}
    found.update(match.group(0) for match in SHORT_MONTH.finditer(text))
    return sorted(found)


def test_the_workspace_speaks_dutch(demo: None) -> None:
    client = Client(headers={"Accept-Language": "nl"})
    assert client.login(username="organisator", password=DEFAULT_PASSWORD)
    found: dict[str, list[str]] = {}
    for route, _part in workspace_pages():
        for slug in EDITIONS:
            url = route.replace("<slug:slug>", slug)
            response = client.get(url)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            english = leftovers(visible_text(response.content.decode()))
            if english:
                found[url] = english
    assert found == {}


def test_the_admins_lists_speak_dutch(demo: None) -> None:
    client = Client(headers={"Accept-Language": "nl"})
    assert client.login(username="organisator", password=DEFAULT_PASSWORD)
    found: dict[str, list[str]] = {}
    for url in ADMIN_LISTS:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        english = leftovers(text)
        # Dutch, but the singular for many: "2 reeks" for two series.
        english += re.findall(r"\b(?:[2-9]|\d\d+) reeks\b", text)
        if english:
            found[url] = english
    assert found == {}


def test_the_admins_messages_put_no_wrong_article_before_a_name(demo: None) -> None:
    """Django's Dutch said "De netwerkmoment ‘…’ is met succes verwijderd"; it is "het
    netwerkmoment", as it is "het gesprek", "het onderwerp": the messages name it without one."""
    from ketenconf.networking.models import NetworkingSlot

    client = Client(headers={"Accept-Language": "nl"})
    assert client.login(username="organisator", password=DEFAULT_PASSWORD)
    slot = NetworkingSlot.objects.filter(edition__slug="ketenconferentie-2027").first()
    assert slot is not None
    response = client.post(
        f"/admin/networking/networkingslot/{slot.pk}/delete/", {"post": "yes"}, follow=True
    )
    text = visible_text(response.content.decode())
    assert f"Verwijderd: netwerkmoment “{slot}”." in text
    assert "De netwerkmoment" not in text
