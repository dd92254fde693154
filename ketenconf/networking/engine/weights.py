"""What a meeting between two people is worth; the one definition the solver and checks share."""

from __future__ import annotations

from .problem import Person, Rules


def pair_weight(a: Person, b: Person, rules: Rules) -> int:
    """The weight of a meeting of ``a`` and ``b`` (0: never proposed).

    Colleagues of one organisation are worth 0. Otherwise a pair is worth something only
    when they share an interest or one of them wanted to meet the other's kind of
    organisation; then different kinds of organisation and different links of the chain add
    to it, so the engine prefers meetings that cross the chain.
    """
    if a.organisation == b.organisation:
        return 0
    shared = len(set(a.interests).intersection(b.interests))
    wanted = (b.kind in a.wanted_kinds) + (a.kind in b.wanted_kinds)
    if shared == 0 and wanted == 0:
        return 0
    weight = shared * rules.shared_interest + wanted * rules.wanted_kind
    if a.kind != b.kind:
        weight += rules.other_kind
    if set(a.chain_links) != set(b.chain_links):
        weight += rules.other_chain_links
    return weight


def shared_interests(a: Person, b: Person) -> list[str]:
    """The interests two people share, in ``a``'s order."""
    theirs = set(b.interests)
    return [interest for interest in a.interests if interest in theirs]
