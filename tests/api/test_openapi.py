"""The OpenAPI document is a contract: a change to it must be made on purpose.

After a deliberate change, regenerate the snapshot and review its diff::

    KETENCONF_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/api/test_openapi.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.test import Client

SNAPSHOT = Path(__file__).with_name("openapi.json")


def test_the_openapi_document_matches_the_snapshot(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = response.json()
    if os.environ.get("KETENCONF_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    assert document == json.loads(SNAPSHOT.read_text())


def test_the_document_does_not_depend_on_the_language(client: Client) -> None:
    dutch = client.get("/api/v1/openapi.json", headers={"accept-language": "nl"}).json()
    english = client.get("/api/v1/openapi.json", headers={"accept-language": "en"}).json()
    assert dutch == english


def test_no_object_in_the_document_repeats_a_key(client: Client) -> None:
    # A repeated key (200 from the schema, "200" from openapi_extra) is valid to json.loads,
    # which keeps the last; the docs page's YAML parser refuses the whole document.
    repeated: list[str] = []

    def keep_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [key for key, _ in pairs]
        repeated.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=keep_repeats)
    assert repeated == []
