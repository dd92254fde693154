"""Inviting and accepting in Chromium: the lead organiser invites from the People page, the
invited person opens the link from the mail, makes an account and lands in the workspace;
axe finds nothing, and no page scrolls sideways at 320, 390 or 1280 px."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ketenconf.mail.models import OutboxMessage
from ketenconf.team.models import EditionRole, Invitation, Role
from tests.browser.conftest import assert_accessible, visit_at_every_width
from tests.team.conftest import Team, team  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "ketenconferentie-2027"
PASSWORD = "correct horse battery staple"


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/organise/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{base}/organise/")


def test_a_lead_organiser_invites_and_the_invited_person_accepts(
    live_server: Any,
    browser: Any,
    team: Team,  # noqa: F811
) -> None:
    base = live_server.url
    lead = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 800})
    page = lead.new_page()
    log_in(page, base, "lead")
    page.goto(f"{base}/organise/{SLUG}/")
    page.locator("summary", has_text="Onderdelen van deze editie").click()
    page.get_by_role("link", name="Mensen").click()
    page.wait_for_url(f"{base}/organise/{SLUG}/team/")
    assert_accessible(page)
    page.get_by_label("E-mailadres", exact=True).fill("nina@coa.example")
    page.get_by_label("Rol", exact=True).select_option("host")
    page.get_by_label("Huisvesting").check()
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.get_by_text("De uitnodiging is onderweg naar nina@coa.example.").wait_for()
    assert "nina@coa.example" in page.locator("#invitations").inner_text()
    assert_accessible(page)
    lead.close()

    mail = OutboxMessage.objects.get(to="nina@coa.example")
    link = re.search(r"http://\S+/organise/invitation/\S+/", mail.body_text)
    assert link is not None
    path = "/" + link.group(0).split("://", 1)[1].split("/", 1)[1]

    invited = browser.new_context(locale="nl-NL", viewport={"width": 320, "height": 700})
    page = invited.new_page()
    page.goto(base + path)
    assert_accessible(page)
    page.get_by_label("Voornaam").fill("Nina")
    page.get_by_label("Wachtwoord", exact=True).fill("kort")
    page.get_by_label("Het wachtwoord nog eens").fill("kort")
    page.get_by_role("button", name="Mijn account maken en accepteren").click()
    page.locator(".kc-error").first.wait_for()
    assert_accessible(page)  # the errors are announced with the fields
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD + " 2")
    page.get_by_label("Het wachtwoord nog eens").fill(PASSWORD + " 2")
    page.get_by_role("button", name="Mijn account maken en accepteren").click()
    page.wait_for_url(f"{base}/organise/")
    assert "Uw rol: host" in page.locator("#editions").inner_text()
    page.get_by_role("link", name="Ketenconferentie 2027").click()
    page.wait_for_url(f"{base}/organise/{SLUG}/sessions/")
    assert "Huisvesting" in page.locator("h2").first.inner_text()
    assert_accessible(page)
    row = EditionRole.objects.get(user__email="nina@coa.example")
    assert row.role == Role.HOST

    page.goto(base + path)  # used: a clear page
    assert "Deze uitnodiging is al geaccepteerd" in page.locator("#problem").inner_text()
    assert_accessible(page)
    invited.close()


def test_the_team_pages_at_every_width(live_server: Any, browser: Any, team: Team) -> None:  # noqa: F811
    from ketenconf.team.services import invitation_send

    invitation_send(edition=team.edition, email="wacht@example.org", role=Role.DOOR, by=team.lead)
    assert Invitation.objects.count() == 1
    door = EditionRole.objects.get(user=team.door)
    visit_at_every_width(
        browser,
        live_server.url,
        [
            f"/organise/{SLUG}/team/",
            f"/organise/{SLUG}/team/{door.pk}/",
            f"/organise/{SLUG}/team/{door.pk}/remove/",
            f"/organise/{SLUG}/team/invitations/{Invitation.objects.get().pk}/remove/",
        ],
        log_in=lambda page: log_in(page, live_server.url, "lead"),
    )
    visit_at_every_width(
        browser,
        live_server.url,
        [f"/organise/{SLUG}/sessions/"],
        log_in=lambda page: log_in(page, live_server.url, "host"),
    )
