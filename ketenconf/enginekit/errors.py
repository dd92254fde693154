"""Errors that name what is wrong and where, by JSON path."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


def quote(text: str) -> str:
    """An id as it appears in a message: in double quotes, JSON-escaped, so that no id can
    end the quote, forge a path or start a new line."""
    return json.dumps(text, ensure_ascii=False)


def key_path(path: str, key: str) -> str:
    """``path.key`` for a plain key, else ``path["key"]`` (JSON-escaped): a key with a dot,
    a bracket or a newline cannot make the path ambiguous."""
    if _PLAIN_KEY.fullmatch(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{quote(key)}]"


@dataclass(frozen=True)
class ProblemError:
    """One problem with the input, at a JSON path such as ``participants[3].preferences[2]``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or 'input'}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


class InvalidProblem(ValueError):
    """The input cannot be solved as given; ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[ProblemError]) -> None:
        self.errors: tuple[ProblemError, ...] = tuple(errors)
        super().__init__("\n".join(str(error) for error in self.errors))
