"""``ketenconf reoffer SLUG --before-round N [--dry-run] [--json]``: the day's re-offer.

The seats of participants not checked in at the door go, from workshop round N on, to those
who are there and want a better seat and to walk-ins who ranked workshops; nobody is worse
off. Without ``--dry-run`` the new seats are published and everyone who moves is mailed, as
the day's page and the API do. Exit status 1 when nothing was published (no answer in time,
or the published seats changed meanwhile); a bad round or slug is a usage error.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ketenconf.allocation import services
from ketenconf.allocation.models import Reoffer, ReofferStatus
from ketenconf.core.tenancy import edition_scope
from ketenconf.events.models import Edition

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

    def handle(self, *args: Any, **options: Any) -> None:
        edition = Edition.objects.filter(slug=options["slug"]).first()
        if edition is None:
            raise CommandError(f"There is no edition {options['slug']!r}.")
        with edition_scope(edition):
            self._reoffer(edition, options)

    def _reoffer(self, edition: Edition, options: dict[str, Any]) -> None:
        try:
            preview = services.reoffer_preview(
                edition=edition, before_round=options["before_round"], by=None
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
