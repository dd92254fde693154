"""Every write on networking. Views, the admin and the organisers' pages call these only.

Nobody's details are shown without their consent: only participants who gave networking
consent (``Registration.networking_consent``) and have a seat take part, can be found or
asked, and are matched; a request is a question the other answers, and a meeting is
proposed to both, each accepting or declining for themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenconf.accounts.models import Actor, actor_user
from ketenconf.audit.models import AuditPart
from ketenconf.audit.services import audit_record, audit_record_many
from ketenconf.events.models import Edition, OrganisationKind
from ketenconf.mail.services import mail_enqueue
from ketenconf.registration.models import Registration

from . import adapter, selectors
from .engine import InvalidProblem, solve
from .models import (
    Answer,
    MatchRun,
    MatchRunStatus,
    Meeting,
    MeetingRequest,
    MeetingStatus,
    NetworkingProfile,
    NetworkingSlot,
    NetworkingTable,
    RequestStatus,
)
from .themes import INTEREST_KEYS

#: Seconds the engine may take when an organiser proposes meetings from the page.
TIME_LIMIT = 30.0
#: Up to this many people taking part, meetings are proposed in the organiser's request
#: (about a second); above it the worker does it and the page shows the run under way.
INLINE_PEOPLE_LIMIT = 2000
#: A queued or running run older than its time limit plus this is taken to be lost.
RUN_GRACE = timedelta(minutes=10)

logger = logging.getLogger(__name__)


def _mail(registration: Registration, template: str, **context: Any) -> None:
    mail_enqueue(
        to=registration.email,
        template=f"networking/mail/{template}",
        context={"registration": registration, "edition": registration.edition, **context},
        language=registration.language,
        edition=registration.edition,
    )


def _require_taking_part(registration: Registration) -> None:
    if not selectors.registration_in_networking(registration=registration):
        raise ValidationError(
            _(
                "Networking is for participants with a seat who agreed to be visible for "
                "networking. You can agree under “Change your details”."
            )
        )


def networking_set_profile(
    *, registration: Registration, interests: Sequence[str], wanted_kinds: Sequence[str]
) -> NetworkingProfile:
    """Save what the participant wants to talk about and which kinds of organisation to meet."""
    unknown = [key for key in interests if key not in INTEREST_KEYS]
    if unknown:
        raise ValidationError(
            {"interests": [_("Unknown interests: %(keys)s.") % {"keys": ", ".join(unknown)}]}
        )
    unknown = [kind for kind in wanted_kinds if kind not in OrganisationKind.values]
    if unknown:
        raise ValidationError(
            {
                "wanted_kinds": [
                    _("Unknown kinds of organisation: %(kinds)s.") % {"kinds": ", ".join(unknown)}
                ]
            }
        )
    ordered_interests = [key for key in INTEREST_KEYS if key in set(interests)]
    ordered_kinds = [kind for kind in OrganisationKind.values if kind in set(wanted_kinds)]
    profile, _created = NetworkingProfile.objects.update_or_create(
        registration=registration,
        defaults={"interests": ordered_interests, "wanted_kinds": ordered_kinds},
    )
    return profile


@transaction.atomic
def meeting_request_create(*, requester: Registration, target: Registration) -> MeetingRequest:
    """Ask ``target`` for a meeting; they are mailed and answer on their personal page.

    When ``target`` had already asked ``requester``, that request is accepted instead.
    """
    _require_taking_part(requester)
    if target.edition_id != requester.edition_id or not selectors.registration_in_networking(
        registration=target
    ):
        raise ValidationError(_("This participant cannot be asked for a meeting."))
    if target.pk == requester.pk:
        raise ValidationError(_("You cannot ask yourself for a meeting."))
    if target.organisation_id == requester.organisation_id:
        raise ValidationError(
            _("%(name)s works at your own organisation: networking here is across organisations.")
            % {"name": target.name}
        )
    reverse = MeetingRequest.objects.filter(requester=target, target=requester).first()
    if reverse is not None:
        if reverse.status == RequestStatus.PENDING:
            return meeting_request_answer(request=reverse, by=requester, accept=True)
        return reverse
    try:
        with transaction.atomic():
            request = MeetingRequest.objects.create(
                edition_id=requester.edition_id, requester=requester, target=target
            )
    except IntegrityError:
        raise ValidationError(
            _("You have already asked %(name)s for a meeting.") % {"name": target.name}
        ) from None
    _mail(target, "request", requester=requester)
    return request


@transaction.atomic
def meeting_request_answer(
    *, request: MeetingRequest, by: Registration, accept: bool
) -> MeetingRequest:
    """The asked participant accepts or declines; an accepted request is placed first next run."""
    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if request.target_id != by.pk:
        raise ValidationError(_("Only the participant who was asked can answer this request."))
    if request.status != RequestStatus.PENDING:
        raise ValidationError(_("This request has been answered already."))
    _require_taking_part(by)
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    return request


def _status(first: str, second: str) -> str:
    if Answer.DECLINED in (first, second):
        return MeetingStatus.DECLINED
    if first == second == Answer.ACCEPTED:
        return MeetingStatus.ACCEPTED
    return MeetingStatus.PROPOSED


@transaction.atomic
def meeting_answer(*, meeting: Meeting, registration: Registration, accept: bool) -> Meeting:
    """Accept or decline a proposed meeting. A decline frees the place for the next run."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if registration.pk not in (meeting.first_id, meeting.second_id):
        raise ValidationError(_("This is not your meeting."))
    if meeting.status in (MeetingStatus.DECLINED, MeetingStatus.CANCELLED):
        raise ValidationError(_("This meeting no longer takes place."))
    answer = Answer.ACCEPTED if accept else Answer.DECLINED
    if registration.pk == meeting.first_id:
        meeting.first_answer = answer
    else:
        meeting.second_answer = answer
    meeting.status = _status(meeting.first_answer, meeting.second_answer)
    meeting.save(update_fields=["first_answer", "second_answer", "status"])
    return meeting


@transaction.atomic
def networking_tables_create(
    *, edition: Edition, count: int, seats: int = 4
) -> list[NetworkingTable]:
    """Add ``count`` tables numbered after the highest number the edition has."""
    if count < 1 or seats < 2:
        raise ValidationError(_("Give at least one table of at least two seats."))
    last = (
        NetworkingTable.objects.filter(edition=edition)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    )
    written = NetworkingTable.objects.bulk_create(
        NetworkingTable(edition=edition, number=last + n, seats=seats) for n in range(1, count + 1)
    )
    audit_record(
        edition=edition,
        part=AuditPart.NETWORKING,
        action="create",
        label=str(NetworkingTable._meta.verbose_name_plural),
        after={"tables": [table.number for table in written], "seats": seats},
    )
    return written


@transaction.atomic
def meetings_propose(
    *,
    edition: Edition,
    by: Actor = None,
    max_meetings: int = 3,
    time_limit: float = TIME_LIMIT,
    seed: int = 0,
    run: MatchRun | None = None,
) -> MatchRun:
    """Run the engine on the edition and store the meetings it proposes, in one transaction.

    Meetings already proposed or accepted stay where they are; meetings of people who no
    longer take part are cancelled first, so their places come free. Each participant with
    new meetings gets one mail. Raises ``ValidationError`` listing the problems when the
    set-up cannot be solved (no slots, no tables, kept meetings that break the rules).
    ``run`` is a queued run the worker is solving (see :func:`meetings_propose_start`).
    """
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    taking_part = selectors.networking_participants(edition=edition).values("pk")
    cancelled = Meeting.objects.filter(
        edition=edition, status__in=[MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED]
    ).filter(~Q(first__in=taking_part) | ~Q(second__in=taking_part))
    was_cancelled = [
        (meeting, {"status": meeting.status}, {"status": MeetingStatus.CANCELLED})
        for meeting in cancelled
    ]
    cancelled.update(status=MeetingStatus.CANCELLED)
    # A bulk update: an entry per meeting, so none escapes the trail.
    audit_record_many(
        edition=edition,
        part=AuditPart.NETWORKING,
        action="status",
        changes=was_cancelled,
        by=by,
        label=lambda meeting: f"{meeting._meta.verbose_name} {meeting.pk}",
    )
    if not NetworkingSlot.objects.filter(edition=edition).exists():
        raise ValidationError(_("Add networking slots to the edition first."))
    if not NetworkingTable.objects.filter(edition=edition).exists():
        raise ValidationError(_("Add networking tables to the edition first."))
    problem = adapter.problem_build(edition=edition, max_meetings=max_meetings)
    try:
        result = solve(problem, time_limit=time_limit, seed=seed)
    except InvalidProblem as invalid:
        raise ValidationError([str(error) for error in invalid.errors]) from None
    run = run or MatchRun(
        edition=edition,
        created_by=actor_user(by),
        max_meetings=max_meetings,
        seed=seed,
        time_limit=time_limit,
    )
    run.problem = problem.to_dict()
    run.result = result.to_dict()
    run.proposed = len(result.meetings)
    run.weight = result.weight
    run.upper_bound = result.upper_bound
    run.seconds = result.seconds
    run.status = MatchRunStatus.DONE
    run.save()
    new_for = adapter.result_apply(run=run, problem=problem, result=result)
    for registration in Registration.objects.filter(pk__in=new_for).select_related("edition"):
        _mail(registration, "meetings", count=new_for[registration.pk])
    audit_record(
        edition=edition,
        part=AuditPart.NETWORKING,
        action="create",
        target=run,
        after={"meetings_proposed": run.proposed, "max_meetings": max_meetings, "seed": seed},
        by=by,
    )
    return run


def _run_under_way(*, edition: Edition) -> MatchRun | None:
    """A queued or running run that is not yet older than its time limit plus a grace."""
    now = timezone.now()
    for run in MatchRun.objects.filter(
        edition=edition, status__in=[MatchRunStatus.QUEUED, MatchRunStatus.RUNNING]
    ):
        if run.created_at + timedelta(seconds=run.time_limit) + RUN_GRACE > now:
            return run
    return None


def meetings_propose_start(
    *,
    edition: Edition,
    by: Actor = None,
    max_meetings: int = 3,
    time_limit: float = TIME_LIMIT,
    seed: int = 0,
    background: bool | None = None,
) -> MatchRun:
    """Propose meetings now, or (by default above ``INLINE_PEOPLE_LIMIT`` people taking part)
    queue a run for the worker and return it at once.

    Raises ``ValidationError`` when a run of the edition is still under way, or, when solved
    at once, for the reasons :func:`meetings_propose` gives.
    """
    if _run_under_way(edition=edition) is not None:
        raise ValidationError(
            _("Meetings are being proposed for this edition; wait until that has finished.")
        )
    if background is None:
        taking_part = selectors.networking_participants(edition=edition).count()
        background = taking_part > INLINE_PEOPLE_LIMIT
    if not background:
        return meetings_propose(
            edition=edition, by=by, max_meetings=max_meetings, time_limit=time_limit, seed=seed
        )
    from .tasks import execute_match_run

    with transaction.atomic():
        run = MatchRun.objects.create(
            edition=edition,
            created_by=actor_user(by),
            max_meetings=max_meetings,
            seed=seed,
            time_limit=time_limit,
            status=MatchRunStatus.QUEUED,
        )
        transaction.on_commit(partial(execute_match_run.enqueue, run.pk), robust=True)
    return run


def meetings_propose_execute(*, run_id: int) -> str:
    """Solve a queued run in the worker. The claim (queued → running) is one conditional
    UPDATE, so a run is solved once; a failure leaves the meetings as they were."""
    claimed = MatchRun.objects.filter(pk=run_id, status=MatchRunStatus.QUEUED).update(
        status=MatchRunStatus.RUNNING
    )
    if not claimed:
        return "skipped"
    run = MatchRun.objects.select_related("edition", "created_by").get(pk=run_id)
    try:
        meetings_propose(
            edition=run.edition,
            by=run.created_by,
            max_meetings=run.max_meetings,
            time_limit=run.time_limit,
            seed=run.seed,
            run=run,
        )
    except ValidationError as error:
        MatchRun.objects.filter(pk=run_id).update(
            status=MatchRunStatus.FAILED, error="\n".join(error.messages)
        )
        return MatchRunStatus.FAILED
    except Exception as exc:
        logger.exception("Matchmaking run %s failed", run_id)
        MatchRun.objects.filter(pk=run_id).update(
            status=MatchRunStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return MatchRunStatus.FAILED
    return MatchRunStatus.DONE
