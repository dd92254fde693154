"""``ketenconf reoffer SLUG --before-round N [--dry-run] [--json]``."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from ketenconf.allocation import selectors
from tests.allocation.reoffer_day import Day, make_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def day() -> Day:
    d = make_day()
    d.arrive("Yara", "Zeno", "Olga", "Walter", "Vera")
    return d


def reoffer(*args: str) -> str:
    out = io.StringIO()
    call_command("reoffer", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_the_figures_and_publishes_nothing(day: Day) -> None:
    data = json.loads(reoffer(day.edition.slug, "--before-round", "2", "--dry-run", "--json"))
    assert (data["status"], data["moved"], data["run_id"], data["worse_off"]) == (
        "preview",
        3,
        None,
        0,
    )
    assert data["total"]["upgrades"] == 2
    assert selectors.published_run(edition=day.edition) == day.base


def test_without_dry_run_the_new_seats_are_published(day: Day) -> None:
    text = reoffer(day.edition.slug, "--before-round", "2")
    run = selectors.published_run(edition=day.edition)
    assert run is not None and run != day.base
    lines = text.splitlines()
    assert lines[0].split() == [
        "round",
        "freed",
        "refilled",
        "upgrades",
        "ranks_gained",
        "walk_ins",
        "empty",
    ]
    assert lines[2].split() == ["total", "1", "1", "2", "2", "1", "5"]
    assert lines[3].startswith("3 participants move, 0 worse off, ")
    assert lines[3].endswith(f"status published, run {run.pk}")


def test_bad_arguments_are_usage_errors(day: Day) -> None:
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=re.escape("There is no edition 'nope'.")),
    ):
        reoffer("nope", "--before-round", "1")
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=re.escape("Choose a round from 1 to 2.")),
    ):
        reoffer(day.edition.slug, "--before-round", "5")


def test_no_answer_in_time_publishes_nothing_and_exits_1(day: Day) -> None:
    out = io.StringIO()
    with translation.override("en"), pytest.raises(SystemExit) as stopped:
        call_command(
            "reoffer", day.edition.slug, "--before-round", "2", "--time-limit", "1e-9", stdout=out
        )
    assert stopped.value.code == 1
    assert out.getvalue().splitlines()[-1] == (
        "No assignment that keeps every rule was found within 1e-09 seconds: "
        "nothing is published and the seats stay as they are."
    )
    assert selectors.published_run(edition=day.edition) == day.base
    with pytest.raises(SystemExit):
        reoffer(day.edition.slug, "--before-round", "2", "--dry-run", "--time-limit", "1e-9")
    with pytest.raises(CommandError, match=re.escape("--time-limit must be a number")):
        reoffer(day.edition.slug, "--before-round", "2", "--time-limit", "0")
