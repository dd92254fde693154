"""The door page in Chromium on a phone: a hardware scanner types a badge code and presses
Enter; the answer is swapped in, announced (role="status") and unmistakable; axe finds nothing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from ketenconf.checkin.models import CheckIn
from ketenconf.checkin.tokens import badge_token
from tests.browser.conftest import assert_accessible
from tests.checkin.conftest import make_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshot(page: Any, name: str) -> None:
    """Keep a screenshot when KETENCONF_SCREENSHOTS names a folder, for a person to look at."""
    folder = os.environ.get("KETENCONF_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        # caret="initial": hiding the caret would add an inline style, which the CSP refuses.
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True, caret="initial")


def test_door_page_on_a_phone_with_a_typed_badge_code(live_server: Any, phone_page: Any) -> None:
    day = make_day()
    page = phone_page
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(f"{page.url} {message.location} {message.text[:60]}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    door = f"/organise/{day.edition.slug}/checkin/doors/2/"
    page.goto(f"{live_server.url}/organise/login/?next={door}")
    page.locator("#id_username").fill(day.door_staff.username)
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}{door}")
    field = page.locator("#scan_token")
    assert field.evaluate("element => element === document.activeElement")
    assert_accessible(page)

    # A hardware scanner types the code and presses Enter.
    field.fill(badge_token(registration=day.people["anna"]))
    field.press("Enter")
    answer = page.locator("#scan-result .kc-scan")
    answer.wait_for()
    assert answer.get_attribute("data-outcome") == "welcome"
    assert "kc-scan--ok" in (answer.get_attribute("class") or "")
    assert "Anna de Vries" in answer.inner_text()
    assert page.locator("#scan-result").get_attribute("role") == "status"
    assert page.url == f"{live_server.url}{door}"  # swapped in, not a new page
    # Ready for the next badge: the field is empty and has the focus.
    assert field.input_value() == ""
    assert field.evaluate("element => element === document.activeElement")
    assert_accessible(page)
    screenshot(page, "door-green")

    # The same badge again: red, with the time and the door.
    field.fill(badge_token(registration=day.people["anna"]))
    field.press("Enter")
    page.locator('#scan-result .kc-scan[data-outcome="already"]').wait_for()
    red = page.locator("#scan-result .kc-scan")
    assert "kc-scan--stop" in (red.get_attribute("class") or "")
    first = CheckIn.objects.get()
    assert CheckIn.objects.count() == 1
    from django.utils import timezone

    assert f"{timezone.localtime(first.at):%H:%M}" in red.inner_text()
    assert_accessible(page)
    screenshot(page, "door-red")

    # A cancelled registration, found by the keyboard alone.
    field.fill(badge_token(registration=day.people["eva"]))
    field.press("Enter")
    page.locator('#scan-result .kc-scan[data-outcome="cancelled"]').wait_for()
    assert "Eva Visser" in page.locator("#scan-result").inner_text()
    assert CheckIn.objects.count() == 1
    assert csp_errors == []
