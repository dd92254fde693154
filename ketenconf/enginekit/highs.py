"""HiGHS as every engine uses it: silent, single-threaded, seeded, within a time limit."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

import highspy

_banner_shown = False


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance; the first one is built with stdout closed.

    HiGHS 1.16 prints its banner to file descriptor 1 when the first instance is built,
    before any option can be set; that line would corrupt output piped by a CLI.
    """
    global _banner_shown
    if _banner_shown:
        highs = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 1)
                highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_shown = True
    highs.silent()
    # HiGHS starts one task scheduler per process with the thread count of the first run;
    # a later run that asks for another count fails at once (a MIP then reports its start
    # with a bound of 0). Every engine runs single-threaded, so every instance says so.
    highs.setOptionValue("threads", 1)
    return highs


def mip_highs(
    *, time_limit: float, seed: int, options: Iterable[tuple[str, bool | float | str]] = ()
) -> highspy.Highs:
    """A :func:`new_highs` for a MIP with a whole-number objective, then ``options``.

    A seed for repeatable runs and an absolute gap under 1: with whole-number costs,
    anything closer is optimal.
    """
    highs = new_highs()
    for name, value in (
        ("random_seed", seed % 2_147_483_647),
        ("time_limit", max(0.01, time_limit)),
        ("mip_rel_gap", 0.0),
        ("mip_abs_gap", 0.99),
        *options,
    ):
        highs.setOptionValue(name, value)
    return highs
