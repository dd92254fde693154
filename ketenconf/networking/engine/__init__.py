"""Matchmaking engine: pure Python and numpy, no Django.

Proposes meetings between people of different organisations who share interests, at
numbered tables in set slots, honouring accepted requests first, and reports a proven
upper bound on the total weight. Use::

    problem = Problem.from_dict(data)        # raises InvalidProblem on shape errors
    result = solve(problem, time_limit=60, seed=0)
    result.to_dict()
"""

from ketenconf.enginekit.errors import InvalidProblem, ProblemError

from .problem import Meeting, Person, Problem, Rules, Slot, Table, pair
from .result import Metrics, Result, metrics, total_weight
from .solve import greedy_baseline, solve
from .validate import validate, validate_meetings
from .weights import pair_weight, shared_interests

__all__ = [
    "InvalidProblem",
    "Meeting",
    "Metrics",
    "Person",
    "Problem",
    "ProblemError",
    "Result",
    "Rules",
    "Slot",
    "Table",
    "greedy_baseline",
    "metrics",
    "pair",
    "pair_weight",
    "shared_interests",
    "solve",
    "total_weight",
    "validate",
    "validate_meetings",
]
