from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenconf.core.tenancy import edition_scope, scopes_disabled
from ketenconf.events.models import Edition
from ketenconf.registration.selectors import edition_counts


class Command(BaseCommand):
    help = "Capacity and registrations by status, for one edition or all of them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "edition", nargs="?", help="slug of the edition; all editions when left out"
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["edition"]:
            edition = Edition.objects.filter(slug=options["edition"]).first()
            if edition is None:
                known = ", ".join(Edition.objects.values_list("slug", flat=True)) or "none"
                raise CommandError(f"No edition {options['edition']!r}; known editions: {known}")
            with edition_scope(edition):
                result: Any = edition_counts(edition=edition)
            rows = [result]
        else:
            with scopes_disabled():  # every edition
                rows = [edition_counts(edition=e) for e in Edition.objects.order_by("start_date")]
            result = rows
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
            return
        for row in rows:
            counts = ", ".join(f"{status} {n}" for status, n in row["counts"].items())
            self.stdout.write(
                f"{row['slug']} ({row['status']}): {row['seats_taken']} of {row['capacity']} seats taken; {counts}"
            )
