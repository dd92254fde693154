from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django_otp.oath import totp

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Counts of wrong codes of one test must not reach the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def code_now(device: object, *, steps: int = 0) -> str:
    """The code an authenticator app shows for this device now (or ``steps`` periods on)."""
    key = device.bin_key  # type: ignore[attr-defined]
    return f"{totp(key, step=30, t0=0, digits=6, drift=steps):06d}"


def wait_for_next_period() -> None:
    """A code is good once: a second sign-in in the same 30 s needs the next one."""
    time.sleep(30 - time.time() % 30 + 0.2)
