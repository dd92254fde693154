"""The second factor of organisers' sign-in, through the pages an organiser uses."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenconf.accounts.services import recovery_codes_renew
from ketenconf.audit.models import AuditEntry
from tests.factories import UserFactory

from .conftest import PASSWORD, code_now

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

WRONG_CODE = "This code is not right."


def signed_in(user: object) -> Client:
    client = Client(headers={"accept-language": "en"})
    response = client.post("/organise/login/", {"username": user.username, "password": PASSWORD})  # type: ignore[attr-defined]
    assert response.status_code == 302
    return client


def with_app(user: object) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)


def test_an_organiser_without_a_second_factor_is_led_to_set_one_up_first() -> None:
    client = signed_in(UserFactory())
    for page in ("/organise/", "/admin/", "/organise/account/"):
        response = client.get(page)
        assert response.status_code == 302
        assert (
            response["Location"]
            == f"/organise/account/two-factor/setup/?next={page.replace('/', '%2F')}"
        )


def test_setting_up_an_app_takes_a_right_code_then_shows_recovery_codes_once() -> None:
    user = UserFactory()
    client = signed_in(user)
    page = client.get("/organise/account/two-factor/setup/?next=/organise/")
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # The same secret on a second look, so a code of the app scanned first works.
    client.get("/organise/account/two-factor/setup/")
    assert TOTPDevice.objects.get(user=user, confirmed=False).pk == device.pk

    wrong = client.post(
        "/organise/account/two-factor/setup/", {"code": "000000", "next": "/organise/"}
    )
    assert wrong.status_code == 200
    assert "This code is not right." in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    letters = client.post("/organise/account/two-factor/setup/", {"code": "abc"})
    assert "Type the six digits, without letters." in letters.content.decode()
    time.sleep(1.1)  # django-otp holds a device back a second after a wrong code

    right = client.post(
        "/organise/account/two-factor/setup/", {"code": code_now(device), "next": "/organise/"}
    )
    assert right.status_code == 302
    assert right["Location"] == "/organise/account/recovery-codes/?next=%2Forganise%2F"
    codes_page = client.get(right["Location"]).content.decode()
    codes = re.findall(
        r"<li class=\"utrecht-unordered-list__item\"><code>([a-z0-9]+)</code>", codes_page
    )
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    # Shown once: a second look sends one to the list of factors instead.
    assert client.get("/organise/account/recovery-codes/")["Location"] == "/organise/account/"
    assert client.get("/organise/").status_code == 200
    assert list(
        AuditEntry.objects.filter(target_id=str(user.pk), part="accounts")
        .exclude(action="sign_in")
        .order_by("at", "pk")
        .values_list("action", "after")
    ) == [
        ("create", {"second factor": "authenticator app"}),
        ("change", {"second factor": "recovery codes"}),
    ]


def test_signing_in_takes_a_code_from_the_app_and_a_used_code_is_refused_again() -> None:
    user = UserFactory()
    device = with_app(user)
    client = signed_in(user)
    response = client.get("/organise/")
    assert response["Location"] == "/organise/account/two-factor/?next=%2Forganise%2F"
    wrong = client.post("/organise/account/two-factor/", {"code": "123456", "next": "/organise/"})
    assert wrong.status_code == 200
    assert WRONG_CODE in wrong.content.decode()
    assert client.get("/organise/").status_code == 302
    time.sleep(1.1)  # django-otp holds a device back a second after a wrong code

    code = code_now(device)
    right = client.post("/organise/account/two-factor/", {"code": code, "next": "/organise/"})
    assert right.status_code == 302
    assert right["Location"] == "/organise/"
    assert client.get("/organise/").status_code == 200

    # The same code in another sign-in within its 30 seconds: refused (no replay).
    other = signed_in(user)
    again = other.post("/organise/account/two-factor/", {"code": code, "next": "/organise/"})
    assert again.status_code == 200
    assert WRONG_CODE in again.content.decode()


def test_a_recovery_code_works_once() -> None:
    user = UserFactory()
    with_app(user)
    first, second = recovery_codes_renew(user=user)[:2]
    client = signed_in(user)
    assert client.post("/organise/account/two-factor/", {"code": first})["Location"] == "/organise/"
    assert client.get("/organise/").status_code == 200

    other = signed_in(user)
    used = other.post("/organise/account/two-factor/", {"code": first})
    assert used.status_code == 200
    assert WRONG_CODE in used.content.decode()
    # Typed with spaces and capitals, as people copy them: the next code still works.
    time.sleep(1.1)  # django-otp holds a device back a second after a wrong code
    assert (
        other.post("/organise/account/two-factor/", {"code": f" {second.upper()} "}).status_code
        == 302
    )
    assert StaticToken.objects.filter(device__user=user).count() == 8


def test_wrong_codes_are_counted_and_refused_past_the_limit(settings: object) -> None:
    settings.SECOND_FACTOR_RATELIMIT_ACCOUNT = "3/15m"  # type: ignore[attr-defined]
    user = UserFactory()
    device = with_app(user)
    client = signed_in(user)
    for _ in range(3):
        assert client.post("/organise/account/two-factor/", {"code": "111111"}).status_code == 200
    refused = client.post("/organise/account/two-factor/", {"code": code_now(device)})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many wrong codes for this account" in refused.content.decode()
    assert client.get("/organise/").status_code == 302  # still not past the second step
    # Another account from the same address is not held back by these.
    other = UserFactory()
    other_device = with_app(other)
    assert (
        signed_in(other)
        .post("/organise/account/two-factor/", {"code": code_now(other_device)})
        .status_code
        == 302
    )


def test_someone_with_only_a_password_cannot_add_a_factor_to_an_account_that_has_one() -> None:
    user = UserFactory()
    with_app(user)
    client = signed_in(user)
    response = client.get("/organise/account/two-factor/setup/")
    assert response["Location"] == "/organise/account/two-factor/?next=%2Forganise%2F"
    begin = client.post("/organise/account/two-factor/keys/registration/begin/")
    assert begin.status_code == 403
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_superuser_resets_a_lost_factor_and_it_is_recorded() -> None:
    admin = UserFactory(is_superuser=True)
    admin_device = with_app(admin)
    lost = UserFactory()
    with_app(lost)
    recovery_codes_renew(user=lost)
    client = signed_in(admin)
    client.post("/organise/account/two-factor/", {"code": code_now(admin_device)})
    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [lost.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=lost).exists()
    assert not StaticDevice.objects.filter(user=lost).exists()
    entry = LogEntry.objects.get(object_id=str(lost.pk))
    assert entry.user_id == admin.pk
    assert "Second factor reset" in entry.change_message
    audited = AuditEntry.objects.get(action="delete", target_id=str(lost.pk))
    assert (audited.user_id, audited.edition_id) == (admin.pk, None)
    assert audited.after["second factor"].startswith("reset, ")
    # At the next sign-in the person sets up a new one.
    assert (
        signed_in(lost)
        .get("/organise/")["Location"]
        .startswith("/organise/account/two-factor/setup/")
    )


def test_the_list_of_factors_removes_one() -> None:
    user = UserFactory()
    device = with_app(user)
    client = signed_in(user)
    client.post("/organise/account/two-factor/", {"code": code_now(device)})
    page = client.get("/organise/account/").content.decode()
    assert "Authenticator app" in page
    client.post(f"/organise/account/factors/app/{device.pk}/remove/")
    assert not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_with_the_requirement_off_a_password_is_enough(settings: object) -> None:
    settings.REQUIRE_2FA = False  # type: ignore[attr-defined]
    assert signed_in(UserFactory()).get("/organise/").status_code == 200
