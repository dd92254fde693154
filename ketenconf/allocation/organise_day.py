"""The day's page in the workspace: per workshop round what the re-offers did, and a re-offer
from a chosen round, previewed before it is confirmed. Thin views over
``services.reoffer_preview`` / ``services.reoffer_confirm`` and the selectors."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ketenconf.events.models import Edition
from ketenconf.programme.models import Block
from ketenconf.programme.models import Session as SessionRow
from ketenconf.registration.models import Registration
from ketenconf.workspace.access import Part, workspace_page

from . import adapter, selectors, services
from .forms import ReofferForm
from .models import Reoffer, ReofferStatus


def _day_url(edition: Edition) -> str:
    return reverse("allocation_day:day", kwargs={"slug": edition.slug})


def _reoffer_url(edition: Edition, reoffer: Reoffer) -> str:
    return reverse(
        "allocation_day:reoffer", kwargs={"slug": edition.slug, "reoffer_id": reoffer.pk}
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.DAY)
def day(request: HttpRequest, edition: Edition) -> HttpResponse:
    """Per round: seats freed, re-filled, upgrades, walk-ins seated, empty seats; and a
    re-offer from a round that has not started, previewed first."""
    rounds = selectors.day_rounds(edition=edition)
    choices = [
        (
            row.number,
            _("Round %(number)s: %(round)s")
            % {"number": row.number, "round": adapter.round_label(row.block)},
        )
        for row in rounds
        if not row.started
    ]
    form = ReofferForm(request.POST or None, rounds=choices)
    if request.method == "POST" and form.is_valid():
        try:
            preview = services.reoffer_preview(
                edition=edition, before_round=form.cleaned_data["before_round"], by=request.user
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            return redirect(_reoffer_url(edition, preview))
    return render(
        request,
        "allocation/day.html",
        {
            "edition": edition,
            "rounds": rounds,
            "form": form,
            "can_reoffer": bool(choices),
            "published": selectors.published_run(edition=edition),
            "reoffers": selectors.reoffers_for_edition(edition=edition)[:20],
            "automatic": edition.reoffer_minutes_before,
        },
        status=422 if request.method == "POST" else 200,
    )


def _move_rows(reoffer: Reoffer) -> list[dict[str, Any]]:
    """The moves of a re-offer with names, rounds and sessions, one row per participant."""
    moves = reoffer.moves
    names = dict(
        Registration.objects.filter(pk__in={m["registration"] for m in moves}).values_list(
            "pk", "name"
        )
    )
    sessions = {
        row.pk: row
        for row in SessionRow.objects.filter(
            pk__in={m["to"] for m in moves} | {m["from"] for m in moves if m["from"]}
        ).select_related("topic", "room")
    }
    blocks = {row.pk: row for row in Block.objects.filter(pk__in={m["round"] for m in moves})}
    per_person: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for move in moves:
        per_person[move["registration"]].append(
            {
                "round": blocks.get(move["round"]),
                "from": sessions.get(move["from"]) if move["from"] else None,
                "to": sessions.get(move["to"]),
                "gain": move["gain"],
                "rank": move["rank"],
            }
        )
    walk_ins = {m["registration"] for m in moves if m["walk_in"]}
    gains = {pk: sum(item["gain"] or 0 for item in items) for pk, items in per_person.items()}
    order = sorted(per_person, key=lambda pk: (pk in walk_ins, -gains[pk], names.get(pk, "")))
    return [
        {
            "name": names.get(pk, "?"),
            "walk_in": pk in walk_ins,
            "moves": per_person[pk],
            "gain": gains[pk],
        }
        for pk in order
    ]


def _figure_rows(reoffer: Reoffer) -> list[dict[str, Any]]:
    rows = reoffer.figures.get("rounds", [])
    blocks = Block.objects.in_bulk([adapter.pk_of(row["round"]) for row in rows])
    return [{**row, "block": blocks.get(adapter.pk_of(row["round"]))} for row in rows]


@require_http_methods(["GET", "POST"])
@workspace_page(Part.DAY)
def reoffer_detail(request: HttpRequest, edition: Edition, reoffer_id: int) -> HttpResponse:
    """A re-offer: its preview (seats freed, who would move and by how many ranks, walk-ins
    seated, nobody worse off), confirmed with one button."""
    reoffer = selectors.reoffer_get(edition=edition, pk=reoffer_id)
    if reoffer is None:
        raise Http404
    if request.method == "POST":
        outcome = services.reoffer_confirm(preview=reoffer, by=request.user)
        if outcome.published:
            messages.success(request, outcome.message)
        else:
            messages.warning(request, outcome.message)
        return redirect(_reoffer_url(edition, reoffer))
    stale = (
        reoffer.status == ReofferStatus.PREVIEW
        and selectors.published_run_id(edition_id=edition.pk) != reoffer.base_run_id
    )
    return render(
        request,
        "allocation/reoffer.html",
        {
            "edition": edition,
            "reoffer": reoffer,
            "rounds": _figure_rows(reoffer),
            "total": reoffer.figures.get("total", {}),
            "worse_off": reoffer.figures.get("worse_off", 0),
            "rows": _move_rows(reoffer),
            "stale": stale,
            "started": reoffer.before_block.start <= timezone.now(),
        },
    )
