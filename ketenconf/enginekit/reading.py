"""Reading an engine's JSON input: every shape error collected, each at its JSON path."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .errors import ProblemError, key_path


def describe(value: object) -> str:
    """What a JSON value is, in the words of an error message ("a string", "null")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class ShapeReader:
    """Collects every shape error instead of stopping at the first.

    Each engine subclasses it with one method per object of its input; ``max_length`` caps
    the length of every non-empty string it reads (``None``: no cap).
    """

    max_length: int | None = None

    def __init__(self) -> None:
        self.errors: list[ProblemError] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(ProblemError(path, message))

    def obj(self, value: object, path: str, keys: set[str], required: Sequence[str]) -> bool:
        """Whether ``value`` is an object with only ``keys`` and every one of ``required``."""
        if not isinstance(value, dict):
            self.fail(path, f"must be an object, not {describe(value)}")
            return False
        ok = True
        for key in value:
            if key not in keys:
                self.fail(key_path(path, str(key)), "unknown key")
                ok = False
        for key in required:
            if key not in value:
                self.fail(key_path(path, key), "is required")
                ok = False
        return ok

    def fields(
        self, value: object, path: str, keys: set[str], required: Sequence[str]
    ) -> dict[str, Any] | None:
        """``value`` itself when :meth:`obj` accepts it, else ``None``."""
        if not self.obj(value, path, keys, required):
            return None
        assert isinstance(value, dict)
        return value

    def string(self, value: object, path: str, *, empty: bool = False) -> str | None:
        if not isinstance(value, str):
            self.fail(path, f"must be a string, not {describe(value)}")
            return None
        if not value and not empty:
            self.fail(path, "must not be empty")
            return None
        if self.max_length is not None and len(value) > self.max_length:
            self.fail(path, f"must be at most {self.max_length} characters, not {len(value):,}")
            return None
        return value

    def boolean(self, value: object, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.fail(path, f"must be true or false, not {describe(value)}")
            return None
        return value

    def integer(self, value: object, path: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"must be a whole number, not {describe(value)}")
            return None
        return value

    def strings(self, value: object, path: str) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            self.fail(path, f"must be a list, not {describe(value)}")
            return None
        items = [self.string(item, f"{path}[{i}]") for i, item in enumerate(value)]
        if any(item is None for item in items):
            return None
        return tuple(item for item in items if item is not None)

    def items(self, data: dict[str, Any], key: str) -> list[Any]:
        """The list at ``data[key]``; an absent key is an empty list."""
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, f"must be a list, not {describe(value)}")
            return []
        return value
