"""A process keeps a row for a second, then reads it again; never one read in a transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from ketenconf.core import process_memo
from ketenconf.core.process_memo import ProcessMemo

pytestmark = pytest.mark.django_db(transaction=True)  # outside a transaction, as a request


class Loads:
    def __init__(self, *values: object) -> None:
        self.values = list(values)
        self.count = 0

    def __call__(self) -> object:
        self.count += 1
        return self.values.pop(0)


def test_a_row_is_kept_for_the_seconds_given_then_read_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memo: ProcessMemo[str, object] = ProcessMemo(seconds=1.0)
    load = Loads("first", "second")
    clock = process_memo.time.monotonic()
    monkeypatch.setattr(process_memo.time, "monotonic", lambda: clock)
    assert memo.get("key", load) == "first"
    monkeypatch.setattr(process_memo.time, "monotonic", lambda: clock + 0.9)
    assert memo.get("key", load) == "first"
    assert load.count == 1
    monkeypatch.setattr(process_memo.time, "monotonic", lambda: clock + 1.1)
    assert memo.get("key", load) == "second"
    assert load.count == 2


def test_nothing_found_is_not_kept_so_a_new_row_shows_at_once() -> None:
    memo: ProcessMemo[str, object] = ProcessMemo(seconds=60)
    load = Loads(None, "new")
    assert memo.get("key", load) is None
    assert memo.get("key", load) == "new"


def test_a_row_read_inside_a_transaction_is_not_kept() -> None:
    """It may yet be rolled back."""
    memo: ProcessMemo[str, object] = ProcessMemo(seconds=60)
    load = Loads("uncommitted", "committed")
    with transaction.atomic():
        assert memo.get("key", load) == "uncommitted"
    assert memo.get("key", load) == "committed"


def test_clear_forgets_what_every_memo_keeps() -> None:
    one: ProcessMemo[str, object] = ProcessMemo(seconds=60)
    other: ProcessMemo[str, object] = ProcessMemo(seconds=60)
    one.get("key", Loads("a"))
    other.get("key", Loads("b"))
    one.clear(sender=object, instance=object)  # as a signal calls it
    assert one.get("key", Loads("a2")) == "a2"
    ProcessMemo.clear_all()
    assert other.get("key", Loads("b2")) == "b2"
