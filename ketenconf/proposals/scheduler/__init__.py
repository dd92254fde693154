"""Programme scheduling engine: pure Python, no Django.

Places accepted topics in rounds and rooms: expected seats for everyone's favourites,
fewest clashes between topics the same people want, a host never in two places, room
features respected, pins kept. Reports a proven lower bound on its objective. Use::

    problem = Problem.from_dict(data)      # raises InvalidProblem on shape errors
    schedule = solve(problem, time_limit=30)
    schedule.to_dict()
"""

from ketenconf.enginekit.errors import InvalidProblem, ProblemError

from .cost import Clash, Cost, evaluate
from .greedy import greedy
from .problem import Placement, Problem, Room, Round, Together, Topic, Weights
from .result import Schedule
from .solve import solve
from .validate import validate, validate_schedule

__all__ = [
    "Clash",
    "Cost",
    "InvalidProblem",
    "Placement",
    "Problem",
    "ProblemError",
    "Room",
    "Round",
    "Schedule",
    "Together",
    "Topic",
    "Weights",
    "evaluate",
    "greedy",
    "solve",
    "validate",
    "validate_schedule",
]
