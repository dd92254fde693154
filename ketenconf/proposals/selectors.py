"""Reads of the call for sessions, each in a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from ketenconf.accounts.models import User, Viewer
from ketenconf.core.personal_data import when
from ketenconf.events.models import ChainLink, Edition
from ketenconf.programme.models import Block, BlockKind, Topic
from ketenconf.registration.models import Registration

from .models import (
    Call,
    InterestVote,
    Proposal,
    ProposalHost,
    ProposalStatus,
    Review,
    SchedulePin,
    ScheduleRun,
)


def call_for_edition(*, edition: Edition) -> Call | None:
    return Call.objects.filter(edition=edition).first()


def round_blocks(*, edition: Edition) -> list[Block]:
    return list(
        Block.objects.filter(edition=edition, kind=BlockKind.ROUND).order_by("start", "end")
    )


def proposals_for_hosts(*, hosts: list[ProposalHost]) -> list[Proposal]:
    return list(
        Proposal.objects.filter(pk__in=[h.proposal_id for h in hosts]).order_by("created_at", "pk")
    )


def proposal_for_host(
    *, hosts: list[ProposalHost], pk: int
) -> tuple[Proposal, ProposalHost] | None:
    """The proposal ``pk`` if one of ``hosts`` hosts it, with that host."""
    for host in hosts:
        if host.proposal_id == pk:
            proposal = (
                Proposal.objects.select_related("call__edition")
                .prefetch_related("available_rounds", "hosts__organisation")
                .get(pk=pk)
            )
            return proposal, host
    return None


@dataclass(frozen=True)
class ReviewRow:
    proposal: Proposal
    organisation: str
    reviews: int
    mean_score: float | None
    my_score: int | None


def proposals_for_review(*, call: Call, user: Viewer) -> list[ReviewRow]:
    """Every proposal not withdrawn, best mean score first (unreviewed last), then oldest."""
    proposals = (
        Proposal.objects.filter(call=call)
        .exclude(status=ProposalStatus.WITHDRAWN)
        .annotate(
            review_count=Count("reviews", distinct=True),
            mean_score=Avg("reviews__score"),
        )
        .prefetch_related("hosts__organisation")
    )
    mine = (
        dict(
            Review.objects.filter(proposal__call=call, reviewer=user).values_list(
                "proposal_id", "score"
            )
        )
        if isinstance(user, User)
        else {}
    )
    rows = []
    for proposal in proposals:
        contact = next((h for h in proposal.hosts.all() if h.is_contact), None)
        rows.append(
            ReviewRow(
                proposal=proposal,
                organisation=str(contact.organisation) if contact else "",
                reviews=proposal.review_count,
                mean_score=proposal.mean_score,
                my_score=mine.get(proposal.pk),
            )
        )
    rows.sort(
        key=lambda r: (
            r.mean_score is None,
            -(r.mean_score or 0),
            r.proposal.created_at,
            r.proposal.pk,
        )
    )
    return rows


@dataclass(frozen=True)
class Spread:
    label: str
    submitted: int
    accepted: int


def proposals_spread(rows: list[ReviewRow]) -> tuple[list[Spread], list[Spread]]:
    """How the proposals spread over themes (links of the chain) and over organisations."""
    themes: Counter[str] = Counter()
    themes_accepted: Counter[str] = Counter()
    organisations: Counter[str] = Counter()
    organisations_accepted: Counter[str] = Counter()
    for row in rows:
        accepted = row.proposal.status == ProposalStatus.ACCEPTED
        themes[row.proposal.theme] += 1
        organisations[row.organisation] += 1
        if accepted:
            themes_accepted[row.proposal.theme] += 1
            organisations_accepted[row.organisation] += 1
    labels = dict(ChainLink.choices)
    by_theme = [
        Spread(str(labels[key]), themes[key], themes_accepted[key])
        for key in ChainLink.values
        if themes[key]
    ]
    by_organisation = [
        Spread(name, organisations[name], organisations_accepted[name])
        for name in sorted(organisations, key=lambda n: (-organisations[n], n.casefold()))
    ]
    return by_theme, by_organisation


def proposal_for_review(*, call: Call, pk: int) -> Proposal | None:
    return (
        Proposal.objects.select_related("call__edition", "topic")
        .prefetch_related("available_rounds", "hosts__organisation")
        .filter(call=call, pk=pk)
        .first()
    )


@dataclass(frozen=True)
class VisibleReview:
    review: Review
    reviewer: str
    organisation: str
    #: ``None`` when the viewer may not read it (another organisation's, not shared).
    private_note: str | None
    is_mine: bool


def private_note_visible(*, review: Review, user: Viewer) -> bool:
    """A private note is for the reviewer and colleagues of their organisation, unless shared."""
    if review.shared or review.reviewer_id == user.pk:
        return True
    viewer_organisation = getattr(user, "organisation_id", None)
    return viewer_organisation is not None and review.organisation_id == viewer_organisation


def reviews_visible_to(*, proposal: Proposal, user: Viewer) -> list[VisibleReview]:
    reviews = Review.objects.filter(proposal=proposal).select_related("reviewer", "organisation")
    return [
        VisibleReview(
            review=review,
            reviewer=review.reviewer.get_full_name() or review.reviewer.get_username(),
            organisation=str(review.organisation) if review.organisation else "",
            private_note=review.private_note
            if private_note_visible(review=review, user=user)
            else None,
            is_mine=review.reviewer_id == user.pk,
        )
        for review in reviews
    ]


def schedule_runs(*, edition: Edition) -> QuerySet[ScheduleRun]:
    return ScheduleRun.objects.filter(edition=edition).select_related("created_by")


def schedule_run_get(*, edition: Edition, pk: int) -> ScheduleRun | None:
    return ScheduleRun.objects.filter(edition=edition, pk=pk).first()


def pins_for_edition(*, edition: Edition) -> list[SchedulePin]:
    return list(
        SchedulePin.objects.filter(edition=edition).select_related("topic", "block", "room")
    )


def accepted_topics(*, edition: Edition) -> list[Topic]:
    return list(
        Topic.objects.filter(edition=edition, proposal__status=ProposalStatus.ACCEPTED)
        .select_related("proposal")
        .order_by("title", "pk")
    )


def topics_with_hosts(*, edition: Edition) -> QuerySet[Topic]:
    return Topic.objects.filter(
        Q(edition=edition), Q(proposal__status=ProposalStatus.ACCEPTED)
    ).prefetch_related("hosts__organisation")


def call_is_open(*, edition: Edition) -> bool:
    """Whether the edition takes session proposals now: its call is open and before the deadline."""
    return Call.objects.filter(edition=edition, open=True, deadline__gt=timezone.now()).exists()


def interest_votes_open(*, edition: Edition) -> bool:
    """Whether participants can say which accepted sessions they want (before seats are assigned)."""
    return Topic.objects.filter(edition=edition, proposal__status=ProposalStatus.ACCEPTED).exists()


def personal_data(*, registration: Registration) -> list[dict[str, Any]] | None:
    """The topics the participant said they would like to attend, for their own download."""
    rows = (
        InterestVote.objects.filter(registration=registration)
        .select_related("topic")
        .order_by("created_at", "pk")
    )
    found = [{"topic": row.topic.title, "voted_at": when(row.created_at)} for row in rows]
    return found or None
