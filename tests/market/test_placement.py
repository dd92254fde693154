"""Automatic placement of stands: a pure function, checked on grids small enough to reason about."""

from __future__ import annotations

from ketenconf.market.engine import Position, Stand, cost, place, validate_placement


def row(count: int, *, power: tuple[int, ...] = ()) -> list[Position]:
    return [Position(f"p{n}", n, 1, n, power=n in power) for n in range(1, count + 1)]


def test_stands_of_one_organisation_end_up_side_by_side() -> None:
    positions = row(6)
    stands = [
        Stand("coa1", "COA", ("reception",)),
        Stand("ind", "IND", ("asylum_procedure",)),
        Stand("coa2", "COA", ("housing",)),
        Stand("vng", "VNG", ("integration",)),
    ]
    result = place(positions, stands)
    numbers = {sid: int(pid[1:]) for sid, pid in result.positions.items()}
    assert abs(numbers["coa1"] - numbers["coa2"]) == 1
    assert result.cost == 0
    assert validate_placement(positions, stands, result.positions) == []


def test_themes_are_spread_rather_than_side_by_side() -> None:
    positions = row(3)
    stands = [
        Stand("a", "A", ("return",)),
        Stand("b", "B", ("return",)),
        Stand("c", "C", ("housing",)),
    ]
    result = place(positions, stands)
    assert result.positions["c"] == "p2"
    assert result.cost == 0


def test_power_is_a_need_and_a_stand_without_a_fitting_position_stays_unplaced() -> None:
    positions = row(3, power=(3,))
    stands = [
        Stand("a", "A", needs_power=True),
        Stand("b", "B", needs_power=True),
        Stand("c", "C"),
    ]
    result = place(positions, stands)
    assert [result.positions.get(s) for s in ("a", "b")].count("p3") == 1
    assert len(result.unplaced) == 1
    assert validate_placement(positions, stands, result.positions) == []


def test_a_stand_placed_by_hand_stays() -> None:
    positions = row(4)
    stands = [Stand("a", "A", ("return",), fixed="p1"), Stand("b", "A", ("return",))]
    result = place(positions, stands)
    assert result.positions == {"a": "p1", "b": "p2"}


def test_cost_counts_distance_within_an_organisation_and_neighbouring_themes() -> None:
    positions = row(4)
    stands = [Stand("a", "A", ("return",)), Stand("b", "A"), Stand("c", "C", ("return",))]
    assert cost(positions, stands, {"a": "p1", "b": "p4", "c": "p2"}) == 5 * 2 + 3
    assert validate_placement(positions, stands, {"a": "p1", "c": "p1"}) == [
        'position 1 holds "a" and "c"'
    ]
