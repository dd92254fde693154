"""Every write of the call for sessions: proposals, hosts, reviews, decisions, votes, schedules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from ketenconf.accounts.models import Actor, actor_user
from ketenconf.core.validators import normalise_email
from ketenconf.events.models import ChainLink, Edition, Room
from ketenconf.events.permissions import edition_is_editable_by
from ketenconf.mail.services import mail_enqueue
from ketenconf.programme import services as programme_services
from ketenconf.programme.models import Block, BlockKind, Topic
from ketenconf.registration.models import Registration
from ketenconf.registration.services import organisation_for_registration

from . import adapter, links, scheduler
from .models import (
    Call,
    InterestVote,
    Proposal,
    ProposalHost,
    ProposalStatus,
    Review,
    SchedulePin,
    ScheduleRun,
    ScheduleStatus,
)

# --- The call -------------------------------------------------------------------------------


def call_save(
    *, edition: Edition, deadline: Any, open: bool, introduction: str = "", by: Actor
) -> Call:
    """Open or change the call of an edition (organisers of the edition only)."""
    if not edition_is_editable_by(user=by, edition=edition):
        raise PermissionDenied
    call, _created = Call.objects.update_or_create(
        edition=edition,
        defaults={"deadline": deadline, "open": open, "introduction": introduction.strip()},
    )
    return call


# --- Proposals, by their hosts ---------------------------------------------------------------


def _check_open(call: Call) -> None:
    if not call.is_open:
        raise ValidationError(_("The call for sessions is closed: proposals can no longer change."))


def _round_blocks(call: Call, round_ids: Iterable[int]) -> list[Block]:
    wanted = set(round_ids)
    blocks = list(Block.objects.filter(edition=call.edition, kind=BlockKind.ROUND, pk__in=wanted))
    if len(blocks) != len(wanted):
        raise ValidationError({"available_rounds": [_("Choose rounds of this edition.")]})
    return blocks


def _mail_host(host: ProposalHost, template: str, **context: Any) -> None:
    proposal = host.proposal
    mail_enqueue(
        to=host.email,
        template=f"proposals/mail/{template}",
        context={"host": host, "proposal": proposal, "edition": proposal.call.edition, **context},
        language=host.language,
        edition=proposal.call.edition,
        topic=f"proposals/{template}",
    )


def _set_fields(proposal: Proposal, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(proposal, name, value)
    proposal.title = " ".join(proposal.title.split())


@transaction.atomic
def proposal_submit(
    *,
    call: Call,
    host_name: str,
    host_email: str,
    host_organisation_name: str,
    host_language: str = "nl",
    available_round_ids: Sequence[int] = (),
    **fields: Any,
) -> Proposal:
    """A new proposal with its contact host, who is mailed a personal link to change it.

    ``fields`` are the proposal's own: title, summary, kind, theme, language, wanted_size,
    needs_step_free, needs_projector, other_needs, may_run_twice.
    """
    _check_open(call)
    proposal = Proposal(call=call)
    _set_fields(proposal, fields)
    proposal.full_clean(exclude=["call"])
    rounds = _round_blocks(call, available_round_ids)
    proposal.save()
    proposal.available_rounds.set(rounds)
    host = ProposalHost(
        proposal=proposal,
        name=" ".join(host_name.split()),
        email=normalise_email(host_email),
        organisation=organisation_for_registration(
            organisation=None,
            organisation_name=host_organisation_name,
            proposed_in=call.edition,
        ),
        is_contact=True,
        language=host_language,
    )
    host.full_clean(exclude=["proposal"])
    host.save()
    _mail_host(host, "submitted", link=links.host_link_url(host=host))
    return proposal


def _check_host(proposal: Proposal, host: ProposalHost) -> None:
    if host.proposal_id != proposal.pk:
        raise PermissionDenied


@transaction.atomic
def proposal_update(
    *,
    proposal: Proposal,
    by_host: ProposalHost,
    available_round_ids: Sequence[int] = (),
    **fields: Any,
) -> Proposal:
    """A host changes their proposal: only while the call is open and nothing is decided."""
    _check_host(proposal, by_host)
    proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    _check_open(proposal.call)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ValidationError(_("This proposal has been decided on and can no longer change."))
    _set_fields(proposal, fields)
    proposal.full_clean(exclude=["call"])
    rounds = _round_blocks(proposal.call, available_round_ids)
    proposal.save()
    proposal.available_rounds.set(rounds)
    return proposal


@transaction.atomic
def proposal_host_invite(
    *,
    proposal: Proposal,
    by_host: ProposalHost,
    name: str,
    email: str,
    organisation_name: str,
    language: str = "nl",
) -> ProposalHost:
    """A host invites a co-host, who is mailed a personal link to the proposal."""
    _check_host(proposal, by_host)
    _check_open(proposal.call)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ValidationError(_("This proposal has been decided on and can no longer change."))
    host = ProposalHost(
        proposal=proposal,
        name=" ".join(name.split()),
        email=normalise_email(email),
        organisation=organisation_for_registration(
            organisation=None,
            organisation_name=organisation_name,
            proposed_in=proposal.call.edition,
        ),
        language=language,
    )
    host.full_clean(exclude=["proposal"])
    try:
        with transaction.atomic():
            host.save()
    except IntegrityError:
        raise ValidationError(
            {"email": [_("This person is a host of the proposal already.")]}
        ) from None
    _mail_host(host, "invited", link=links.host_link_url(host=host), by=by_host)
    return host


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, by_host: ProposalHost) -> Proposal:
    _check_host(proposal, by_host)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ValidationError(_("This proposal has been decided on and can no longer change."))
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    return proposal


def host_send_links(*, call: Call, email: str) -> int:
    """Mail a new personal link for every proposal this address hosts in the call.

    Says nothing about whether the address is known: the caller shows the same answer.
    """
    hosts = ProposalHost.objects.select_related("proposal__call__edition").filter(
        proposal__call=call, email=normalise_email(email)
    )
    sent = 0
    with transaction.atomic():
        for host in hosts:
            _mail_host(host, "link", link=links.host_link_url(host=host))
            sent += 1
    return sent


# --- Review and decision, by the organising team ----------------------------------------------


def _check_reviewer(proposal: Proposal, user: Actor) -> None:
    if not edition_is_editable_by(user=user, edition=proposal.call.edition):
        raise PermissionDenied


@transaction.atomic
def review_save(
    *,
    proposal: Proposal,
    reviewer: Any,
    score: int,
    comment: str = "",
    private_note: str = "",
    shared: bool = False,
) -> Review:
    """A reviewer's score and words on a proposal; saving again replaces their review."""
    _check_reviewer(proposal, reviewer)
    review = Review.objects.filter(proposal=proposal, reviewer=reviewer).first() or Review(
        proposal=proposal, reviewer=reviewer
    )
    review.organisation_id = reviewer.organisation_id
    review.score = score
    review.comment = comment.strip()
    review.private_note = private_note.strip()
    review.shared = shared
    review.full_clean(exclude=["proposal", "reviewer"], validate_constraints=False)
    review.save()
    return review


def _topic_from(proposal: Proposal) -> Topic:
    theme = ChainLink(proposal.theme)
    titles: dict[str, str] = {}
    for code in ("nl", "en"):
        with override(code):
            titles[f"theme_{code}"] = str(theme.label)
    return programme_services.topic_create(
        topic=Topic(
            edition=proposal.call.edition,
            kind=proposal.kind,
            title_nl=proposal.title,
            title_en=proposal.title,
            description_nl=proposal.summary,
            description_en=proposal.summary,
            language=proposal.language,
            **titles,
        ),
        hosts=[
            programme_services.HostIn(name=host.name, organisation=host.organisation)
            for host in proposal.hosts.all()
        ],
    )


@transaction.atomic
def proposal_decide(*, proposal: Proposal, by: Actor, accept: bool, message: str = "") -> Proposal:
    """Accept (it becomes a topic with hosts) or reject a proposal; every host gets a mail."""
    _check_reviewer(proposal, by)
    proposal = (
        Proposal.objects.select_for_update().select_related("call__edition").get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ValidationError(
            _("This proposal is %(status)s already.") % {"status": proposal.get_status_display()}
        )
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.REJECTED
    proposal.decided_at = timezone.now()
    proposal.decided_by = actor_user(by)
    if accept:
        proposal.topic = _topic_from(proposal)
    proposal.save(update_fields=["status", "decided_at", "decided_by", "topic", "updated_at"])
    template = "accepted" if accept else "rejected"
    for host in proposal.hosts.select_related("proposal__call__edition"):
        _mail_host(host, template, message=message.strip())
    return proposal


@transaction.atomic
def proposal_set_demand(*, proposal: Proposal, by: Actor, demand: int | None) -> Proposal:
    _check_reviewer(proposal, by)
    proposal.demand_estimate = demand
    proposal.save(update_fields=["demand_estimate", "updated_at"])
    return proposal


# --- Interest votes, by participants ----------------------------------------------------------


@transaction.atomic
def interest_votes_set(*, registration: Registration, topic_ids: Iterable[int]) -> int:
    """Replace a participant's interest votes; only accepted topics of their edition count."""
    if not registration.is_active:
        raise ValidationError(_("Only registered participants can say what interests them."))
    wanted = set(topic_ids)
    allowed = set(
        Topic.objects.filter(
            edition=registration.edition,
            proposal__status=ProposalStatus.ACCEPTED,
            pk__in=wanted,
        ).values_list("pk", flat=True)
    )
    if allowed != wanted:
        raise ValidationError(_("Choose among the accepted sessions of this edition."))
    InterestVote.objects.filter(registration=registration).exclude(topic_id__in=allowed).delete()
    have = set(
        InterestVote.objects.filter(registration=registration).values_list("topic_id", flat=True)
    )
    InterestVote.objects.bulk_create(
        InterestVote(registration=registration, topic_id=pk) for pk in sorted(allowed - have)
    )
    return len(allowed)


# --- Scheduling, by the organising team -------------------------------------------------------


def _check_edition(edition: Edition, user: Actor) -> None:
    if not edition_is_editable_by(user=user, edition=edition):
        raise PermissionDenied


@transaction.atomic
def schedule_pin_add(
    *, edition: Edition, by: Actor, topic: Topic, block: Block, room: Room
) -> SchedulePin:
    """Pin a topic to a round and room: every run keeps it there."""
    _check_edition(edition, by)
    if (
        topic.edition_id != edition.pk
        or block.edition_id != edition.pk
        or room.edition_id != edition.pk
    ):
        raise ValidationError(_("Choose a topic, round and room of this edition."))
    if block.kind != BlockKind.ROUND:
        raise ValidationError(_("Sessions can be pinned in workshop rounds only."))
    if SchedulePin.objects.filter(block=block, room=room).exists():
        raise ValidationError(_("This room is pinned in this round already."))
    if SchedulePin.objects.filter(block=block, topic=topic).exists():
        raise ValidationError(_("This topic is pinned in this round already."))
    return SchedulePin.objects.create(edition=edition, topic=topic, block=block, room=room)


def schedule_pin_remove(*, pin: SchedulePin, by: Actor) -> None:
    _check_edition(pin.edition, by)
    pin.delete()


def schedule_run(*, edition: Edition, by: Actor, time_limit: float = 10.0) -> ScheduleRun:
    """Run the scheduler on the edition as it is now; the run is kept, failed or done."""
    _check_edition(edition, by)
    built = adapter.problem_build(edition=edition)
    run = ScheduleRun(
        edition=edition,
        created_by=actor_user(by),
        problem=built.problem.to_dict(),
        status=ScheduleStatus.DONE,
    )
    try:
        schedule = scheduler.solve(built.problem, time_limit=time_limit)
    except scheduler.InvalidProblem as error:
        run.status = ScheduleStatus.FAILED
        run.problems = [adapter.describe_error(built, e) for e in error.errors]
    else:
        run.result = schedule.to_dict()
        run.objective = schedule.objective
        run.lower_bound = schedule.lower_bound
    with transaction.atomic():
        # Numbered within the edition; the edition's row, locked, keeps two runs apart.
        Edition.objects.select_for_update().filter(pk=edition.pk).values_list("pk").first()
        last = ScheduleRun.objects.filter(edition=edition).aggregate(last=Max("number"))
        run.number = (last["last"] or 0) + 1
        run.save()
    return run


@transaction.atomic
def schedule_apply(*, run: ScheduleRun, by: Actor) -> int:
    """Make a run's schedule the programme: the sessions of its topics in rounds are replaced.

    Refused when a session it would remove has seats assigned: undo the assignment first.
    Returns the number of sessions written.
    """
    edition = Edition.objects.select_for_update().get(pk=run.edition_id)
    _check_edition(edition, by)
    if run.status != ScheduleStatus.DONE or run.result is None:
        raise ValidationError(_("Only a finished run can be applied."))
    written = adapter.result_apply(
        edition=edition,
        problem=scheduler.Problem.from_dict(run.problem),
        schedule=scheduler.Schedule.from_dict(run.result),
    )
    ScheduleRun.objects.filter(edition=edition).update(applied_at=None)
    ScheduleRun.objects.filter(pk=run.pk).update(applied_at=timezone.now())
    return written
