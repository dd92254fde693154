"""A partner proposes a workshop in Chromium and changes it through the mailed link; an
organiser reviews and accepts it, then runs the scheduler. axe checks every page on the way.

Elements are found by name and id rather than by their words, so that the test holds once
the Dutch translations of these pages arrive.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from ketenconf.mail.models import OutboxMessage
from ketenconf.programme.models import Topic
from ketenconf.proposals.models import Proposal, ProposalStatus, ScheduleRun
from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory
from tests.proposals.conftest import call_edition  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def screenshot(page: Any, name: str) -> None:
    """Keep a screenshot when KETENCONF_SCREENSHOTS names a folder, for a person to look at."""
    folder = os.environ.get("KETENCONF_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def watch_console(page: Any) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        # Django's own login page is not ours (its static files 404 under live_server).
        lambda message: (
            problems.append(f"{page.url}: {message.text}")
            if message.type == "error" and "/admin/login/" not in page.url
            else None
        ),
    )
    return problems


def test_a_partner_proposes_and_an_organiser_accepts(
    live_server: Any,
    page: Any,
    settings: Any,
    call_edition: Any,  # noqa: F811  (the fixture imported above)
) -> None:
    settings.BASE_URL = live_server.url
    console = watch_console(page)
    call_url = f"{live_server.url}/en/ketenconferentie-2027/call/"
    page.goto(call_url)
    assert page.locator("h1").inner_text() == "Call for sessions: Chain Conference 2027"
    assert_accessible(page)
    page.locator("#id_title").fill("Samen sneller huisvesten")
    page.locator("#id_summary").fill("Gemeenten en COA delen hoe het sneller kan.")
    page.locator("#id_theme").select_option("housing")
    page.locator("#id_wanted_size").fill("30")
    page.locator("#id_needs_projector").check()
    page.locator(f"#id_available_rounds input[value='{call_edition.rounds[1].pk}']").check()
    # The organisation first: its list of suggestions would catch the click on the button.
    page.locator("#id_host_organisation").fill("COA")
    page.locator("#id_host_name").fill("Anna de Vries")
    page.locator("#id_host_email").fill("anna@coa.nl")
    screenshot(page, "proposals-call")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#submitted")
    assert page.locator("#submitted").inner_text() == (
        "We received “Samen sneller huisvesten”. A personal link to change it and to invite "
        "co-hosts is on its way to anna@coa.nl."
    )
    assert_accessible(page)

    mail = OutboxMessage.objects.get(topic="proposals/submitted")
    link = re.search(r"http://\S+", mail.body_text)
    assert link is not None
    page.goto(link.group(0))
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    proposal = Proposal.objects.get()
    page.wait_for_url(f"{call_url}proposals/{proposal.pk}/")
    assert_accessible(page)
    page.locator("#id_title").fill("Sneller huisvesten, samen")
    page.locator("form:has(#id_title) button[type=submit]").click()
    page.wait_for_selector("main [role=status]")
    proposal.refresh_from_db()
    assert proposal.title == "Sneller huisvesten, samen"
    assert [b.pk for b in proposal.available_rounds.all()] == [call_edition.rounds[1].pk]
    screenshot(page, "proposals-host")

    organiser = UserFactory(
        username="ind-organiser", organisation=call_edition.edition.lead_organisation
    )
    start = f"/organise/{call_edition.edition.slug}/call/"
    page.goto(f"{live_server.url}/admin/login/?next={start}")
    page.locator("#id_username").fill(organiser.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}{start}")
    (row,) = page.locator("#proposals tbody tr").all_inner_texts()
    cells = row.split("\t")
    assert [cells[i] for i in (0, 1, 3, 4, 5)] == [
        "Sneller huisvesten, samen",
        "COA",
        "—",
        "0",
        "—",
    ]
    assert_accessible(page)
    page.locator("#proposals tbody a").click()
    page.wait_for_url(f"{live_server.url}{start}proposals/{proposal.pk}/")
    assert_accessible(page)
    page.locator("#id_score").select_option("4")
    page.locator("#id_comment").fill("Sterk praktijkverhaal.")
    page.locator("form:has(input[value=review]) button[type=submit]").click()
    page.wait_for_selector("#reviews")
    assert page.locator("#reviews li").count() == 1
    page.locator("#id_decision_0").check()
    page.locator("#id_message").fill("Graag met een voorbeeld uit Utrecht.")
    page.locator("form:has(input[value=decide]) button[type=submit]").click()
    page.wait_for_selector("#demand-heading")
    assert_accessible(page)
    screenshot(page, "proposals-review")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert Topic.objects.get().title_nl == "Sneller huisvesten, samen"
    assert OutboxMessage.objects.filter(topic="proposals/accepted", to="anna@coa.nl").count() == 1

    page.goto(f"{live_server.url}{start}schedule/")
    assert_accessible(page)
    page.locator("form:has(input[value=run]) button[type=submit]").click()
    run = ScheduleRun.objects.get()
    page.wait_for_url(f"{live_server.url}{start}schedule/runs/{run.pk}/")
    # In the smallest room that seats the 30 it asks for: Zaal B (30), not Zaal A (60).
    rooms = page.locator("#grid thead th").all_inner_texts()
    assert rooms == ["Zaal A (60)", "Zaal B (30)", "Zaal C (20)"]
    assert page.locator("#grid tbody tr").all_inner_texts()[1].split("\t") == [
        "Ronde 2",
        "—",
        "Sneller huisvesten, samen (30)",
        "—",
    ]
    assert_accessible(page)
    screenshot(page, "proposals-run")
    assert console == []
