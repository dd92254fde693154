"""Real preference data (bench/data/preferences, see its SOURCES.md for each file's source and
licence) turned into assignment problems.

None of these datasets is a workshop conference, so each needs a choice of rounds and
capacities; the choices are stated per function. Organisations are unknown, so the share
rule is off.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "preferences"


def _preflib_orders(path: Path) -> list[list[int]]:
    """Strict orders of a PrefLib .soc/.soi file, one per voter (counts expanded)."""
    orders = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        count, _, order = line.partition(":")
        items = [int(x) for x in order.replace("{", "").replace("}", "").split(",") if x.strip()]
        orders.extend([items] * int(count))
    return orders


def glasgow_projects(year_file: str = "00038-00000008") -> dict[str, Any]:
    """Glasgow student-project allocation: one round; a project is a topic with one session.

    Each project takes at most as many students as its supervisor's capacity (the .dat file);
    the supervisor's total is not modelled. Students rank up to six projects.
    """
    folder = DATA / "00038-project"
    orders = _preflib_orders(folder / f"{year_file}.soi")
    capacity: dict[int, int] = {}
    with (folder / f"{year_file}.dat").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for project in row["Projects"].split():
                capacity[int(project)] = int(row["Capacity"])
    projects = sorted({p - 1 for order in orders for p in order} | set(capacity))
    return {
        "rounds": [{"id": "r1"}],
        "sessions": [
            {"id": f"s{p}", "topic": f"project{p}", "round": "r1", "capacity": capacity.get(p, 1)}
            for p in projects
        ],
        "participants": [
            {
                "id": f"student{i}",
                "organisation": f"student{i}",
                "preferences": [f"project{p - 1}" for p in order],
            }
            for i, order in enumerate(orders)
        ],
    }


def agh_courses(file: str = "00009-00000001") -> dict[str, Any]:
    """AGH elective courses (complete rankings of 9): three rounds, every course runs in two
    of them, rooms for 115% of the students spread evenly."""
    orders = _preflib_orders(DATA / "00009-agh" / f"{file}.soc")
    courses = sorted({c for order in orders for c in order})
    rounds = 3
    sessions = []
    per_round = math.ceil(2 * len(courses) / rounds)
    capacity = math.ceil(1.15 * len(orders) / per_round)
    for i, c in enumerate(courses):
        for k in range(2):
            r = (i + k * (len(courses) // 2 + 1)) % rounds
            sessions.append(
                {
                    "id": f"c{c}-{k}",
                    "topic": f"course{c}",
                    "round": f"r{r + 1}",
                    "capacity": capacity,
                }
            )
    return {
        "rounds": [{"id": f"r{r + 1}"} for r in range(rounds)],
        "sessions": sessions,
        "participants": [
            {
                "id": f"student{i}",
                "organisation": f"student{i}",
                "preferences": [f"course{c}" for c in order],
            }
            for i, order in enumerate(orders)
        ],
    }


def alpine_roundtables() -> dict[str, Any]:
    """Round tables at a scientific conference: participants gave 1-5 stars to abstracts.

    Four rounds; every rated abstract is a table in one round (dealt round-robin by id); a
    participant's preferences are their rated abstracts, most stars first (ties by id).
    Tables seat 130% of an even share of the participants.
    """
    ratings: dict[int, list[tuple[int, int]]] = defaultdict(list)
    with (DATA / "alpine-roundtables" / "rating_example.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["rating"] or not row["abstract_id"]:
                continue  # a few rows have no rating
            ratings[int(row["person_id"])].append((-int(row["rating"]), int(row["abstract_id"])))
    abstracts = sorted({a for rated in ratings.values() for _, a in rated})
    rounds = 4
    capacity = math.ceil(1.3 * len(ratings) * rounds / len(abstracts))
    return {
        "rounds": [{"id": f"r{r + 1}"} for r in range(rounds)],
        "sessions": [
            {
                "id": f"table{a}",
                "topic": f"abstract{a}",
                "round": f"r{i % rounds + 1}",
                "capacity": capacity,
            }
            for i, a in enumerate(abstracts)
        ],
        "participants": [
            {
                "id": f"person{p}",
                "organisation": f"person{p}",
                "preferences": [f"abstract{a}" for _, a in sorted(rated)],
            }
            for p, rated in sorted(ratings.items())
        ],
    }


REAL = {
    "glasgow-projects": glasgow_projects,
    "agh-courses": agh_courses,
    "alpine-roundtables": alpine_roundtables,
}
