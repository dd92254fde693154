"""What the production tests share: Redis, the SMTP server, the test database as a URL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import in_ci
from tests.mail.conftest import SMTPServer, free_port, smtp_server  # noqa: F401 - a fixture
from tests.mail.test_worker import database_url

REDIS_URL = os.environ.get("KETENCONF_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

__all__ = ["REDIS_URL", "SMTPServer", "database_url", "free_port"]


def redis_cache(prefix: str) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture
def redis(settings: Any) -> Iterator[str]:
    """The cache in a real Redis, under a key prefix of this test's own; the prefix."""
    import redis as redis_client

    try:
        redis_client.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis_client.RedisError as error:
        if in_ci():
            pytest.fail(f"CI needs Redis at {REDIS_URL}: {error}")
        pytest.skip(f"needs Redis at {REDIS_URL} (KETENCONF_TEST_REDIS_URL)")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = redis_cache(prefix)
    yield prefix
    client = redis_client.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Rate-limit counts and cached pages of one test must not reach the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
