"""Rows a process keeps for a moment: read on every request, changed seldom, fine a second late.

An app-server process keeps what it loaded for up to ``seconds`` and then loads it again. A
change made in the process clears its memo at once (connect :meth:`ProcessMemo.clear` to the
model's save and delete signals); the other processes see the change within ``seconds``:
the rule the programme page's copy per process follows too (``ketenconf.programme.cache``).
Only values that were found are kept, so something new shows at once, and only those read
outside a transaction: a row read inside one may yet be rolled back, and must not outlive
it here. Two threads may load the same key at the same moment; either result is kept, and
both are the same row.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any, ClassVar, Generic, TypeVar

from django.db import transaction

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ProcessMemo(Generic[K, V]):
    #: Every memo of the process, for :meth:`clear_all`.
    _all: ClassVar[list[ProcessMemo[Any, Any]]] = []

    def __init__(self, *, seconds: float) -> None:
        self.seconds = seconds
        self._kept: dict[K, tuple[float, V]] = {}
        ProcessMemo._all.append(self)

    @classmethod
    def clear_all(cls) -> None:
        """Forget what every memo keeps: for a database that starts afresh (tests)."""
        for memo in cls._all:
            memo.clear()

    def get(self, key: K, load: Callable[[], V | None]) -> V | None:
        """The value kept for ``key`` if it is fresh, else ``load()`` (kept when not ``None``
        and read outside a transaction)."""
        now = time.monotonic()
        kept = self._kept.get(key)
        if kept is not None and now - kept[0] < self.seconds:
            return kept[1]
        value = load()
        if value is None or transaction.get_connection().in_atomic_block:
            self._kept.pop(key, None)
        else:
            self._kept[key] = (now, value)
        return value

    def clear(self, *args: Any, **kwargs: Any) -> None:
        """Forget everything; takes any arguments, so that it can receive a signal."""
        self._kept.clear()
