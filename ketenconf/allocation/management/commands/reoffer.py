"""``ketenconf reoffer SLUG --before-round N [--dry-run] [--json] [--time-limit S]``: the day's
re-offer.

The seats of participants not checked in at the door go, from workshop round N on, to those
who are there and want a better seat and to walk-ins who ranked workshops; nobody is worse
off. Without ``--dry-run`` the new seats are published and everyone who moves is mailed, as
the day's page and the API do. Exit status 1 when nothing was published (no answer in time,
or the published seats changed meanwhile), for a dry run too when the engine found no answer
in its time; a bad round, slug or time limit is a usage error.
"""

from __future__ import annotations

import json
import math
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ketenconf.allocation import services
from ketenconf.allocation.models import Reoffer, ReofferStatus
from ketenconf.core.tenancy import edition_scope
from ketenconf.events.models import Edition

#: An hour: the re-offer runs minutes before a round.
MAX_TIME_LIMIT = 3600.0
FIGURES = ("freed", "refilled", "upgrades", "ranks_gained", "walk_ins", "empty")


class Command(BaseCommand):
    help = "Re-offer the seats of participants not checked in, from a workshop round on."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("slug", help="the edition's slug")
        parser.add_argument(
            "--before-round",
            type=int,
            required=True,
            help="re-offer this workshop round and the later ones (counted from 1)",
        )
        parser.add_argument("--dry-run", action="store_true", help="only show the figures")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument(
            "--time-limit",
            type=float,
            default=services.REOFFER_TIME_LIMIT,
            metavar="S",
            help=f"seconds the engine may take (default {services.REOFFER_TIME_LIMIT})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        edition = Edition.objects.filter(slug=options["slug"]).first()
        if edition is None:
            raise CommandError(f"There is no edition {options['slug']!r}.")
        with edition_scope(edition):
            self._reoffer(edition, options)

    def _reoffer(self, edition: Edition, options: dict[str, Any]) -> None:
        limit = options["time_limit"]
        if not (math.isfinite(limit) and 0 < limit <= MAX_TIME_LIMIT):
            raise CommandError(
                f"--time-limit must be a number of seconds greater than 0 and at most "
                f"{MAX_TIME_LIMIT:,.0f}, not {limit}"
            )
        try:
            preview = services.reoffer_preview(
                edition=edition, before_round=options["before_round"], by=None, time_limit=limit
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        mailed = 0
        message = preview.message
        reoffer = preview
        if preview.status == ReofferStatus.PREVIEW and not options["dry_run"]:
            outcome = services.reoffer_confirm(preview=preview, by=None)
            reoffer, mailed, message = outcome.reoffer, outcome.mailed, outcome.message
        data = _summary(reoffer, dry_run=options["dry_run"], mailed=mailed, message=message)
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            self._table(data)
        if reoffer.status == ReofferStatus.NOTHING:
            raise SystemExit(1)

    def _table(self, data: dict[str, Any]) -> None:
        header = ["round", *FIGURES]
        rows = [[row["label"], *(str(row[key]) for key in FIGURES)] for row in data["rounds"]]
        rows.append(["total", *(str(data["total"][key]) for key in FIGURES)])
        widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
        for line in [header, *rows]:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) if i == 0 else cell.rjust(width)
                    for i, (cell, width) in enumerate(zip(line, widths, strict=True))
                )
            )
        self.stdout.write(
            f"{data['moved']} participants move, {data['worse_off']} worse off, "
            f"{data['seconds']:.2f} s; status {data['status']}"
            + (f", run {data['run_id']}" if data["run_id"] else "")
        )
        if data["message"]:
            self.stdout.write(data["message"])


def _summary(reoffer: Reoffer, *, dry_run: bool, mailed: int, message: str) -> dict[str, Any]:
    figures = reoffer.figures or {}
    return {
        "reoffer": reoffer.pk,
        "edition": reoffer.edition.slug,
        "before_round": reoffer.round_number,
        "dry_run": dry_run,
        "status": reoffer.status,
        "message": message,
        "run_id": reoffer.run_id,
        "moved": len({move["registration"] for move in reoffer.moves}),
        "worse_off": figures.get("worse_off", 0),
        "kept_in_place": reoffer.kept_in_place,
        "mailed": mailed,
        "seconds": round(reoffer.seconds, 3),
        "rounds": figures.get("rounds", []),
        "total": figures.get("total") or dict.fromkeys(FIGURES, 0),
    }
