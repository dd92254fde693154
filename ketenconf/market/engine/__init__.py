"""Stand placement engine: pure Python, no Django (an import-linter contract enforces it).

Positions on the floor grid and the accepted stands in; a :class:`Placement` (stand id →
position id) out, the same for the same input and seed. Use::

    result = place(positions, stands, seed=0)
    validate_placement(positions, stands, result.positions)  # [] when every rule holds

The method is described in :mod:`.placement`; ``market/adapter.py`` builds the input from
the database and writes the answer back.
"""

from .placement import Placement, Position, Stand, cost, fits, place, validate_placement

__all__ = ["Placement", "Position", "Stand", "cost", "fits", "place", "validate_placement"]
