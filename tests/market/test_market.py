"""The market through its services and pages: apply, decide, place, move, the public pages,
saving a stand to the personal programme."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from ketenconf.events.models import Edition
from ketenconf.mail.models import OutboxMessage
from ketenconf.market import services
from ketenconf.market.models import SavedStand, Stand, StandStatus
from tests.factories import RegistrationFactory, UserFactory
from tests.networking.conftest import logged_in

from .conftest import grid, stand

pytestmark = pytest.mark.django_db

MARKET = "/en/ketenconferentie-2027/market/"


def apply_form(**changes: Any) -> dict[str, Any]:
    return {
        "organisation": "VluchtelingenWerk Nederland",
        "name": "Vrijwilligers in de opvang",
        "description": "Hoe vrijwilligers nieuwkomers begeleiden.",
        "themes": ["reception", "integration"],
        "needs_power": "on",
        "other_needs": "",
        "contact_name": "Sanne Visser",
        "contact_email": "sanne@vluchtelingenwerk.example",
        "language": "en",
        **changes,
    }


def test_apply_mails_a_link_that_lets_the_applicant_change_and_withdraw(
    edition: Edition, client: Client
) -> None:
    response = client.post(f"{MARKET}apply/", apply_form())
    assert response.status_code == 200
    applied = Stand.objects.get()
    assert (applied.organisation.name, applied.themes, applied.needs_power) == (
        "VluchtelingenWerk Nederland",
        ["reception", "integration"],
        True,
    )
    mail = OutboxMessage.objects.get(to="sanne@vluchtelingenwerk.example")
    assert mail.subject == "Your stand application for Chain Conference 2027"
    found = re.search(r"https?://[^/\s]+(/\S*/market/apply/\S+/)", mail.body_text)
    assert found is not None
    link = found.group(1)
    assert client.get(link).status_code == 200
    changed = apply_form(name="Vrijwilligers overal", themes=["minors"])
    assert client.post(link, changed).status_code == 302
    applied.refresh_from_db()
    assert (applied.name, applied.themes) == ("Vrijwilligers overal", ["minors"])
    client.post(link, {"withdraw": "1"})
    assert Stand.objects.get().status == StandStatus.WITHDRAWN
    assert client.get(link.replace("/apply/", "/apply/x")).status_code == 400


def test_bad_application_input_changes_nothing(edition: Edition, client: Client) -> None:
    response = client.post(
        f"{MARKET}apply/", apply_form(contact_email="not-an-address", themes=["golf"])
    )
    assert response.status_code == 422
    assert Stand.objects.count() == 0


def test_decide_place_and_move_by_hand(edition: Edition) -> None:
    positions = grid(edition, 1, 4, power=(4,))
    coa_a = stand(edition, "COA opvang", themes=("reception",), accepted=False)
    coa_b = stand(edition, "COA wonen", coa_a.organisation, ("housing",), accepted=False)
    power = stand(
        edition, "IND digitaal", themes=("asylum_procedure",), accepted=False, needs_power=True
    )
    for item in (coa_a, coa_b, power):
        services.stand_decide(stand=item, accept=True)
    assert OutboxMessage.objects.filter(topic="market/mail/accepted").count() == 3
    result = services.stands_place(edition=edition)
    assert result.unplaced == ()
    placed = {s.name: s.position.number for s in Stand.objects.select_related("position")}
    assert placed["IND digitaal"] == 4
    assert abs(placed["COA opvang"] - placed["COA wonen"]) == 1
    # Moving the power stand to a position without power is refused, with a clear message.
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.stand_move(stand=power, position=positions[0])
    assert raised.value.messages == ["IND digitaal needs power, which position 1 lacks."]
    # Moving onto an occupied position swaps the two; both stay put on the next placement.
    coa_a.refresh_from_db()
    coa_b.refresh_from_db()
    was_a, was_b = coa_a.position_id, coa_b.position_id
    services.stand_move(stand=coa_a, position=coa_b.position)
    services.stands_place(edition=edition)
    coa_a.refresh_from_db()
    coa_b.refresh_from_db()
    assert (coa_a.position_id, coa_b.position_id) == (was_b, was_a)
    assert (coa_a.position_locked, coa_b.position_locked) == (True, True)


def test_market_page_lists_stands_by_theme_and_draws_them_as_links(
    edition: Edition, client: Client
) -> None:
    grid(edition, 1, 3)
    stand(edition, "Terugkeer", themes=("return",))
    stand(edition, "Wonen", themes=("housing", "return"))
    stand(edition, "Niet gekozen", themes=("return",), accepted=False)
    services.stands_place(edition=edition)
    response = client.get(MARKET)
    html = response.content.decode()
    assert response.status_code == 200
    labels = re.findall(r'<a href="[^"]+/market/stands/\d+/" aria-label="([^"]+)"', html)
    assert sorted(labels) == sorted(
        f"Stand {s.position.number}: {s.name}, {s.organisation.name}"
        for s in Stand.objects.filter(status="accepted").select_related("position", "organisation")
    )
    headings = re.findall(r'<h3 class="utrecht-heading-3" id="theme-(\w+)">', html)
    assert headings == ["housing", "return"]
    assert "Niet gekozen" not in html


@pytest.mark.parametrize("count", [1, 3])
def test_market_page_queries_do_not_grow_with_the_stands(
    edition: Edition, client: Client, count: int, django_assert_num_queries: Any
) -> None:
    grid(edition, 2, 3)
    for n in range(count):
        stand(edition, f"Stand {n}", themes=("return", "housing"))
    services.stands_place(edition=edition)
    with django_assert_num_queries(3):
        client.get(MARKET)


def test_save_a_stand_to_the_personal_programme(edition: Edition, client: Client) -> None:
    grid(edition, 1, 2)
    item = stand(edition, "Terugkeer", themes=("return",))
    services.stands_place(edition=edition)
    detail = f"{MARKET}stands/{item.pk}/"
    response = client.post(f"{detail}save/")
    assert response["Location"] == "/en/ketenconferentie-2027/me/new-link/"
    participant = RegistrationFactory(edition=edition)
    browser = logged_in(participant)
    assert browser.post(f"{detail}save/", {"action": "save"}).status_code == 302
    assert list(SavedStand.objects.values_list("stand__name", flat=True)) == ["Terugkeer"]
    me = browser.get("/en/ketenconferentie-2027/me/").content.decode()
    saved = re.search(r'<ul class="utrecht-unordered-list" id="saved-stands">(.*?)</ul>', me, re.S)
    assert saved is not None
    assert " ".join(re.sub(r"<[^>]+>", "", saved.group(1)).split()) == "Terugkeer — stand 1"
    browser.post(f"{detail}save/", {"action": "unsave"})
    assert SavedStand.objects.count() == 0


def test_organisers_see_the_floor_and_place_automatically(edition: Edition, client: Client) -> None:
    stand(edition, "Terugkeer", themes=("return",))
    client.force_login(UserFactory(organisation=edition.lead_organisation))
    url = f"/admin/market/stand/floor/{edition.pk}/"
    client.post(url, {"grid": "1", "rows": 2, "columns": 3, "power_columns": "1"})
    assert list(edition.floor_positions.values_list("number", "has_power")) == [
        (1, True),
        (2, False),
        (3, False),
        (4, True),
        (5, False),
        (6, False),
    ]
    client.post(url, {"place": "1"})
    assert Stand.objects.get().position is not None
    assert client.get(url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
