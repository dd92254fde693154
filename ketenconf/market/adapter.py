"""Between the database and the stand placement engine.

:func:`problem_build` reads the floor and the accepted stands of an edition (ids are primary
keys as strings); :func:`result_apply` writes a placement back. The engine never sees the
database; this module never places.
"""

from __future__ import annotations

from ketenconf.events.models import Edition

from .engine import Placement, Position
from .engine import Stand as StandInput
from .models import FloorPosition, Stand, StandStatus


def problem_build(*, edition: Edition) -> tuple[list[Position], list[StandInput]]:
    """The floor's positions and the accepted stands; a stand moved by hand is ``fixed``."""
    positions = [
        Position(str(p.pk), p.number, p.row, p.column, p.has_power, p.is_large)
        for p in FloorPosition.objects.filter(edition=edition)
    ]
    stands = [
        StandInput(
            str(s.pk),
            str(s.organisation_id),
            tuple(s.themes),
            s.needs_power,
            s.needs_large,
            str(s.position_id) if s.position_locked and s.position_id else None,
        )
        for s in Stand.objects.filter(edition=edition, status=StandStatus.ACCEPTED).order_by("pk")
    ]
    return positions, stands


def result_apply(*, edition: Edition, result: Placement) -> None:
    """Put the accepted stands where ``result`` says; stands placed by hand stay put."""
    accepted = Stand.objects.filter(edition=edition, status=StandStatus.ACCEPTED)
    accepted.filter(position_locked=False).update(position=None)
    for stand_id, position_id in result.positions.items():
        Stand.objects.filter(pk=int(stand_id)).update(position_id=int(position_id))
