"""In Chromium: the public market page with its SVG floor plan, a stand, saving it. axe clean."""

from __future__ import annotations

from typing import Any

import pytest

from ketenconf.market import services
from ketenconf.market.models import SavedStand
from ketenconf.registration import links
from tests.browser.conftest import assert_accessible
from tests.browser.test_networking import screenshot
from tests.factories import OrganisationFactory, RegistrationFactory
from tests.market.conftest import edition, grid, stand

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_market_page_floor_plan_and_saving_a_stand(
    live_server: Any, page: Any, edition: Any
) -> None:
    grid(edition, 3, 5, power=(1, 5))
    coa = OrganisationFactory(name="Centraal Orgaan opvang asielzoekers", short_name="COA")
    stand(edition, "Wonen na de opvang", coa, ("housing", "integration"))
    stand(edition, "Vrijwilligers in de opvang", coa, ("reception",))
    ind = OrganisationFactory(name="Immigratie- en Naturalisatiedienst", short_name="IND")
    stand(
        edition,
        "Digitaal aanvragen",
        ind,
        ("asylum_procedure", "information_exchange"),
        needs_power=True,
    )
    dtv = OrganisationFactory(name="Dienst Terugkeer en Vertrek", short_name="DT&V")
    terugkeer = stand(edition, "Vertrek in beeld", dtv, ("return",))
    vwn = OrganisationFactory(name="VluchtelingenWerk Nederland", short_name="VWN")
    stand(edition, "Begeleiding nieuwkomers", vwn, ("integration", "minors"))
    services.stands_place(edition=edition)

    page.goto(f"{live_server.url}/en/{edition.slug}/market/")
    assert page.locator("h1").inner_text() == "Information market"
    assert page.locator("#floor-plan a").count() == 5
    assert_accessible(page)
    screenshot(page, "market")
    terugkeer.refresh_from_db()
    label = f"Stand {terugkeer.position.number}: Vertrek in beeld, Dienst Terugkeer en Vertrek"
    page.get_by_role("link", name=label).click()
    assert page.locator("h1").inner_text() == "Vertrek in beeld"
    assert_accessible(page)

    participant = RegistrationFactory(edition=edition, name="Fatima el Amrani")
    token = links.access_token_create(registration=participant)
    page.goto(f"{live_server.url}/en/{edition.slug}/me/link/{token}/")
    page.get_by_role("button", name="Open my personal page").click()
    page.goto(f"{live_server.url}/en/{edition.slug}/market/stands/{terugkeer.pk}/")
    page.get_by_role("button", name="Save to my programme").click()
    assert page.locator("#saved-note").inner_text() == "This stand is on your personal programme."
    assert list(SavedStand.objects.values_list("stand__name", flat=True)) == ["Vertrek in beeld"]
    page.goto(f"{live_server.url}/en/{edition.slug}/market/")
    assert page.get_by_role("link", name=f"{label} (saved)").count() == 1
    assert_accessible(page)
    screenshot(page, "market-saved")


__all__ = ["edition"]  # the fixture, imported for this module
