"""With the cache in Redis, a rate limit holds across every app-server process."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from bench._harness import AppServer, Outcome, Request, fire
from tests.factories import EditionFactory, OrganisationFactory

from .conftest import REDIS_URL, database_url

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_api_limit_counts_requests_to_all_app_server_workers_together(
    redis: str, tmp_path: Path
) -> None:
    OrganisationFactory(name="IND")
    EditionFactory(slug="limiet", status="registration_open", capacity=100)
    env = {
        **os.environ,
        "KETENCONF_DATABASE_URL": database_url(),
        "KETENCONF_CACHE_URL": REDIS_URL,
        "KETENCONF_CACHE_KEY_PREFIX": redis,
        "KETENCONF_RATELIMIT": "5/m",
        "KETENCONF_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "ketenconf.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    requests = [
        Request(
            "POST",
            "/api/v1/editions/limiet/registrations",
            json.dumps(
                {"name": f"Persoon {n}", "email": f"p{n}@example.org", "organisation": "IND"}
            ).encode(),
            {"Content-Type": "application/json"},
        )
        for n in range(16)
    ]
    outcomes: list[Outcome] = []
    with AppServer(env, workers=3, threads=1, log=tmp_path / "server.log") as server:
        # Eight connections at once, so that every worker process gets some of them.
        fire(server.port, 8, requests, "limited", keep=outcomes)
    assert Counter(o.status for o in outcomes) == {201: 5, 429: 11}
