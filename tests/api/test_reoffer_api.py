"""The day through the organisers' API: check-ins at a door (a nonce counts once) and the
re-offer (dry run, then published; GET .../assignments shows the new seats); bad input is a
422 that says what is wrong."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ketenconf.allocation.models import AssignmentRun, Reoffer
from ketenconf.api import services
from ketenconf.checkin.models import CheckIn
from tests.allocation.reoffer_day import Day, make_day

pytestmark = pytest.mark.django_db

BASE = "/api/v1/organiser/editions/{slug}"


@pytest.fixture
def day() -> Day:
    return make_day()


@pytest.fixture
def api(client: Client, day: Day) -> Any:
    token = services.api_token_create(user=day.organiser, name="door")[1]
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    base = BASE.format(slug=day.edition.slug)

    class Api:
        def get(self, path: str, **params: Any) -> Any:
            return client.get(base + path, params, headers=headers)

        def post(self, path: str, body: Any) -> Any:
            return client.post(base + path, body, content_type="application/json", headers=headers)

    return Api()


def test_a_check_in_through_the_api_counts_once_per_nonce(api: Any, day: Day) -> None:
    body = {"registration_id": day.people["Yara"].pk, "door": "Noord", "nonce": "api-yara-0001"}
    first = api.post("/checkins", body)
    assert first.status_code == 200
    assert {k: v for k, v in first.json().items() if k != "checked_in_at"} == {
        "outcome": "welcome",
        "ok": True,
        "message": "Welcome, Yara — " + str(day.people["Yara"].organisation),
        "note": "",
        "registration_id": day.people["Yara"].pk,
    }
    again = api.post("/checkins", body)
    assert (again.status_code, again.json()["outcome"]) == (200, "repeated")
    assert again.json()["checked_in_at"] == first.json()["checked_in_at"]
    assert CheckIn.objects.count() == 1


def test_bad_check_ins_say_what_is_wrong(api: Any, day: Day) -> None:
    response = api.post("/checkins", {"registration_id": 0, "door": "1", "nonce": "x"})
    assert response.status_code == 422
    assert sorted(response.json()["errors"]) == ["nonce", "registration_id"]
    response = api.post(
        "/checkins", {"registration_id": 10**9, "door": "1", "nonce": "api-nobody-1"}
    )
    assert (response.status_code, response.json()) == (
        404,
        {"message": "This edition has no registration 1000000000."},
    )
    assert CheckIn.objects.count() == 0


def test_a_dry_run_then_a_reoffer_that_publishes(api: Any, day: Day) -> None:
    for name in ("Yara", "Zeno", "Olga", "Walter", "Vera"):
        body = {"registration_id": day.people[name].pk, "door": "1", "nonce": f"api-{name}-01"}
        assert api.post("/checkins", body).json()["outcome"] == "welcome"

    dry = api.post("/reoffers", {"before_round": 2, "dry_run": True})
    assert dry.status_code == 200
    data = dry.json()
    assert (data["status"], data["run_id"], data["moved"], data["worse_off"]) == (
        "preview",
        None,
        3,
        0,
    )
    assert data["total"] == {
        "freed": 1,
        "refilled": 1,
        "upgrades": 2,
        "ranks_gained": 2,
        "walk_ins": 1,
        "empty": 5,
    }
    assert [row["round"] for row in data["rounds"]] == [day.rounds[1].pk]
    assert AssignmentRun.objects.count() == 1

    done = api.post("/reoffers", {"before_round": 2, "dry_run": False})
    assert done.status_code == 201
    run_id = done.json()["run_id"]
    assert run_id == Reoffer.objects.get(pk=done.json()["id"]).run_id
    assert done.json()["mailed"] == 3
    seats = api.get("/assignments", limit=100).json()["items"]
    assert sorted(
        (s["name"], s["session"]) for s in seats if s["block_id"] == day.rounds[1].pk
    ) == [
        ("Lena", "Workshop D"),
        ("Olga", "Workshop E"),
        ("Walter", "Workshop E"),
        ("Yara", "Workshop C"),
        ("Zeno", "Workshop D"),
    ]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"before_round": 3}, {"before_round": ["Choose a round from 1 to 2."]}),
        ({"before_round": 0}, None),
        ({"dry_run": True}, None),
        ({"before_round": "twee"}, None),
    ],
)
def test_bad_reoffers_say_what_is_wrong(api: Any, body: dict[str, Any], errors: Any) -> None:
    response = api.post("/reoffers", body)
    assert response.status_code == 422
    if errors is not None:
        assert response.json() == {"errors": errors}
    else:
        assert list(response.json()["errors"]) == ["before_round"]
    assert Reoffer.objects.count() == 0
