"""Registering and ranking with the keyboard only, on a phone-sized screen: every step is reached
with Tab and done with Enter, the keys or typing; after a failed submit focus is on the error
summary."""

from __future__ import annotations

from typing import Any

import pytest

from ketenconf.events.models import EditionStatus
from ketenconf.registration import links
from ketenconf.registration.models import Registration
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "ketenconferentie-2027"


def focused(page: Any) -> str:
    """The focused element as ``tag#id`` or ``tag:text``, to say where the keyboard is."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e.id ? `${e.tagName.toLowerCase()}#${e.id}`"
        " : `${e.tagName.toLowerCase()}:${e.textContent.trim().slice(0, 60)}`; }"
    )


def tab_to(page: Any, target: str, *, most: int = 60) -> None:
    """Press Tab until ``target`` (as :func:`focused` names it) has focus; fail if Tab never
    reaches it, which is what a keyboard user would run into."""
    seen = []
    for _ in range(most):
        page.keyboard.press("Tab")
        now = focused(page)
        if now == target:
            return
        seen.append(now)
    raise AssertionError(f"Tab never reached {target}; it went through {seen}")


@pytest.fixture
def open_edition(programme_edition: Any) -> Any:
    programme_edition.status = EditionStatus.REGISTRATION_OPEN
    programme_edition.save()
    return programme_edition


@pytest.fixture
def keyboard_page(browser: Any) -> Any:
    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_register_with_the_keyboard_only(
    live_server: Any, keyboard_page: Any, open_edition: Any
) -> None:
    page = keyboard_page
    page.goto(f"{live_server.url}/{SLUG}/")
    # The primary action is a button-styled link, reached by Tab from the top of the page.
    tab_to(page, "a:Aanmelden")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/{SLUG}/register/")
    tab_to(page, "input#id_name")
    page.keyboard.type("Fatima el Amrani")
    page.keyboard.press("Tab")
    assert focused(page) == "input#id_email"
    page.keyboard.type("fatima@example")  # a browser takes it; the server does not
    page.keyboard.press("Tab")
    assert focused(page) == "input#id_organisation"
    page.keyboard.type("Gemeente Utrecht")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form from a text field

    # The server refused the address: focus is on the summary, which links to the field.
    page.wait_for_function("() => document.activeElement.id === 'form-errors'", timeout=3000)
    assert (
        page.get_by_role("alert").inner_text().startswith("Verbeter wat hieronder is aangegeven.")
    )
    assert_accessible(page)
    tab_to(page, "a:E-mailadres: Voer een geldig e-mailadres in.")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # from the target of the link, on to the field it names
    if focused(page) != "input#id_email":
        tab_to(page, "input#id_email")
    page.keyboard.press("Control+A")
    page.keyboard.type("fatima@example.org")
    tab_to(page, "button:Aanmelden")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "U hebt een plaats"
    assert Registration.objects.get(email="fatima@example.org").name == "Fatima el Amrani"


def test_rank_the_workshops_with_the_keyboard_only(
    live_server: Any, keyboard_page: Any, open_edition: Any
) -> None:
    from tests.factories import OrganisationFactory, RegistrationFactory

    registration = RegistrationFactory(
        edition=open_edition, name="Pieter de Vries", organisation=OrganisationFactory()
    )
    page = keyboard_page
    page.goto(
        f"{live_server.url}/{SLUG}/me/link/{links.access_token_create(registration=registration)}/"
    )
    tab_to(page, "button:Open mijn persoonlijke pagina")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/{SLUG}/me/")
    tab_to(page, "a:Rangschik de workshops")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/{SLUG}/me/workshops/")

    first, second = page.get_by_label("Keuze 1"), page.get_by_label("Keuze 2")
    tab_to(page, f"select#{first.get_attribute('id')}")
    page.keyboard.type("Terugkeer")  # a focused select picks the option typed
    tab_to(page, f"select#{second.get_attribute('id')}")
    page.keyboard.type("Huisvesting")
    assert first.evaluate("s => s.selectedOptions[0].text") == "Terugkeer"
    assert second.evaluate("s => s.selectedOptions[0].text") == "Huisvesting"

    tab_to(page, "button:Mijn keuzes opslaan")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#ranked-workshops li").all_inner_texts() == ["Terugkeer", "Huisvesting"]

    # Back on the ranking page, move the second choice up with its button (htmx): focus stays
    # on the moved workshop's button, which now can only go down.
    tab_to(page, "a:Uw workshopkeuzes wijzigen")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    housing = page.get_by_label("Keuze 2").input_value()
    tab_to(page, f"button#move-up-{housing}")
    page.keyboard.press("Enter")
    page.locator("#ranking-status").filter(has_text="Huisvesting is nu keuze 1.").wait_for()
    assert focused(page) == f"button#move-down-{housing}"
    assert_accessible(page)
    tab_to(page, "button:Mijn keuzes opslaan")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#ranked-workshops li").all_inner_texts() == ["Huisvesting", "Terugkeer"]
