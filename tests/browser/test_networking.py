"""In Chromium: a participant opens their personal page, sees a proposed meeting, accepts it.
axe checks every page on the way."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from ketenconf.events.models import EditionStatus
from ketenconf.networking import services
from ketenconf.networking.models import Meeting, MeetingStatus
from ketenconf.registration import links
from tests.browser.conftest import assert_accessible
from tests.networking.conftest import add_tables, edition, organisation, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshot(page: Any, name: str) -> None:
    folder = os.environ.get("KETENCONF_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_accept_a_proposed_meeting(live_server: Any, page: Any, edition: Any) -> None:
    edition.status = EditionStatus.REGISTRATION_OPEN
    edition.save()
    anna = person(edition, "Anna Jansen", organisation("IND"), "return", "housing")
    person(edition, "Bas de Vries", organisation("COA"), "return")
    add_tables(edition, 2)
    services.meetings_propose(edition=edition)
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )

    token = links.access_token_create(registration=anna)
    page.goto(f"{live_server.url}/en/{edition.slug}/me/link/{token}/")
    page.get_by_role("button", name="Open my personal page").click()
    assert page.locator("#my-meetings").inner_text() == (
        "11:00–11:15, table 1: Bas de Vries (Organisatie COA) — awaiting answers"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Your networking").click()
    assert page.locator("h1").inner_text() == "Networking"
    assert_accessible(page)
    screenshot(page, "networking-overview")
    page.get_by_role("button", name="Accept the meeting with Bas de Vries").click()
    assert page.get_by_role("status").first.inner_text() == (
        "You accepted the meeting with Bas de Vries."
    )
    assert "you accepted; waiting for Bas de Vries" in page.locator("#meetings").inner_text()
    assert_accessible(page)
    meeting = Meeting.objects.get()
    assert (meeting.first_answer, meeting.status) == ("accepted", MeetingStatus.PROPOSED)

    page.get_by_role("link", name="Choose your interests").click()
    assert_accessible(page)
    page.get_by_label("unaccompanied minors").check()
    page.get_by_role("button", name="Save").click()
    assert page.locator("#interests").inner_text() == "housing, return, unaccompanied minors"
    assert csp_errors == []


__all__ = ["edition"]  # the fixture, imported for this module
