"""Secure by default: the headers on real responses, and production settings from the environment.

The last test serves the site with `ketenconf serve` and the production configuration behind a
(simulated) TLS proxy, and reads what a browser would get.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from bench._harness import AppServer

from .conftest import database_url

REPO_ROOT = Path(__file__).resolve().parents[2]

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

PRODUCTION = {
    "KETENCONF_DEBUG": "false",
    "KETENCONF_SECRET_KEY": "k3t3nc0nf-" + "abcdefghij" * 6,
    "KETENCONF_HTTPS": "true",
    "KETENCONF_BEHIND_PROXY": "true",
    "KETENCONF_ALLOWED_HOSTS": "conferentie.example.nl",
    "KETENCONF_BASE_URL": "https://conferentie.example.nl",
}


def policy(header: str) -> dict[str, str]:
    pairs = (part.strip().partition(" ") for part in header.split(";") if part.strip())
    return {name: value for name, _, value in pairs}


def env(**extra: str) -> dict[str, str]:
    # As on a server: none of the test run's own variables (KETENCONF_*, the async switch).
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KETENCONF_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return {**clean, "DJANGO_SETTINGS_MODULE": "ketenconf.settings", **extra}


def test_a_public_page_is_sent_with_the_security_headers(programme_edition: Any) -> None:
    response = Client().get(f"/{programme_edition.slug}/programme/")
    assert response.status_code == 200
    assert policy(response["Content-Security-Policy"]) == CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert len(response["X-Request-ID"]) == 32
    # Plain HTTP in development: no HSTS, which would lock a developer's browser out.
    assert "Strict-Transport-Security" not in response


def settings_under(environment: dict[str, str]) -> dict[str, Any]:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({n: getattr(s, n, None) for n in ["
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_PROXY_SSL_HEADER', "
        "'SESSION_ENGINE', 'STORAGES', 'RATELIMIT_IP_META_KEY']}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout))


def test_production_variables_turn_on_https_hsts_secure_cookies_and_the_proxy_header() -> None:
    values = settings_under(
        env(
            **PRODUCTION,
            KETENCONF_CACHE_URL="redis://127.0.0.1:6379/0",
            KETENCONF_STATIC_MANIFEST="true",
        )
    )
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        "RATELIMIT_IP_META_KEY": "ketenconf.ops.client.client_address",
    }


def test_without_https_nothing_pretends_to_be_secure() -> None:
    values = settings_under(env(KETENCONF_DEBUG="false"))
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def check_deploy(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ketenconf", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_production_settings() -> None:
    done = check_deploy(env(**PRODUCTION))
    assert (done.returncode, done.stdout.strip()) == (
        0,
        # HSTS preload (off unless asked for) and django-otp-webauthn's fixed origins (the
        # request's own host, which ALLOWED_HOSTS checked, is the allowed origin).
        "System check identified no issues (2 silenced).",
    ), done.stderr


def test_check_deploy_names_what_is_missing_without_https() -> None:
    without = {k: v for k, v in PRODUCTION.items() if k != "KETENCONF_HTTPS"}
    done = check_deploy(env(**without))
    assert done.returncode == 1
    found = set(re.findall(r"\((security\.W\d+)\)", done.stderr))
    assert found == {
        "security.W004",  # HSTS
        "security.W008",  # redirect to HTTPS
        "security.W012",  # session cookie over HTTPS only
        "security.W016",  # CSRF cookie over HTTPS only
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_app_server_in_production_behind_a_tls_proxy(tmp_path: Path) -> None:
    access_log = tmp_path / "access.log"
    environment = env(
        **PRODUCTION,
        KETENCONF_DATABASE_URL=database_url(),
        KETENCONF_LOG_FORMAT="json",
        KETENCONF_ACCESS_LOG=str(access_log),
    )
    with AppServer(environment, workers=1, threads=2, log=tmp_path / "server.log") as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)

        def get(path: str, **headers: str) -> http.client.HTTPResponse:
            conn.request("GET", path, headers={"Host": "conferentie.example.nl", **headers})
            response = conn.getresponse()
            response.read()
            return response

        # Plain HTTP reaching the app (the proxy forwarded http): sent to HTTPS.
        plain = get("/")
        assert (plain.status, plain.getheader("Location")) == (
            301,
            "https://conferentie.example.nl/",
        )
        # Through the TLS proxy: HSTS and the policy on the page, and secure cookies.
        page = get("/admin/login/", **{"X-Forwarded-Proto": "https", "X-Request-ID": "probe-42"})
        assert page.status == 200
        assert page.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
        assert policy(page.getheader("Content-Security-Policy", "")) == CSP
        assert page.getheader("X-Frame-Options") == "DENY"
        assert page.getheader("X-Request-ID") == "probe-42"
        cookies = page.headers.get_all("Set-Cookie") or []
        assert [c.split("=")[0] for c in cookies] == ["csrftoken"]
        assert "; Secure" in cookies[0]
        assert "; SameSite=Lax" in cookies[0]
        conn.close()

    lines = [json.loads(line) for line in access_log.read_text().splitlines()]
    logged = [(line["path"], line["status"], line["request_id"]) for line in lines]
    assert ("/admin/login/", 200, "probe-42") in logged
    assert all(len(request_id) >= 8 for _, _, request_id in logged)
