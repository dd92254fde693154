"""Workshop assignment engine: pure Python, no Django.

Solves the problem of docs/allocation-contract.md (ranked topic preferences, rounds, capacities, fixed
seats, step-free access, an organisation-share rule) for the squared-rank objective, and
reports a proven lower bound. Use::

    problem = Problem.from_dict(data)        # raises InvalidProblem on shape errors
    result = solve(problem, time_limit=60, seed=0)
    result.to_dict()

See docs/assignment.md for the method.
"""

from .baselines import first_come_first_served, random_serial_dictatorship
from .cost import objective
from .errors import InvalidProblem, ProblemError
from .problem import Participant, Problem, Round, Rules, Session
from .result import Metrics, Result, Unassigned
from .solve import solve
from .validate import validate, validate_assignment

__all__ = [
    "InvalidProblem",
    "Metrics",
    "Participant",
    "Problem",
    "ProblemError",
    "Result",
    "Round",
    "Rules",
    "Session",
    "Unassigned",
    "first_come_first_served",
    "objective",
    "random_serial_dictatorship",
    "solve",
    "validate",
    "validate_assignment",
]
