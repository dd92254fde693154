"""The API's interactive documentation: served from the site itself, readable on a phone and
on a desktop, axe clean."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import WIDTHS, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", WIDTHS)
def test_api_docs_show_every_endpoint_from_the_site_itself(
    live_server: Any, browser: Any, width: int
) -> None:
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator("h1").first.inner_text() == "API-documentatie"
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/editions/{slug}/registrations" in [p.replace("\n", "") for p in paths]
    assert sum("/organiser/" in path for path in paths) >= 10

    # An operation opens and shows what it answers.
    page.locator(".opblock-summary-control").first.click()
    page.locator(".responses-table").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    # Everything came from the site (no CDN), and nothing was blocked by the CSP.
    assert hosts == {urlsplit(live_server.url).netloc}
    assert console_errors == []
    context.close()
