"""The call for sessions in the workspace, /organise/<edition>/call/: the call, review,
decisions and the schedule. Who sees it is the workspace's one rule
(:mod:`ketenconf.workspace.access`, part "proposals")."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketenconf.events.models import Edition, Room
from ketenconf.programme.models import Topic
from ketenconf.workspace.access import Part, workspace_page

from . import adapter, scheduler, selectors, services
from .forms import CallForm, DecisionForm, DemandForm, PinForm, ReviewForm, RunForm
from .models import Call, ProposalStatus, SchedulePin, ScheduleStatus


def _call(edition: Edition) -> Call:
    found = selectors.call_for_edition(edition=edition)
    if found is None:
        raise Http404
    return found


def _url(name: str, edition: Edition, **kwargs: Any) -> str:
    return reverse(f"proposals_organise:{name}", kwargs={"slug": edition.slug, **kwargs})


def _form_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@require_http_methods(["GET", "POST"])
@workspace_page(Part.PROPOSALS)
def overview(request: HttpRequest, edition: Edition) -> HttpResponse:
    """The call's settings, and every proposal by score with the spread of themes and organisations."""
    current = selectors.call_for_edition(edition=edition)
    initial: dict[str, Any] = {"open": True}
    if current is not None:
        initial = {
            "deadline": timezone.localtime(current.deadline),
            "open": current.open,
            "introduction": current.introduction,
        }
    form = CallForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.call_save(
            edition=edition,
            deadline=form.cleaned_data["deadline"],
            open=form.cleaned_data["open"],
            introduction=form.cleaned_data["introduction"],
            by=request.user,
        )
        messages.success(request, _("The call is saved."))
        return redirect(_url("overview", edition))
    rows = selectors.proposals_for_review(call=current, user=request.user) if current else []
    themes, organisations = selectors.proposals_spread(rows)
    return render(
        request,
        "proposals/organise/overview.html",
        {
            "edition": edition,
            "call": current,
            "form": form,
            "rows": rows,
            "themes": themes,
            "organisations": organisations,
        },
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.PROPOSALS)
def proposal(request: HttpRequest, edition: Edition, pk: int) -> HttpResponse:
    """One proposal: your review, the team's reviews, the decision and the expected demand."""
    current = _call(edition)
    item = selectors.proposal_for_review(call=current, pk=pk)
    if item is None:
        raise Http404
    mine = next(
        (
            r.review
            for r in selectors.reviews_visible_to(proposal=item, user=request.user)
            if r.is_mine
        ),
        None,
    )
    review_form = ReviewForm(
        request.POST if request.POST.get("action") == "review" else None,
        initial={
            "score": mine.score if mine else "",
            "comment": mine.comment if mine else "",
            "private_note": mine.private_note if mine else "",
            "shared": mine.shared if mine else False,
        },
    )
    decision_form = DecisionForm(request.POST if request.POST.get("action") == "decide" else None)
    demand_form = DemandForm(
        request.POST if request.POST.get("action") == "demand" else None,
        initial={"demand_estimate": item.demand_estimate},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "review" and review_form.is_valid():
            services.review_save(proposal=item, reviewer=request.user, **review_form.cleaned_data)
            messages.success(request, _("Your review is saved."))
            return redirect(_url("proposal", edition, pk=item.pk))
        if action == "decide" and decision_form.is_valid():
            accept = decision_form.cleaned_data["decision"] == "accept"
            try:
                services.proposal_decide(
                    proposal=item,
                    by=request.user,
                    accept=accept,
                    message=decision_form.cleaned_data["message"],
                )
            except ValidationError as error:
                _form_errors(decision_form, error)
            else:
                messages.success(
                    request,
                    _("Accepted: the proposal is a topic now and the hosts get a mail.")
                    if accept
                    else _("Rejected: the hosts get a mail."),
                )
                return redirect(_url("proposal", edition, pk=item.pk))
        if action == "demand" and demand_form.is_valid():
            services.proposal_set_demand(
                proposal=item, by=request.user, demand=demand_form.cleaned_data["demand_estimate"]
            )
            messages.success(request, _("The expected demand is saved."))
            return redirect(_url("proposal", edition, pk=item.pk))
    return render(
        request,
        "proposals/organise/proposal.html",
        {
            "edition": edition,
            "proposal": item,
            "reviews": selectors.reviews_visible_to(proposal=item, user=request.user),
            "review_form": review_form,
            "decision_form": decision_form,
            "demand_form": demand_form,
            "decidable": item.status == ProposalStatus.SUBMITTED,
        },
        status=422 if request.method == "POST" else 200,
    )


def _pin_form(edition: Edition, data: Any = None) -> PinForm:
    return PinForm(
        data,
        topics=selectors.accepted_topics(edition=edition),
        rounds=selectors.round_blocks(edition=edition),
        rooms=list(Room.objects.filter(edition=edition)),
    )


@require_http_methods(["GET", "POST"])
@workspace_page(Part.PROPOSALS)
def schedule(request: HttpRequest, edition: Edition) -> HttpResponse:
    """Demand per topic, pinned sessions, runs of the scheduler; start a run or pin a session."""
    run_form = RunForm(request.POST if request.POST.get("action") == "run" else None)
    pin_form = _pin_form(edition, request.POST if request.POST.get("action") == "pin" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "run" and run_form.is_valid():
            run = services.schedule_run(
                edition=edition, by=request.user, time_limit=run_form.cleaned_data["time_limit"]
            )
            return redirect(_url("run", edition, run_id=run.pk))
        if action == "pin" and pin_form.is_valid():
            try:
                services.schedule_pin_add(edition=edition, by=request.user, **pin_form.cleaned_data)
            except ValidationError as error:
                _form_errors(pin_form, error)
            else:
                messages.success(request, _("The session is pinned."))
                return redirect(_url("schedule", edition))
    demand, _together = adapter.demand_for_edition(edition=edition)
    topics = selectors.accepted_topics(edition=edition)
    return render(
        request,
        "proposals/organise/schedule.html",
        {
            "edition": edition,
            "run_form": run_form,
            "pin_form": pin_form,
            "pins": selectors.pins_for_edition(edition=edition),
            "runs": selectors.schedule_runs(edition=edition),
            "demand": [(topic, demand[topic.pk]) for topic in topics if topic.pk in demand],
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@workspace_page(Part.PROPOSALS)
def pin_remove(request: HttpRequest, edition: Edition, pin_id: int) -> HttpResponse:
    pin = get_object_or_404(SchedulePin, edition=edition, pk=pin_id)
    services.schedule_pin_remove(pin=pin, by=request.user)
    messages.success(request, _("The pin is removed."))
    return redirect(_url("schedule", edition))


@require_http_methods(["GET", "POST"])
@workspace_page(Part.PROPOSALS)
def run(request: HttpRequest, edition: Edition, run_id: int) -> HttpResponse:
    """A run's schedule as a grid of rounds and rooms, its figures; apply it to the programme."""
    current = selectors.schedule_run_get(edition=edition, pk=run_id)
    if current is None:
        raise Http404
    problems: list[str] = []
    if request.method == "POST":
        try:
            count = services.schedule_apply(run=current, by=request.user)
        except ValidationError as error:
            problems = list(error.messages)
        else:
            messages.success(
                request,
                _("Applied: the programme has %(count)s sessions from this run.")
                % {"count": count},
            )
            return redirect(_url("run", edition, run_id=current.pk))
    context: dict[str, Any] = {"edition": edition, "run": current, "problems": problems}
    if current.status == ScheduleStatus.DONE and current.result is not None:
        context.update(_grid(current.problem, current.result))
    return render(
        request,
        "proposals/organise/run.html",
        context,
        status=422 if problems else 200,
    )


def _grid(problem_data: dict[str, Any], result_data: dict[str, Any]) -> dict[str, Any]:
    problem = scheduler.Problem.from_dict(problem_data)
    result = scheduler.Schedule.from_dict(result_data)
    titles = {
        t.pk: t.title
        for t in Topic.objects.filter(pk__in=[adapter.topic_pk(t.id) for t in problem.topics])
    }
    rooms_by_id = {r.id: r for r in problem.rooms}
    room_names = {
        f"room-{r.pk}": r.name
        for r in Room.objects.filter(
            pk__in=[int(r.id.removeprefix("room-")) for r in problem.rooms]
        )
    }
    cell = {(p.round, p.room): p.topic for p in result.placements}
    demand = {t.id: t.demand for t in problem.topics}
    pins = set(problem.pins)
    rows = []
    for rnd in problem.rounds:
        cells = []
        for room in problem.rooms:
            tid = cell.get((rnd.id, room.id))
            cells.append(
                {
                    "title": titles.get(adapter.topic_pk(tid), tid) if tid else "",
                    "demand": demand.get(tid, 0) if tid else None,
                    "pinned": bool(tid) and scheduler.Placement(tid, rnd.id, room.id) in pins,  # type: ignore[arg-type]
                }
            )
        rows.append({"label": rnd.label, "cells": cells})
    return {
        "result": result,
        "rooms": [
            {"name": room_names.get(r.id, r.id), "capacity": r.capacity, "features": r.features}
            for r in (rooms_by_id[room.id] for room in problem.rooms)
        ],
        "rows": rows,
        "clashes": [
            {
                "first": titles.get(adapter.topic_pk(c.topics[0]), c.topics[0]),
                "second": titles.get(adapter.topic_pk(c.topics[1]), c.topics[1]),
                "people": c.people,
            }
            for c in result.clashes
        ],
        "unscheduled": [titles.get(adapter.topic_pk(t), t) for t in result.unscheduled],
    }
