"""Benchmark of the re-offer on the day (contract version 3): its speed, and the day simulated
on the demo's largest edition beside a first-come first-served waiting list.

    .venv/bin/python bench/reoffer.py                     # speed, then the demo day
    .venv/bin/python bench/reoffer.py --no-demo           # speed only (no database)
    .venv/bin/python bench/reoffer.py --no-speed --keep   # the demo day; keep its database
    .venv/bin/python bench/reoffer.py --no-speed --reuse  # ... on the database kept before

**Speed.** Generated instances (``instances.generate``: skewed popularity, organisations
with their own taste, hosts with fixed seats, the share rule at 0.25) of 600 participants in
3 rounds and 10,000 in 4. The first assignment is solved by ``solve`` (not timed as the
re-offer); then ``--absent`` (15 %) of the participants without a fixed seat do not come and
the re-offer runs before round 1 with ``--time-limit``. It prints the re-offer's time
(wall-clock and processor), status, gap, moves and upgrades, and in the same run the time of
the first assignment and of the waiting list: the ratios are what to compare between runs
on a shared machine. Targets: 600 × 3 well under 2 s, 10,000 × 4 at most 15 s
with the gap reported.

**The demo day.** Drops and creates the PostgreSQL database ``--database`` (at ``--server``),
migrates it and loads the demo (``ketenconf demo``); then builds the problem of the demo
edition with the most registered participants through ``ketenconf.allocation.adapter``
(``problem_build``) in a Django process, and from here on works without Django: the first
assignment by ``solve``, then for each no-show share (10, 15 and 25 %) and ``--walk-ins``
(20) walk-ins who give the ranked choices of a random registered participant, the re-offer
before ``--before-round`` by the engine and by the waiting list
(``engine.baselines.waiting_list``: freed seats go to whoever asked first, in registration
order, walk-ins last), both counted by ``engine.reoffer_moves``: upgrades (participant-rounds
moved to a better rank, and the ranks gained), walk-ins seated, empty seats left, the
objective and the time. A share of ``--opt-out`` (5 %) of those present keep their seats.
The day's problem is built as the contract's re-offer section says: started rounds fixed,
absent participants' rounds cut to the started ones, opt-outs fixed, everyone else
``current`` with the cost of their seats as ``ceiling``, walk-ins plain.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import instances  # noqa: E402
from bench._harness import (  # noqa: E402
    drop_database,
    ketenconf,
    production_env,
    python,
    recreate_database,
)
from ketenconf.allocation.engine import (  # noqa: E402
    Participant,
    Problem,
    ReofferSummary,
    objective,
    participant_cost,
    reoffer_moves,
    solve,
    validate_assignment,
    waiting_list,
)
from ketenconf.allocation.engine.cost import attended_rounds  # noqa: E402


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def the_day(
    first: Problem,
    seats: dict[str, dict[str, str]],
    *,
    absent: float,
    walk_ins: int,
    opt_out: float,
    before_round: int,
    seed: int,
) -> Problem:
    """The re-offer problem of the day after ``seats`` were published (see the docstring)."""
    rng = random.Random(seed)
    round_ids = [r.id for r in first.rounds]
    started = set(round_ids[: before_round - 1])
    hosts = [p for p in first.participants if p.fixed]
    others = [p for p in first.participants if not p.fixed]
    gone = {p.id for p in rng.sample(others, round(absent * len(others)))}
    present = [p for p in others if p.id not in gone]
    staying = {p.id for p in rng.sample(present, round(opt_out * len(present)))}
    day: list[Participant] = []
    for participant in first.participants:
        current = dict(seats.get(participant.id, {}))
        attended = attended_rounds(first, participant)
        # A started round is fixed as it is: its seats kept, no seat given to anyone new.
        fixed = dict(participant.fixed)
        fixed.update({r: s for r, s in current.items() if r in started})
        kept_rounds = [r for r in attended if r not in started or r in fixed]
        if participant.id in gone:
            kept_rounds = [r for r in kept_rounds if r in started]
        elif participant.id in staying:
            fixed.update({r: s for r, s in current.items() if r in attended})
        entry = dataclasses.replace(
            participant, rounds=tuple(kept_rounds), fixed=fixed, current=current
        )
        if participant.id not in gone and participant.id not in staying:
            entry = dataclasses.replace(entry, ceiling=participant_cost(first, entry, current))
        day.append(entry)
    open_rounds = tuple(r for r in round_ids if r not in started)
    for i in range(walk_ins):
        model = rng.choice(present or hosts)
        day.append(
            Participant(
                f"walk-in-{i + 1}", model.organisation, model.preferences, rounds=open_rounds
            )
        )
    return dataclasses.replace(first, participants=tuple(day))


def _figures(
    problem: Problem, summary: ReofferSummary, assignment: dict[str, dict[str, str]]
) -> dict[str, Any]:
    total = summary.total
    topic_of = {s.id: s.topic for s in problem.sessions}
    walk_ins = [p for p in problem.participants if not p.current]
    ranked = sum(
        topic_of[sid] in p.preferences for p in walk_ins for sid in assignment[p.id].values()
    )
    return {
        "walk_ins_ranked": ranked,
        "freed": total.seats_freed,
        "refilled": total.seats_refilled,
        "moved": total.moved,
        "upgrades": total.upgrades,
        "ranks": sum(k * v for k, v in total.ranks_gained.items()),
        "by_ranks": dict(sorted(total.ranks_gained.items())),
        "walk_ins": total.walk_ins_seated,
        "walk_in_rounds": sum(
            len(attended_rounds(problem, p)) for p in problem.participants if not p.current
        ),
        "empty": total.empty_seats,
    }


def _run(problem: Problem, *, time_limit: float, seed: int) -> dict[str, Any]:
    started, cpu = time.perf_counter(), _cpu_seconds()
    result = solve(problem, time_limit=time_limit, seed=seed)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    assert result.status == "no_solution" or validate_assignment(problem, result.assignment) == []
    started = time.perf_counter()
    listed = waiting_list(problem)
    list_seconds = time.perf_counter() - started
    assert validate_assignment(problem, listed) == []
    return {
        "engine": {
            **_figures(problem, reoffer_moves(problem, result), result.assignment),
            "status": result.status,
            "objective": result.objective,
            "bound": result.lower_bound,
            "gap": result.gap,
            "seconds": seconds,
            "cpu": cpu,
        },
        "list": {
            **_figures(problem, reoffer_moves(problem, listed), listed),
            "objective": objective(problem, listed),
            "seconds": list_seconds,
            "cpu": list_seconds,
        },
    }


def speed(args: argparse.Namespace) -> None:
    print(
        f"\n== speed: re-offer before round 1, {100 * args.absent:.0f} % absent, "
        f"time limit {args.time_limit:g} s; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    print(
        "| instance | first s | re-offer s (cpu s) | ratio to first | status | objective "
        "| bound (gap) | moved | upgrades (ranks) | waiting list s | list upgrades (ranks) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n, rounds, per_round in ((600, 3, 10), (10_000, 4, 24)):
        if n not in args.sizes:
            continue
        first = Problem.from_dict(
            instances.generate(n, rounds=rounds, sessions_per_round=per_round, seed=args.seed)
        )
        started = time.perf_counter()
        published = solve(first, time_limit=args.first_time_limit, seed=args.seed)
        first_seconds = time.perf_counter() - started
        day = the_day(
            first,
            published.assignment,
            absent=args.absent,
            walk_ins=0,
            opt_out=0.0,
            before_round=1,
            seed=args.seed,
        )
        out = _run(day, time_limit=args.time_limit, seed=args.seed)
        e, w = out["engine"], out["list"]
        print(
            f"| {n:,} × {rounds} | {first_seconds:.1f} | {e['seconds']:.2f} ({e['cpu']:.2f}) "
            f"| {e['seconds'] / first_seconds:.2f} | {e['status']} | {e['objective']:,} "
            f"| {e['bound']:,} ({100 * e['gap']:.3f} %) | {e['moved']:,} "
            f"| {e['upgrades']:,} ({e['ranks']:,}) | {w['seconds']:.2f} "
            f"| {w['upgrades']:,} ({w['ranks']:,}) |",
            flush=True,
        )


BUILD = """
import json, sys
from django.db.models import Count, Q
from ketenconf.allocation.adapter import problem_build
from ketenconf.core.tenancy import edition_scope, scopes_disabled
from ketenconf.events.models import Edition
with scopes_disabled():  # counting registrations over every edition
    edition = (
        Edition.objects.annotate(
            n=Count("registrations", filter=Q(registrations__status="registered"))
        )
        .order_by("-n", "slug")
        .first()
    )
with edition_scope(edition):
    problem = problem_build(edition=edition, max_organisation_share={share}).problem
with open({path!r}, "w") as out:
    json.dump({{"edition": edition.slug, "problem": problem.to_dict()}}, out)
"""


def demo_problem(args: argparse.Namespace) -> tuple[str, Problem]:
    env = production_env(f"{args.server}/{args.database}")
    if not args.reuse:
        print(f"database {args.database}: create, migrate, demo ...", flush=True)
        recreate_database(args.server, args.database)
        ketenconf(env, "migrate", "--noinput")
        ketenconf(env, "demo")
    handle, path = tempfile.mkstemp(prefix="reoffer-", suffix=".json")
    os.close(handle)
    try:
        python(env, BUILD.format(share=args.share, path=path))
        data = json.loads(Path(path).read_text())
    finally:
        os.unlink(path)
        if not args.keep and not args.reuse:
            drop_database(args.server, args.database)
    return data["edition"], Problem.from_dict(data["problem"])


def demo(args: argparse.Namespace) -> None:
    slug, first = demo_problem(args)
    started = time.perf_counter()
    published = solve(first, time_limit=args.first_time_limit, seed=args.seed)
    first_seconds = time.perf_counter() - started
    seats = sum(s.capacity for s in first.sessions)
    print(
        f"\n== the day of {slug}: {len(first.participants):,} participants, "
        f"{len(first.rounds)} rounds, {len(first.sessions)} sessions, {seats:,} seats; first "
        f"assignment {published.status} in {first_seconds:.1f} s; re-offer before round "
        f"{args.before_round}, {args.walk_ins} walk-ins, {100 * args.opt_out:.0f} % opt out; "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    print(
        "| no-shows | by | freed | re-filled | moved | upgrades | ranks gained (1/2/3+) "
        "| walk-in rounds seated (ranked) | empty seats | objective | s (cpu s) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for share in args.no_shows:
        day = the_day(
            first,
            published.assignment,
            absent=share,
            walk_ins=args.walk_ins,
            opt_out=args.opt_out,
            before_round=args.before_round,
            seed=args.seed,
        )
        out = _run(day, time_limit=args.time_limit, seed=args.seed)
        for name, f in (("engine", out["engine"]), ("waiting list", out["list"])):
            by = f["by_ranks"]
            spread = f"{by.get(1, 0)}/{by.get(2, 0)}/{sum(v for k, v in by.items() if k >= 3)}"
            status = f" ({f['status']})" if "status" in f and f["status"] != "optimal" else ""
            print(
                f"| {100 * share:.0f} % | {name}{status} | {f['freed']} | {f['refilled']} "
                f"| {f['moved']} | {f['upgrades']} | {f['ranks']} ({spread}) "
                f"| {f['walk_ins']} of {f['walk_in_rounds']} ({f['walk_ins_ranked']}) "
                f"| {f['empty']} | {f['objective']:,} | {f['seconds']:.2f} ({f['cpu']:.2f}) |",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--no-demo", action="store_true")
    parser.add_argument("--sizes", default="600,10000", help="of 600 and 10000")
    parser.add_argument("--absent", type=float, default=0.15, help="absent share (speed)")
    parser.add_argument("--no-shows", default="0.10,0.15,0.25", help="absent shares (demo)")
    parser.add_argument("--walk-ins", type=int, default=20)
    parser.add_argument("--opt-out", type=float, default=0.05)
    parser.add_argument("--before-round", type=int, default=1)
    parser.add_argument("--share", type=float, default=0.25, help="max_organisation_share")
    parser.add_argument("--time-limit", type=float, default=15.0, help="of a re-offer")
    parser.add_argument("--first-time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="ketenconf_bench_reoffer")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the database kept before")
    args = parser.parse_args()
    args.sizes = {int(n) for n in args.sizes.split(",") if n}
    args.no_shows = [float(x) for x in args.no_shows.split(",") if x]
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}", flush=True)
    if not args.no_speed:
        speed(args)
    if not args.no_demo:
        demo(args)


if __name__ == "__main__":
    main()
