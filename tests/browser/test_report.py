"""An organiser reads the conference report in Chromium: the figures, the charts as images with
names, no Content Security Policy errors, and axe finds nothing against WCAG 2.1 AA."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import assert_accessible
from tests.evaluation.test_report import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organiser_reads_the_report(live_server: Any, page: Any) -> None:
    built = build()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    start = f"/organise/{built.edition.slug}/report/"
    page.goto(f"{live_server.url}/organise/login/?next={start}")
    page.locator("#id_username").fill(built.organiser.username)
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}{start}")
    assert page.locator("#registered").inner_text() == "8"
    assert page.locator("#attended").inner_text() == "6"
    assert page.locator("#pairs").inner_text() == "7"
    assert page.locator("#by-kind tbody tr").count() == 4
    assert page.locator("#kind-matrix tbody tr").count() == 4
    assert page.locator("#quotes li").count() == 2
    network = page.locator("#network-chart")
    assert network.is_visible()
    assert network.get_attribute("role") == "img"
    assert page.locator("svg.kc-chart[role=img]").count() == 10
    assert_accessible(page)
    assert csp_errors == []

    # The workspace's list of editions leads back to it, through the dashboard.
    page.goto(f"{live_server.url}/organise/")
    page.locator("#editions a").filter(has_text=built.edition.title).click()
    page.get_by_role("navigation", name=f"Onderdelen van {built.edition.title}").get_by_role(
        "link", name="Enquête en rapport"
    ).click()
    page.wait_for_url(f"{live_server.url}{start}")
    assert_accessible(page)
