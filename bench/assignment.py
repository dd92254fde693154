"""Benchmark of the workshop assignment engine against first-come-first-served and random
serial dictatorship, on generated instances and on real preference data.

    .venv/bin/python bench/assignment.py                      # 600 and 10,000, real data
    .venv/bin/python bench/assignment.py --sizes 600,10000,100000 --time-limit 160
    .venv/bin/python bench/assignment.py --sizes "" --no-real \
        --shapes few-ranked:10000,full-ranking:1500,long-lists:1200 --time-limit 60

Beside the engine every instance is also solved as the contract's direct MIP (HiGHS, one
binary per slot and allowed session, ``method="direct"``) with the same time limit, in the
same subprocess after the engine, so the two columns compare under the same machine load.
Instances with more than ``DIRECT_MAX_ARCS`` arcs skip it (its model would not fit).
``--shapes`` adds the shapes of ``instances.SHAPES`` (name:participants).

Every instance runs in its own subprocess so peak memory (ru_maxrss) is that instance's.
Times and memory of the engine include building the problem from its JSON form; the
baselines run in the same process, after the engine. ``cpu s`` is the engine's processor
time (user + system): on a shared machine wall-clock seconds grow with the load, processor
seconds much less, so compare those between runs.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import _preferences, instances  # noqa: E402
from ketenconf.allocation.engine import (  # noqa: E402
    Problem,
    first_come_first_served,
    objective,
    random_serial_dictatorship,
    solve,
    validate_assignment,
)
from ketenconf.allocation.engine.compiled import compile_problem  # noqa: E402
from ketenconf.allocation.engine.result import describe  # noqa: E402

DIRECT_MAX_ARCS = 3_000_000


def _figures(
    problem: Problem, assignment: dict[str, dict[str, str]], seconds: float
) -> dict[str, Any]:
    assert validate_assignment(problem, assignment) == []
    unassigned, metrics = describe(problem, assignment, seconds=seconds, method="")
    seats = sum(metrics.rank_counts.values()) + len(unassigned)
    return {
        "objective": objective(problem, assignment),
        "first": metrics.rank_counts.get("1", 0) / max(1, seats),
        "worst": metrics.worst_rank,
        "unranked": metrics.rank_counts.get("unranked", 0),
        "unassigned": len(unassigned),
        "seconds": seconds,
    }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_one(name: str, time_limit: float, seed: int) -> dict[str, Any]:
    started = time.perf_counter()
    cpu_started = _cpu_seconds()
    if name.startswith("generated:"):
        data = instances.generated(int(name.split(":")[1]), seed=seed)
    elif name.startswith("shape:"):
        _, shape, size = name.split(":")
        data = instances.shaped(shape, int(size), seed=seed)
    else:
        data = _preferences.REAL[name]()
    problem = Problem.from_dict(data)
    result = solve(problem, time_limit=time_limit, seed=seed)
    engine_seconds = time.perf_counter() - started
    engine_cpu = _cpu_seconds() - cpu_started
    engine = _figures(problem, result.assignment, engine_seconds)
    engine.update(
        lower_bound=result.lower_bound,
        gap=result.gap,
        status=result.status,
        method=result.metrics.method,
        cpu_seconds=engine_cpu,
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    direct: dict[str, Any] | None = None
    compiled = compile_problem(problem)
    rounds_of = compiled.session_round
    per_round = max(int((rounds_of == r).sum()) for r in range(len(compiled.round_ids)))
    if compiled.slot_count * per_round <= DIRECT_MAX_ARCS:
        t = time.perf_counter()
        plain = solve(problem, time_limit=time_limit, seed=seed, method="direct")
        direct = {
            "objective": plain.objective,
            "lower_bound": plain.lower_bound,
            "status": plain.status,
            "seconds": time.perf_counter() - t,
        }
    t = time.perf_counter()
    fcfs = _figures(problem, first_come_first_served(problem), 0.0)
    fcfs["seconds"] = time.perf_counter() - t
    t = time.perf_counter()
    rsd = _figures(problem, random_serial_dictatorship(problem, seed=seed), 0.0)
    rsd["seconds"] = time.perf_counter() - t
    return {
        "instance": name,
        "participants": len(problem.participants),
        "rounds": len(problem.rounds),
        "sessions": len(problem.sessions),
        "engine": engine,
        "direct": direct,
        "fcfs": fcfs,
        "rsd": rsd,
    }


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True))


def print_table(rows: list[dict[str, Any]]) -> None:
    head = [
        "instance",
        "n",
        "rounds",
        "sess",
        "method",
        "status",
        "seconds",
        "cpu s",
        "peak MB",
        "objective",
        "lower bound",
        "gap",
        "1st",
        "worst",
        "none",
        "FCFS obj",
        "FCFS 1st",
        "FCFS worst",
        "FCFS none",
        "RSD obj",
        "RSD 1st",
        "RSD worst",
        "RSD none",
    ]
    table = [head]
    for r in rows:
        e, f, d = r["engine"], r["fcfs"], r["rsd"]
        table.append(
            [
                r["instance"],
                f"{r['participants']:,}",
                str(r["rounds"]),
                str(r["sessions"]),
                e["method"],
                e["status"],
                f"{e['seconds']:.1f}",
                f"{e['cpu_seconds']:.1f}",
                f"{e['peak_mb']:.0f}",
                f"{e['objective']:,}",
                f"{e['lower_bound']:,}",
                f"{100 * e['gap']:.3f}%",
                f"{100 * e['first']:.1f}%",
                str(e["worst"]),
                str(e["unassigned"]),
                f"{f['objective']:,}",
                f"{100 * f['first']:.1f}%",
                str(f["worst"]),
                str(f["unassigned"]),
                f"{d['objective']:,}",
                f"{100 * d['first']:.1f}%",
                str(d["worst"]),
                str(d["unassigned"]),
            ]
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    for row in table:
        print(_row(row, widths))
    print()
    print_direct(rows)


def print_direct(rows: list[dict[str, Any]]) -> None:
    """The engine and the direct MIP side by side, same instance, same time limit."""
    head = ["instance", "n", "engine obj", "bound", "s", "direct obj", "bound", "s", "time ratio"]
    table = [head]
    for r in rows:
        e, d = r["engine"], r["direct"]
        if d is None:
            cells = ["(too large)", "", "", ""]
        else:
            cells = [
                f"{d['objective']:,}",
                f"{d['lower_bound']:,}",
                f"{d['seconds']:.1f}",
                f"{e['seconds'] / d['seconds']:.2f}",
            ]
        table.append(
            [
                r["instance"],
                f"{r['participants']:,}",
                f"{e['objective']:,}",
                f"{e['lower_bound']:,}",
                f"{e['seconds']:.1f}",
                *cells,
            ]
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    for row in table:
        print(_row(row, widths))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="600,10000", help="generated sizes, comma-separated")
    parser.add_argument("--time-limit", type=float, default=160.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-real", action="store_true", help="skip the real preference data")
    parser.add_argument(
        "--shapes", default="", help="shape:participants, comma-separated (see instances.SHAPES)"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # run one instance, print JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.time_limit, args.seed)))
        return 0
    names = [f"generated:{int(s)}" for s in args.sizes.split(",") if s]
    names += [f"shape:{s}" for s in args.shapes.split(",") if s]
    if not args.no_real:
        names += list(_preferences.REAL)
    rows = []
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                name,
                "--time-limit",
                str(args.time_limit),
                "--seed",
                str(args.seed),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"{name} failed:\n{done.stderr}", file=sys.stderr)
            continue
        rows.append(json.loads(done.stdout.splitlines()[-1]))
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
