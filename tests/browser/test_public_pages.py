"""A visitor walks the public pages in a real browser; axe checks each page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_the_programme_switches_language_and_opens_a_session(
    live_server, page, programme_edition
) -> None:
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Conferenties van de migratieketen"
    assert_accessible(page)

    page.get_by_role("link", name="Ketenconferentie 2027").click()
    assert page.locator("h1").inner_text() == "Ketenconferentie 2027"
    assert_accessible(page)

    page.get_by_role("link", name="Bekijk het programma").click()
    assert page.locator("h1").inner_text() == "Programma"
    # On a wide screen: rooms across, time down; the round's row has a cell per room.
    grid = page.get_by_role("table", name="Programma per zaal en tijd")
    assert grid.get_by_role("columnheader").all_inner_texts() == [
        "Tijd",
        "Zaal A",
        "Zaal B (niet drempelvrij)",
        "Zaal C",
    ]
    round_row = grid.get_by_role("row", name="10:30–11:30 Workshopronde 1")
    assert round_row.get_by_role("link", name="Terugkeer", exact=True).is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="English").click()
    assert page.url == live_server.url + "/en/ketenconferentie-2027/programme/"
    assert page.locator("h1").inner_text() == "Programme"
    assert page.get_by_role("table", name="Programme by room and time").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Housing", exact=True).click()
    assert page.locator("h1").inner_text() == "Housing"
    assert page.get_by_text("Zaal B (not step-free)").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Nederlands").click()
    assert page.locator("h1").inner_text() == "Huisvesting"

    page.get_by_role("link", name="Organisatoren").click()
    assert page.get_by_role("row", name="Dienst Terugkeer en Vertrek (lead)").is_visible()
    assert_accessible(page)
    # No script, style or other resource was blocked by the Content Security Policy or missing.
    assert console_errors == []


def test_programme_reads_on_a_phone_without_sideways_scrolling(
    live_server, phone_page, programme_edition
) -> None:
    phone_page.goto(live_server.url + "/ketenconferentie-2027/programme/")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert_accessible(phone_page)


def test_pages_work_without_javascript(browser, live_server, programme_edition) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/ketenconferentie-2027/programme/")
    page.get_by_role("link", name="Terugkeer", exact=True).click()
    assert page.locator("h1").inner_text() == "Terugkeer"
    context.close()


def test_the_accessibility_check_itself_catches_a_broken_page(page) -> None:
    """Guards the guard: axe must report an image without text and an empty link."""
    page.set_content(
        '<html lang="nl"><head><title>t</title></head><body><main><img src="x.png"><a href="#"></a></main></body></html>'
    )
    assert [line.split(":")[0] for line in axe_violations(page)] == ["image-alt", "link-name"]


def test_the_menu_folds_on_a_phone_and_opens_without_javascript(
    browser, live_server, programme_edition
) -> None:
    phone = browser.new_context(
        java_script_enabled=False, locale="nl-NL", viewport={"width": 320, "height": 700}
    )
    page = phone.new_page()
    page.goto(live_server.url + "/ketenconferentie-2027/")
    # The header names the site and the edition's lead organisation.
    assert page.locator("header").get_by_role("link", name="ketenconf", exact=True).is_visible()
    assert page.locator(".kc-header__lead").inner_text() == (
        "onder leiding van Dienst Terugkeer en Vertrek"
    )
    programme = page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Programma"
    )
    assert not programme.is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert programme.is_visible()
    programme.click()
    assert page.locator("h1").inner_text() == "Programma"
    phone.close()

    desktop = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 800})
    page = desktop.new_page()
    page.goto(live_server.url + "/ketenconferentie-2027/")
    assert not page.get_by_text("Menu", exact=True).is_visible()
    assert (
        page.get_by_role("navigation", name="Hoofdmenu")
        .get_by_role("link", name="Programma")
        .is_visible()
    )
    desktop.close()
