"""``ketenconf assign INPUT.json -o OUTPUT.json``: solve an assignment file, no database.

Exit codes: 0 solved (the output file is written), 1 the output file cannot be written, 2
invalid input (every problem listed on stderr by its JSON path, no output file written), 3 no
solution (a re-offer that found no answer meeting every ceiling in its time: the output file
is written with status ``no_solution`` and the seats unchanged, so that a script that only
checks the exit status publishes nothing). Progress goes to stderr: one line updated
in place on a terminal, plain timestamped lines otherwise.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TextIO

from ketenconf.enginekit.errors import InvalidProblem, ProblemError, quote

from .problem import Problem
from .solve import METHODS, solve

EXIT_INVALID = 2
EXIT_NO_SOLUTION = 3
MAX_TIME_LIMIT = 86_400.0
MAX_SEED = 2_147_483_647
MAX_DEPTH = 32  # the format needs 4 levels


class ProgressDisplay:
    """Progress on stderr: rewritten in place on a TTY, one plain line per step otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.perf_counter()
        self.width = 0

    def __call__(self, message: str) -> None:
        line = f"[{time.perf_counter() - self.started:6.1f}s] {message}"
        if self.tty:
            padding = " " * max(0, self.width - len(line))
            self.stream.write(f"\r{line}{padding}")
            self.width = len(line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.tty and self.width:
            self.stream.write("\n")
            self.stream.flush()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ketenconf assign",
        description="Assign participants to workshop sessions from their ranked preferences "
        "(input and output format: docs/allocation-contract.md).",
    )
    parser.add_argument("input", type=Path, help="problem as JSON")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, help="where to write the result"
    )
    parser.add_argument(
        "--time-limit", type=float, default=60.0, metavar="S", help="seconds (default 60)"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default 0)")
    parser.add_argument(
        "--method",
        choices=METHODS,
        default="auto",
        help="exact MIP with column generation, column generation over schedules for large "
        "instances, the plain direct MIP, or chosen by the instance (default)",
    )
    return parser


def _read(path: Path) -> object:
    """The JSON of ``path``; a byte order mark (Windows editors write one) is skipped."""
    name = quote(str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InvalidProblem([ProblemError("", f"cannot read {name}: {error.strerror}")]) from None
    except UnicodeDecodeError:
        raise InvalidProblem([ProblemError("", f"{name} is not UTF-8 text")]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidProblem(
            [
                ProblemError(
                    "", f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
                )
            ]
        ) from None
    except RecursionError:
        raise InvalidProblem([ProblemError("", _too_deep())]) from None
    except ValueError as error:  # e.g. a number of more than 4,300 digits
        raise InvalidProblem([ProblemError("", f"not valid JSON: {error}")]) from None
    if _depth(data) > MAX_DEPTH:
        raise InvalidProblem([ProblemError("", _too_deep())])
    return data


def _too_deep() -> str:
    # The same words whether the reader or the depth check found it (MAX_DEPTH levels).
    return "not valid JSON: nested too deep"


def _depth(data: object) -> int:
    """How deeply lists and objects nest, without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
    return deepest


def _option_errors(args: argparse.Namespace) -> list[str]:
    errors = []
    if not (math.isfinite(args.time_limit) and 0 < args.time_limit <= MAX_TIME_LIMIT):
        errors.append(
            f"--time-limit must be a number of seconds greater than 0 and at most "
            f"{MAX_TIME_LIMIT:,.0f}, not {args.time_limit}"
        )
    if not 0 <= args.seed <= MAX_SEED:
        errors.append(f"--seed must be a whole number from 0 to {MAX_SEED:,}, not {args.seed}")
    return errors


def _write_atomically(path: Path, data: object) -> None:
    directory = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    err = sys.stderr
    option_errors = _option_errors(args)
    if option_errors:
        for message in option_errors:
            err.write(f"ketenconf assign: {message}\n")
        return EXIT_INVALID
    display = ProgressDisplay(err)
    try:
        problem = Problem.from_dict(_read(args.input))
        result = solve(
            problem,
            time_limit=args.time_limit,
            seed=args.seed,
            progress=display,
            method=args.method,
        )
    except InvalidProblem as invalid:
        display.done()
        err.write(f"ketenconf assign: {quote(str(args.input))} is not a valid problem:\n")
        for error in invalid.errors:
            err.write(f"  {error}\n")
        return EXIT_INVALID
    display.done()
    try:
        _write_atomically(args.output, result.to_dict())
    except OSError as error:
        err.write(f"ketenconf assign: cannot write {quote(str(args.output))}: {error.strerror}\n")
        return 1
    gap = f"{100 * result.gap:.3f}%"
    err.write(
        f"{result.status}: objective {result.objective}, lower bound {result.lower_bound} "
        f"(gap {gap}), {len(result.unassigned)} without a session, "
        f"{result.metrics.seconds:.1f}s -> {quote(str(args.output))}\n"
    )
    for warning in result.metrics.warnings:
        err.write(f"warning: {warning}\n")
    return EXIT_NO_SOLUTION if result.status == "no_solution" else 0


if __name__ == "__main__":
    sys.exit(main())
