"""Organisers' sign-in in Chromium: a password and a code from an authenticator app (computed
here, as the app would), a security key added and used through Chromium's virtual
authenticator, and every sign-in page at 320, 390 and 1280 px, axe clean, in Dutch and English."""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from ketenconf.accounts.services import recovery_codes_renew
from ketenconf.audit.models import AuditEntry
from tests.browser.conftest import (
    LOCALES,
    WIDTHS,
    assert_accessible,
    screenshot_folder,
    visit_at_every_width,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.two_factor, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def app_code(key: bytes) -> str:
    """What the authenticator app shows now, a few seconds before the next code if need be."""
    if 30 - time.time() % 30 < 3:  # too close to the next period to be typed in time
        time.sleep(30 - time.time() % 30 + 0.2)
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def password_step(page: Any, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/organise/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")


def keep(page: Any, name: str) -> None:
    folder = screenshot_folder()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_password_and_app_code_then_a_security_key(browser: Any, live_server: Any) -> None:
    base_url = live_server.url.replace("127.0.0.1", "localhost")  # keys need a domain, not an IP
    user = UserFactory(username="anna")
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)

    # First sign-in: no factor yet, so the page to set one up comes first.
    password_step(page, base_url, "anna")
    page.wait_for_url(f"{base_url}/organise/account/two-factor/setup/?next=%2Forganise%2F")
    assert page.get_by_role("heading", level=1).inner_text() == "Een tweede factor instellen"
    assert_accessible(page)
    keep(page, "setup-nl-1280")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code uit de app").fill(app_code(key))
    page.get_by_role("button", name="App toevoegen").click()
    page.wait_for_url(f"{base_url}/organise/account/recovery-codes/?next=%2Forganise%2F")
    assert page.locator(".kc-codes li").count() == 10
    assert_accessible(page)
    keep(page, "recovery-codes-nl-1280")
    page.get_by_role("link", name="Ik heb ze bewaard, verder").click()
    page.wait_for_url(f"{base_url}/organise/")

    # A security key, through Chromium's virtual authenticator.
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    page.goto(f"{base_url}/organise/account/two-factor/setup/?next=/organise/account/")
    page.get_by_role("button", name="Beveiligingssleutel toevoegen").click()
    page.wait_for_url(f"{base_url}/organise/account/")
    assert WebAuthnCredential.objects.filter(user=user, confirmed=True).count() == 1
    assert AuditEntry.objects.filter(
        target_id=str(user.pk), after={"second factor": "security key"}
    ).exists()
    assert page.locator(".kc-factors li").count() == 2
    assert_accessible(page)
    keep(page, "security-nl-1280")

    # Signing in again: the key answers the second step.
    page.get_by_role("button", name="Uitloggen").click()
    password_step(page, base_url, "anna")
    page.wait_for_url(f"{base_url}/organise/account/two-factor/?next=%2Forganise%2F")
    assert_accessible(page)
    keep(page, "verify-nl-1280")
    page.get_by_role("button", name="Mijn beveiligingssleutel gebruiken").click()
    page.wait_for_url(f"{base_url}/organise/")

    # And once more with a code from the app (the next one: a code is good once).
    page.get_by_role("button", name="Uitloggen").click()
    password_step(page, base_url, "anna")
    page.wait_for_url(f"{base_url}/organise/account/two-factor/?next=%2Forganise%2F")
    time.sleep(30 - time.time() % 30 + 0.2)
    page.get_by_label("Code").fill(app_code(key))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(f"{base_url}/organise/")
    context.close()


def test_sign_in_pages_reflow_and_are_accessible(
    browser: Any, live_server: Any, settings: Any
) -> None:
    base_url = live_server.url
    UserFactory(username="new")
    known = UserFactory(username="known")
    TOTPDevice.objects.create(user=known, name="authenticator app", confirmed=True)
    recovery_codes_renew(user=known)

    def password_only(username: str) -> Any:
        return lambda page: password_step(page, base_url, username)

    visit_at_every_width(browser, base_url, ["/organise/login/"])
    visit_at_every_width(
        browser, base_url, ["/organise/account/two-factor/setup/"], log_in=password_only("new")
    )
    visit_at_every_width(
        browser, base_url, ["/organise/account/two-factor/"], log_in=password_only("known")
    )
    # Single sign-on on: the button, and the page that says why a sign-in was refused.
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    settings.OIDC_CLIENT_ID = settings.OIDC_CLIENT_SECRET = "x"
    settings.OIDC_NAME = "Rijks-SSO"
    settings.OIDC_PASSWORD_LOGIN = False
    visit_at_every_width(browser, base_url, ["/organise/login/"])
    # The refusal answers 403, which visit_at_every_width takes for a fault: looked at here.
    for language, locale in LOCALES.items():
        for width in WIDTHS:
            context = browser.new_context(locale=locale, viewport={"width": width, "height": 800})
            page = context.new_page()
            response = page.goto(f"{base_url}/organise/account/sso/callback/?error=access_denied")
            assert response is not None and response.status == 403
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert_accessible(page)
            keep(page, f"sso-refused-{language}-{width}")
            context.close()
    settings.OIDC_ISSUER = ""
    settings.REQUIRE_2FA = False
    visit_at_every_width(browser, base_url, ["/organise/account/"], log_in=password_only("known"))
