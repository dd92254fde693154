"""Workshop assignment engine: pure Python, no Django.

Solves the problem of docs/allocation-contract.md (ranked topic preferences, rounds, capacities, fixed
seats, step-free access, an organisation-share rule) for the squared-rank objective, and
reports a proven lower bound. Use::

    problem = Problem.from_dict(data)        # raises InvalidProblem on shape errors
    result = solve(problem, time_limit=60, seed=0)
    result.to_dict()

See docs/assignment.md for the method.

Re-offer on the day (contract version 3, docs/allocation-contract.md): give participants
``current`` seats and a ``ceiling`` (:func:`participant_cost` of the current seats), keep
started rounds and opt-outs as ``fixed``, restrict absent participants' ``rounds`` to the
started ones, add walk-ins as plain participants; ``solve`` then moves people only to ranked
topics and never above their ceiling (status ``"no_solution"`` when it found nothing in time:
publish nothing), and :func:`reoffer_moves` lists the moves and the day's figures.
"""

from ketenconf.enginekit.errors import InvalidProblem, ProblemError

from .baselines import first_come_first_served, random_serial_dictatorship, waiting_list
from .cost import CostTable, objective, participant_cost
from .problem import Participant, Problem, Round, Rules, Session
from .reoffer import Move, ReofferSummary, RoundFigures, reoffer_moves
from .result import Metrics, Result, Unassigned
from .solve import solve
from .validate import validate, validate_assignment

__all__ = [
    "CostTable",
    "InvalidProblem",
    "Metrics",
    "Move",
    "Participant",
    "Problem",
    "ProblemError",
    "ReofferSummary",
    "Result",
    "Round",
    "RoundFigures",
    "Rules",
    "Session",
    "Unassigned",
    "first_come_first_served",
    "objective",
    "participant_cost",
    "random_serial_dictatorship",
    "reoffer_moves",
    "solve",
    "validate",
    "validate_assignment",
    "waiting_list",
]
