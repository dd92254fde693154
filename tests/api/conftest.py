from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

URL = "/api/v1/editions/{slug}/registrations"


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> Iterator[None]:
    """The rate limit counts in the cache, which outlives a test: start every test at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def post(client: Client) -> Callable[..., Any]:
    """POST a JSON body (or raw text) as an anonymous client with no cookies."""

    def send(slug: str, body: Any, *, raw: bool = False, **headers: str) -> Any:
        return client.post(
            URL.format(slug=slug),
            body if raw else json.dumps(body),
            content_type="application/json",
            headers=headers,
        )

    return send
