import pytest
from django.db import transaction
from django.test import TestCase, override_settings

from ketenconf.demo.load import demo_load

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The demo sets and checks passwords; the default hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for a module in a transaction rolled back at its end (loading
    takes seconds; tests that use it only read, or change inside their own transaction).
    Fails if loading left work for after the commit."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        with TestCase.captureOnCommitCallbacks() as callbacks:
            demo_load()
        waiting = {getattr(getattr(c, "func", c), "__qualname__", repr(c)) for c in callbacks}
        # Only the programme's cache is refreshed; no mail is delivered, no task queued.
        assert waiting == {"programme_cache_invalidate.<locals>.bump"}
        yield
        transaction.set_rollback(True)
