"""Benchmark of the matchmaking engine against a greedy baseline, on synthetic crowds.

    .venv/bin/python bench/matchmaking.py                      # 600 and 20,000 participants
    .venv/bin/python bench/matchmaking.py --sizes 600 --seed 3 --tables 0.5

Participants come from ``ketenconf.demo.participants.generate_participants`` (the crowd of a
chain conference: IND, COA, DT&V and municipalities send the most people); those who gave
networking consent (about 70%) take part. Each picks interests as people would: one or two
links of the chain their organisation works on, one other link, one or two themes; half
name one or two kinds of organisation they want to meet. One in fifty has an accepted
request with someone of another organisation. Three slots, tables of four seats (two
meetings at once) for ``--tables`` of the people at once (default 0.8), at most three
meetings each.

For each size it prints, for the engine and for the greedy baseline (heaviest pair first,
first slot free for both, no search) in the same run: the time, the total weight, the gap
to the proven upper bound (each person's best partners with a price on table places, see
``ketenconf.networking.engine.compiled.upper_bound``), and the organisers' metrics. The
bound is the same for both; times include building the candidate pairs from all pairs.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ketenconf.demo.participants import generate_participants  # noqa: E402
from ketenconf.networking.engine import (  # noqa: E402
    Person,
    Problem,
    Result,
    Rules,
    Slot,
    Table,
    greedy_baseline,
    solve,
    validate_meetings,
)

THEMES = (
    "flexibility",
    "information_exchange",
    "minors",
    "health_wellbeing",
    "work_income",
    "language_education",
    "safety",
    "exploitation",
    "legal_aid",
    "public_private",
)
LINKS = (
    "arrival",
    "reception",
    "asylum_procedure",
    "housing",
    "integration",
    "return",
    "resettlement",
    "labour_migration",
)
KINDS = (
    "ministry",
    "national_agency",
    "municipality",
    "municipal_association",
    "police",
    "ngo",
    "civil_society",
    "knowledge_institute",
    "business",
)


def synthetic_problem(count: int, *, seed: int, table_share: float) -> Problem:
    rng = random.Random(seed)
    people = []
    for n, p in enumerate(generate_participants(count=count, seed=seed)):
        if not p.networking_consent:
            continue
        own = list(p.chain_links) or [rng.choice(LINKS)]
        interests = set(rng.sample(own, min(len(own), rng.randint(1, 2))))
        interests.add(rng.choice(LINKS))
        interests.update(rng.sample(THEMES, rng.randint(1, 2)))
        wanted: tuple[str, ...] = ()
        if rng.random() < 0.5:
            others = [k for k in KINDS if k != p.organisation_kind]
            wanted = tuple(rng.sample(others, rng.randint(1, 2)))
        people.append(
            Person(
                id=f"p{n}",
                organisation=p.organisation,
                kind=p.organisation_kind,
                chain_links=tuple(p.chain_links),
                interests=tuple(sorted(interests)),
                wanted_kinds=wanted,
            )
        )
    requests = []
    taken: set[str] = set()
    for person in rng.sample(people, len(people) // 50):
        other = rng.choice(people)
        if other.organisation == person.organisation or {person.id, other.id} & taken:
            continue
        taken.update((person.id, other.id))
        requests.append((person.id, other.id))
    tables = math.ceil(table_share * len(people) / 4)
    return Problem(
        slots=tuple(Slot(f"s{i}", f"slot {i}") for i in range(1, 4)),
        tables=tuple(Table(f"t{i}", i, 4) for i in range(1, tables + 1)),
        people=tuple(people),
        rules=Rules(max_meetings=3),
        requests=tuple(requests),
    )


def line(name: str, result: Result, bound: int) -> str:
    m = result.metrics
    gap = (bound - result.weight) / bound if bound else 0.0
    return (
        f"  {name:<7} {result.seconds:7.2f} s  weight {result.weight:>9,}  "
        f"bound {bound:>9,}  gap {gap:6.2%}  "
        f"meetings {m.meetings:>6,}  per person {m.meetings_per_person:4.2f}  "
        f"org pairs {m.organisation_pairs:>5,}  cross-kind {m.cross_kind_share:6.1%}  "
        f"requests {m.requests_honoured}/{m.requests}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="600,20000", help="participants, comma-separated")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tables", type=float, default=0.8, help="share of people seated at once")
    parser.add_argument("--time-limit", type=float, default=55.0)
    args = parser.parse_args(argv)
    for size in (int(s) for s in args.sizes.split(",")):
        problem = synthetic_problem(size, seed=args.seed, table_share=args.tables)
        print(
            f"{size:,} participants: {len(problem.people):,} consented to networking, "
            f"{len(problem.slots)} slots x {len(problem.tables):,} tables "
            f"({problem.meetings_per_slot:,} meetings per slot), "
            f"{len(problem.requests)} accepted requests"
        )
        started = time.perf_counter()
        engine = solve(problem, time_limit=args.time_limit, seed=args.seed)
        engine_seconds = time.perf_counter() - started
        baseline = greedy_baseline(problem, seed=args.seed)
        for result in (engine, baseline):
            assert validate_meetings(problem, result.meetings) == []
        # One bound for both: the best proven one of the run (the engine's, LP-based).
        bound = min(engine.upper_bound, baseline.upper_bound)
        print(line("engine", engine, bound))
        print(line("greedy", baseline, bound))
        ratio = engine.weight / baseline.weight if baseline.weight else float("nan")
        print(
            f"  engine/greedy: weight x{ratio:.4f}, time x{engine.seconds / baseline.seconds:.2f}"
            f" (engine wall clock {engine_seconds:.2f} s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
