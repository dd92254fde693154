"""/health and /ready: what a load balancer or systemd asks before sending traffic."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from ketenconf.ops.checks import ready_checks

from .conftest import free_port, redis_cache


def test_health_answers_ok_without_touching_the_database(client: Client) -> None:
    # No database for this test: a query would raise "Database access not allowed".
    response = client.get("/health")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"


def test_probes_answer_any_host_and_plain_http_even_when_https_is_required(
    client: Client, settings: Any, db: None
) -> None:
    """A probe asks the app server directly, by IP address and without TLS."""
    settings.ALLOWED_HOSTS = ["conferentie.example.nl"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/ready", HTTP_HOST="10.0.0.7:8000").status_code == 200
    # Everything else keeps both rules.
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400
    redirect = client.get("/", HTTP_HOST="conferentie.example.nl")
    assert (redirect.status_code, redirect["Location"]) == (301, "https://conferentie.example.nl/")


@pytest.mark.django_db
def test_ready_says_ok_and_nothing_more(client: Client) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    # Anyone may ask: the host of the database or a driver's message is not theirs to read.
    assert response.json() == {"status": "ok"}
    body = {"checks": {check.name: check.to_dict() for check in ready_checks()}}
    assert {name: check["level"] for name, check in body["checks"].items()} == {
        "database": "ok",
        # The tests run on the local-memory cache: right for one process, and /ready says so.
        "cache": "warning",
        "migrations": "ok",
    }
    assert body["checks"]["database"]["detail"].startswith(f"{connection.vendor} answers (")
    assert body["checks"]["migrations"]["detail"] == "all applied"


@pytest.mark.django_db
def test_ready_is_503_while_a_migration_is_not_applied(client: Client) -> None:
    assert client.get("/ready").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'ops' AND name = '0001_initial'")
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "fail"}
    body = {"checks": {check.name: check.to_dict() for check in ready_checks()}}
    assert body["checks"]["migrations"] == {
        "name": "migrations",
        "level": "error",
        "ok": False,
        "detail": "1 not applied: ops.0001_initial",
        "fix": "Run `ketenconf migrate` (see Upgrading in docs/deployment.md).",
    }


@pytest.mark.django_db
def test_ready_is_503_when_the_cache_is_away(client: Client, settings: Any) -> None:
    settings.CACHES = redis_cache("nobody-home")
    settings.CACHES["default"]["LOCATION"] = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/ready")
    assert (response.status_code, response.json()) == (503, {"status": "fail"})
    checks = {check.name: check.to_dict() for check in ready_checks()}
    cache_check = checks["cache"]
    assert cache_check["level"] == "error"
    assert cache_check["detail"].startswith("RedisCache: ConnectionError: ")
    assert "KETENCONF_CACHE_URL" in cache_check["fix"]
    assert checks["database"]["level"] == "ok"


@pytest.mark.django_db
def test_ready_with_redis_says_ok(client: Client, redis: str) -> None:
    response = client.get("/ready")
    assert (response.status_code, json.loads(response.content)) == (200, {"status": "ok"})
    assert {check.name: check.to_dict() for check in ready_checks()}["cache"] == {
        "name": "cache",
        "level": "ok",
        "ok": True,
        "detail": "RedisCache answers",
        "fix": "",
    }
