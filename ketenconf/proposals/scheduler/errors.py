"""Errors that name what is wrong and where, by JSON path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ProblemError:
    """One problem with the input, at a JSON path such as ``topics[3].rounds[1]``."""

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
