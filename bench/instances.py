"""Realistic generated instances of the workshop assignment problem (docs/allocation-contract.md format).

What makes them realistic: topic popularity is skewed (a few workshops everyone wants);
organisations have very different sizes and each has its own taste in topics; popular topics
run in more rounds; organisers size rooms roughly to expected demand, with ~15% slack and
noise; some rooms have steps; ~5% of participants need step-free access; ~15% skip a round;
every session has a host with a fixed seat; preference lists are 1–4 topics longer than the
number of rounds; the organisation-share rule is on (0.25).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def generate(
    participants: int,
    *,
    rounds: int = 4,
    sessions_per_round: int = 12,
    share: float | None = 0.25,
    seed: int = 0,
) -> dict[str, Any]:
    """A problem in the JSON form of docs/allocation-contract.md."""
    rng = np.random.default_rng(seed)
    topic_count = max(sessions_per_round + 2, math.ceil(1.5 * sessions_per_round))
    popularity = 1.0 / np.arange(1, topic_count + 1) ** 0.8
    popularity = popularity[rng.permutation(topic_count)]

    org_count = max(5, int(4 * math.sqrt(participants)))
    org_sizes = 1.0 / np.arange(1, org_count + 1) ** 1.1
    org_of = rng.choice(org_count, size=participants, p=org_sizes / org_sizes.sum())
    affinity = rng.lognormal(0.0, 0.6, size=(org_count, topic_count))

    # Runs per topic: every topic at least once, popular ones in more rounds.
    runs = np.ones(topic_count, dtype=np.int64)
    extra = rounds * sessions_per_round - topic_count
    share_of = popularity / popularity.sum()
    for _ in range(extra):
        room = runs < rounds
        want = np.where(room, share_of * rounds * sessions_per_round - runs, -np.inf)
        runs[int(np.argmax(want))] += 1
    load = np.zeros(rounds, dtype=np.int64)
    session_topic: list[int] = []
    session_round: list[int] = []
    for t in np.argsort(-runs, kind="stable").tolist():
        for _ in range(int(runs[t])):
            free = [
                r for r in np.argsort(load, kind="stable").tolist() if load[r] < sessions_per_round
            ]
            used = {session_round[i] for i, tt in enumerate(session_topic) if tt == t}
            choice = next((r for r in free if r not in used), free[0])
            session_topic.append(t)
            session_round.append(choice)
            load[choice] += 1

    attend_all = rng.random(participants) < 0.85
    skipped = rng.integers(0, rounds, size=participants)
    attendance = participants - (~attend_all).sum() / rounds

    sessions = []
    for i, (t, r) in enumerate(zip(session_topic, session_round, strict=True)):
        expected = attendance * share_of[t] / runs[t] * 1.15
        capacity = int(max(8, round(expected * rng.uniform(0.6, 1.5))))
        sessions.append(
            {
                "id": f"s{i + 1}",
                "topic": f"t{t + 1}",
                "round": f"r{r + 1}",
                "capacity": capacity,
                "accessible": bool(rng.random() < 0.85),
            }
        )
    # Make sure each round seats everyone, with slack, and step-free seats for those who need them.
    for r in range(rounds):
        in_round = [s for s in sessions if s["round"] == f"r{r + 1}"]
        total = sum(s["capacity"] for s in in_round)
        factor = max(1.0, 1.12 * attendance / max(1, total))
        for s in in_round:
            s["capacity"] = math.ceil(s["capacity"] * factor)
        if not any(s["accessible"] for s in in_round):
            in_round[0]["accessible"] = True

    lengths = np.minimum(rounds + rng.integers(1, 5, size=participants), topic_count)
    keys = (
        np.log(popularity)[None, :]
        + np.log(affinity[org_of])
        + rng.gumbel(size=(participants, topic_count))
    )
    order = np.argsort(-keys, axis=1)
    needs = rng.random(participants) < 0.05

    people = []
    for p in range(participants):
        entry: dict[str, Any] = {
            "id": f"p{p + 1}",
            "organisation": f"o{org_of[p] + 1}",
            "preferences": [f"t{t + 1}" for t in order[p, : lengths[p]].tolist()],
        }
        if not attend_all[p]:
            entry["rounds"] = [f"r{r + 1}" for r in range(rounds) if r != skipped[p]]
        if needs[p]:
            entry["needs_accessible"] = True
        people.append(entry)

    # One host per session: a participant who attends the round, fixed there.
    host_candidates = rng.permutation(participants).tolist()
    busy: set[int] = set()
    for i, s in enumerate(sessions):
        while host_candidates:
            p = host_candidates.pop()
            if p in busy:
                continue
            person = people[p]
            if s["round"] not in person.get("rounds", [s["round"]]):
                continue
            if person.get("needs_accessible") and not s["accessible"]:
                continue
            person["fixed"] = {s["round"]: s["id"]}
            busy.add(p)
            break
        del i

    data: dict[str, Any] = {
        "rounds": [{"id": f"r{r + 1}", "label": f"Ronde {r + 1}"} for r in range(rounds)],
        "sessions": sessions,
        "participants": people,
        "rules": {} if share is None else {"max_organisation_share": share},
    }
    return data


SIZES: dict[int, dict[str, int]] = {
    600: {"rounds": 4, "sessions_per_round": 10},
    10_000: {"rounds": 4, "sessions_per_round": 24},
    100_000: {"rounds": 4, "sessions_per_round": 40},
}


def generated(participants: int, seed: int = 0) -> dict[str, Any]:
    """The benchmark instance of this size (shape from ``SIZES``, else 4 rounds × 12)."""
    shape = SIZES.get(participants, {"rounds": 4, "sessions_per_round": 12})
    return generate(participants, seed=seed, **shape)


def few_ranked(
    participants: int, *, rounds: int = 4, sessions_per_round: int = 30, seed: int = 0
) -> dict[str, Any]:
    """Fewer ranked topics than rounds: lists of 2–7 of ~100 topics, 4 rounds attended.

    A third to half of all seats go to unranked topics. Topics repeat across rounds (120
    sessions, 100 topics), a few hosts have fixed seats, 10 % attend only some rounds, 5 %
    need step-free rooms, organisation share 0.3; each round seats everyone with ~6 % slack.
    """
    rng = np.random.default_rng(seed)
    topic_count = max(2, (rounds * sessions_per_round * 5) // 6)
    popularity = 1.0 / np.arange(1, topic_count + 1) ** 0.7
    share_of = popularity / popularity.sum()
    session_topic = list(range(topic_count))
    session_topic += rng.choice(
        topic_count, size=rounds * sessions_per_round - topic_count, replace=False, p=share_of
    ).tolist()
    session_topic = rng.permutation(session_topic).tolist()
    session_round = []
    for r in range(rounds):
        session_round += [r] * sessions_per_round
    sessions = []
    for i, (t, r) in enumerate(zip(session_topic, session_round, strict=True)):
        sessions.append(
            {
                "id": f"s{i + 1}",
                "topic": f"t{t + 1}",
                "round": f"r{r + 1}",
                "capacity": 1,
                "accessible": bool(rng.random() < 0.8),
            }
        )
    partial = rng.random(participants) < 0.10
    attend = np.ones((participants, rounds), dtype=bool)
    for p in np.flatnonzero(partial).tolist():
        keep = rng.integers(1, rounds) if rounds > 1 else 1
        attend[p] = False
        attend[p, rng.choice(rounds, size=keep, replace=False)] = True
    runs = np.bincount(np.array(session_topic), minlength=topic_count)
    for r in range(rounds):
        in_round = [i for i, rr in enumerate(session_round) if rr == r]
        demand = (
            share_of[[session_topic[i] for i in in_round]]
            / runs[[session_topic[i] for i in in_round]]
        )
        demand = demand / demand.sum()
        seats = attend[:, r].sum() * 1.06
        flat = 0.5 * seats / len(in_round) + 0.5 * seats * demand
        for i, want in zip(in_round, flat.tolist(), strict=True):
            sessions[i]["capacity"] = max(5, math.ceil(want * rng.uniform(0.8, 1.2)))
        if not any(sessions[i]["accessible"] for i in in_round):
            sessions[in_round[0]]["accessible"] = True
    org_count = max(5, int(3 * math.sqrt(participants)))
    org_sizes = 1.0 / np.arange(1, org_count + 1) ** 1.1
    org_of = rng.choice(org_count, size=participants, p=org_sizes / org_sizes.sum())
    lengths = rng.integers(2, 8, size=participants)
    keys = np.log(popularity)[None, :] + rng.gumbel(size=(participants, topic_count))
    order = np.argsort(-keys, axis=1)
    needs = rng.random(participants) < 0.05
    people = []
    for p in range(participants):
        entry: dict[str, Any] = {
            "id": f"p{p + 1}",
            "organisation": f"o{org_of[p] + 1}",
            "preferences": [f"t{t + 1}" for t in order[p, : lengths[p]].tolist()],
        }
        if partial[p]:
            entry["rounds"] = [f"r{r + 1}" for r in range(rounds) if attend[p, r]]
        if needs[p]:
            entry["needs_accessible"] = True
        people.append(entry)
    # A few hosts: one fixed seat in every tenth session.
    for i in range(0, len(sessions), 10):
        s = sessions[i]
        p = int(rng.integers(participants))
        person = people[p]
        if "fixed" in person or s["round"] not in person.get("rounds", [s["round"]]):
            continue
        if person.get("needs_accessible") and not s["accessible"]:
            continue
        person["fixed"] = {s["round"]: s["id"]}
    return {
        "rounds": [{"id": f"r{r + 1}", "label": f"Ronde {r + 1}"} for r in range(rounds)],
        "sessions": sessions,
        "participants": people,
        "rules": {"max_organisation_share": 0.3},
    }


def full_ranking(
    participants: int, *, rounds: int = 5, topics: int = 10, seed: int = 0
) -> dict[str, Any]:
    """Everyone ranks every topic, every topic runs every round, capacity exactly 100 %."""
    rng = np.random.default_rng(seed)
    popularity = np.log(1.0 / np.arange(1, topics + 1) ** 0.8)
    keys = popularity[None, :] + rng.gumbel(size=(participants, topics))
    order = np.argsort(-keys, axis=1)
    base, extra = divmod(participants, topics)
    sessions = []
    for r in range(rounds):
        for t in range(topics):
            sessions.append(
                {
                    "id": f"s{r + 1}-{t + 1}",
                    "topic": f"t{t + 1}",
                    "round": f"r{r + 1}",
                    "capacity": base + (1 if t < extra else 0),
                }
            )
    people = [
        {
            "id": f"p{p + 1}",
            "organisation": f"o{p % 7 + 1}",
            "preferences": [f"t{t + 1}" for t in order[p].tolist()],
        }
        for p in range(participants)
    ]
    return {
        "rounds": [{"id": f"r{r + 1}", "label": f"Ronde {r + 1}"} for r in range(rounds)],
        "sessions": sessions,
        "participants": people,
    }


def long_lists(
    participants: int, *, rounds: int = 3, topics: int = 200, seed: int = 0
) -> dict[str, Any]:
    """Many unranked seats with long topic lists: 200 topics in 3 rounds, lists of 0–3."""
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, topics + 1) ** 0.9
    share_of = popularity / popularity.sum()
    sessions = []
    per_round = math.ceil(topics / rounds)
    for t in range(topics):
        r = t % rounds
        seats = participants * 1.1 * (0.5 / per_round + 0.5 * share_of[t] * rounds)
        sessions.append(
            {
                "id": f"s{t + 1}",
                "topic": f"t{t + 1}",
                "round": f"r{r + 1}",
                "capacity": max(3, math.ceil(seats * rng.uniform(0.8, 1.2))),
            }
        )
    keys = np.log(popularity)[None, :] + rng.gumbel(size=(participants, topics))
    order = np.argsort(-keys, axis=1)
    lengths = rng.integers(0, 4, size=participants)
    people = [
        {
            "id": f"p{p + 1}",
            "organisation": f"o{p % 23 + 1}",
            "preferences": [f"t{t + 1}" for t in order[p, : lengths[p]].tolist()],
        }
        for p in range(participants)
    ]
    return {
        "rounds": [{"id": f"r{r + 1}", "label": f"Ronde {r + 1}"} for r in range(rounds)],
        "sessions": sessions,
        "participants": people,
        "rules": {"max_organisation_share": 0.3},
    }


#: The shapes where the first engine lost to the direct MIP, by name.
SHAPES = {"few-ranked": few_ranked, "full-ranking": full_ranking, "long-lists": long_lists}


def shaped(name: str, participants: int, seed: int = 0) -> dict[str, Any]:
    """``few-ranked``, ``full-ranking`` or ``long-lists`` at this many participants."""
    return SHAPES[name](participants, seed=seed)
