"""The access log: one line per request, with its request id, and no keys from the path."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client

from ketenconf.ops.log import ACCESS_LOGGER, JsonFormatter, logging_config

pytestmark = pytest.mark.django_db


def test_a_line_per_request_with_its_id_and_without_the_token(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    token = "WzEyLCJzZWNyZXQiXQ:1tX9aB:abcdefSECRETxyz"
    response = client.get(f"/ketenconferentie-2027/me/link/{token}/?x=1", HTTP_X_REQUEST_ID="r-7")
    [record] = [r for r in caplog.records if r.name == ACCESS_LOGGER]
    line = record.getMessage()
    assert line.startswith('127.0.0.1 "GET /ketenconferentie-2027/me/link/[token]/" ')
    assert f" {response.status_code} " in line
    assert token not in line and "SECRET" not in line and "x=1" not in line
    assert record.request_id == "r-7"  # type: ignore[attr-defined]
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["path"], entry["status"], entry["request_id"]) == (
        "/ketenconferentie-2027/me/link/[token]/",
        response.status_code,
        "r-7",
    )


def test_the_access_log_is_off_unless_asked_for() -> None:
    assert logging_config(level="INFO", json_lines=False)["loggers"][ACCESS_LOGGER] == {
        "level": "CRITICAL",
        "propagate": False,
    }
    to_file = logging_config(level="WARNING", json_lines=True, access_log="/var/log/k.log")
    assert to_file["loggers"][ACCESS_LOGGER]["level"] == "INFO"
    assert to_file["handlers"]["access"]["filename"] == "/var/log/k.log"


def test_behind_the_proxy_the_line_names_the_client_not_the_proxy(
    client: Client, caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    settings.BEHIND_PROXY = True
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    client.get("/health", HTTP_X_REAL_IP="203.0.113.9")
    [record] = [r for r in caplog.records if r.name == ACCESS_LOGGER]
    assert record.getMessage().startswith('203.0.113.9 "GET /health" 200 ')
