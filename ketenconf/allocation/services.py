"""Every write of the workshop assignment: start and execute a run, move, lock, publish.

A run snapshots the engine's input when it starts (so what was solved can be replayed), is
solved inline for small editions or by the worker for large ones, and its seats are written
in one transaction together with its result. Nothing is published until an organiser
publishes a finished run; publishing mails every participant whose programme is new or
changed, in the same transaction.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from datetime import timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenconf.accounts.models import Actor, actor_user
from ketenconf.events.models import Edition
from ketenconf.mail.services import mail_enqueue
from ketenconf.programme.models import Block
from ketenconf.programme.models import Session as SessionRow
from ketenconf.registration import links
from ketenconf.registration.models import Registration, RegistrationStatus

from . import adapter, selectors
from .engine import InvalidProblem, Problem, objective, solve, validate, validate_assignment
from .models import Assignment, AssignmentLock, AssignmentRun, RunStatus

logger = logging.getLogger(__name__)

#: Up to this many participants a run is solved in the request: the engine proves these
#: optimal in well under two seconds. Larger editions go to the worker.
INLINE_PARTICIPANT_LIMIT = 1500
#: A queued or running run older than its time limit plus this is taken to be lost.
RUN_GRACE = timedelta(minutes=10)


def _run_under_way(*, edition: Edition) -> AssignmentRun | None:
    now = timezone.now()
    for run in AssignmentRun.objects.filter(
        edition=edition, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ):
        if run.created_at + timedelta(seconds=run.time_limit) + RUN_GRACE > now:
            return run
    return None


def assignment_run_start(
    *,
    edition: Edition,
    by: Actor,
    time_limit: int = 60,
    seed: int = 0,
    max_organisation_share: float | None = None,
    background: bool | None = None,
) -> AssignmentRun:
    """Build the input from the edition as it stands and solve it.

    Locked seats become fixed; the seats of the latest published run are kept where possible
    (incremental mode: every participant moved away from a published seat costs as much as one
    unranked workshop). An input the engine cannot solve gives a failed run listing every
    problem, and changes nothing else. ``background`` (default: above
    ``INLINE_PARTICIPANT_LIMIT`` participants) hands the solving to the worker after commit.
    """
    if _run_under_way(edition=edition) is not None:
        raise ValidationError(
            _("A run of this edition is still under way; wait until it has finished.")
        )
    built = adapter.problem_build(
        edition=edition,
        max_organisation_share=max_organisation_share,
        previous=adapter.published_seats(edition=edition),
    )
    problem = built.problem
    errors = validate(problem)
    with transaction.atomic():
        # Numbered within the edition; the edition's row, locked, keeps two starts apart.
        Edition.objects.select_for_update().filter(pk=edition.pk).values_list("pk").first()
        last = AssignmentRun.objects.filter(edition=edition).aggregate(last=Max("number"))
        run = AssignmentRun.objects.create(
            edition=edition,
            number=(last["last"] or 0) + 1,
            created_by=actor_user(by),
            time_limit=time_limit,
            seed=seed,
            max_organisation_share=max_organisation_share,
            participant_count=len(problem.participants),
            problem=problem.to_dict(),
        )
        if errors:
            run.status = RunStatus.FAILED
            run.problems = [error.to_dict() for error in errors]
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "problems", "finished_at"])
            return run
        if background is None:
            background = len(problem.participants) > INLINE_PARTICIPANT_LIMIT
        if background:
            from .tasks import execute_run

            transaction.on_commit(partial(execute_run.enqueue, run.pk), robust=True)
    if not background:
        assignment_run_execute(run_id=run.pk)
        run.refresh_from_db()
    return run


def assignment_run_execute(*, run_id: int) -> str:
    """Solve a queued run and write its seats; called inline or by the worker. Returns the status.

    The claim (queued → running) is one conditional UPDATE, so a run is solved once. The
    seats and the result are written in one transaction; a failure writes no seat.
    """
    claimed = AssignmentRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    run = AssignmentRun.objects.get(pk=run_id)

    def progress(message: str) -> None:
        AssignmentRun.objects.filter(pk=run_id).update(progress=message[:300])

    try:
        problem = Problem.from_dict(run.problem)
        result = solve(problem, time_limit=run.time_limit, seed=run.seed, progress=progress)
    except InvalidProblem as invalid:
        AssignmentRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            problems=[error.to_dict() for error in invalid.errors],
            finished_at=timezone.now(),
        )
        return RunStatus.FAILED
    except Exception as exc:
        logger.exception("Assignment run %s failed", run_id)
        AssignmentRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return RunStatus.FAILED
    with transaction.atomic():
        run = AssignmentRun.objects.select_for_update().get(pk=run_id)
        Assignment.objects.filter(run=run).delete()
        Assignment.objects.bulk_create(
            adapter.assignment_rows(run=run, problem=problem, assignment=result.assignment),
            batch_size=1000,
        )
        run.result = result.to_dict()
        run.objective = result.objective
        run.lower_bound = result.lower_bound
        run.status = RunStatus.DONE
        run.finished_at = timezone.now()
        run.save(update_fields=["result", "objective", "lower_bound", "status", "finished_at"])
    return RunStatus.DONE


def _participant(problem: Problem, registration: Registration) -> int:
    pid = adapter.participant_id(registration.pk)
    for index, participant in enumerate(problem.participants):
        if participant.id == pid:
            return index
    raise ValidationError(
        _(
            "%(name)s was not a participant when this run started (registered later, or "
            "without a seat then). Start a new run to give them seats."
        )
        % {"name": registration.name}
    )


def assignment_move(
    *,
    run: AssignmentRun,
    registration: Registration,
    seats: Mapping[int, int | None],
    lock: bool,
    by: Actor,
) -> None:
    """Give a participant other sessions in a finished, unpublished run.

    ``seats`` maps a round block's pk to a session's pk, or ``None`` for no session. The new
    seats are checked with the engine's ``validate_assignment`` against the run's input (room
    capacity, a topic twice, step-free access, the organisation share); the participant's own
    locked seats give way, as the organiser asks for the change. Raises ``ValidationError``
    with every problem, in words, and changes nothing then. With ``lock``, the chosen seats are
    locked for later runs (and a round set to no session loses its lock).
    """
    with transaction.atomic():
        run = AssignmentRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.DONE:
            raise ValidationError(_("Only a finished run can be changed."))
        if run.is_published:
            raise ValidationError(
                _(
                    "This run is published and stays as participants have seen it. Lock the "
                    "seats you want and start a new run; it keeps the other published seats."
                )
            )
        problem = Problem.from_dict(run.problem)
        index = _participant(problem, registration)
        participant = problem.participants[index]
        pid = participant.id
        round_ids = {r.id for r in problem.rounds}
        new_seats: dict[str, str] = {}
        for block_pk, session_pk in seats.items():
            rid = adapter.round_id(block_pk)
            if rid not in round_ids:
                raise ValidationError(_("That round was not part of this run."))
            if session_pk is not None:
                new_seats[rid] = adapter.session_id(session_pk)
        assignment = adapter.seats_of_run(run=run)
        before = assignment.get(pid, {})
        kept = {rid: sid for rid, sid in before.items() if adapter.pk_of(rid) not in seats}
        assignment[pid] = {**kept, **new_seats}
        unfixed = dataclasses.replace(
            problem,
            participants=tuple(
                dataclasses.replace(p, fixed={}) if p.id == pid else p for p in problem.participants
            ),
        )
        errors = validate_assignment(unfixed, assignment)
        if errors:
            names = selectors.problem_names(problem=problem)
            raise ValidationError(
                [
                    selectors.problem_error_explain(error, names=names, problem=problem)
                    for error in errors
                ]
            )
        changed = sum(1 for rid in round_ids if before.get(rid) != assignment[pid].get(rid))
        Assignment.objects.filter(run=run, registration=registration).delete()
        Assignment.objects.bulk_create(
            adapter.assignment_rows(run=run, problem=problem, assignment={pid: assignment[pid]})
        )
        run.changed_by_hand += changed
        # The run's figure follows its seats: the runs list compares runs by it.
        run.objective = objective(unfixed, assignment)
        run.save(update_fields=["changed_by_hand", "objective"])
        if lock:
            for block_pk, session_pk in seats.items():
                if session_pk is None:
                    AssignmentLock.objects.filter(
                        registration=registration, block_id=block_pk
                    ).delete()
                else:
                    _lock(run.edition, registration, block_pk, session_pk, by)


def _lock(
    edition: Edition, registration: Registration, block_pk: int, session_pk: int, by: Actor
) -> AssignmentLock:
    lock, _created = AssignmentLock.objects.update_or_create(
        registration=registration,
        block_id=block_pk,
        defaults={"edition": edition, "session_id": session_pk, "created_by": actor_user(by)},
    )
    return lock


def assignment_lock(
    *, edition: Edition, registration: Registration, session: SessionRow, by: Actor
) -> AssignmentLock:
    """Lock a participant in a session of a round: every later run keeps this seat."""
    if registration.edition_id != edition.pk or session.edition_id != edition.pk:
        raise ValidationError(_("The participant and the session must be of this edition."))
    block = Block.objects.get(pk=session.block_id)
    if not block.is_round:
        raise ValidationError(_("Only seats in workshop rounds can be locked."))
    with transaction.atomic():
        return _lock(edition, registration, block.pk, session.pk, by)


def assignment_unlock(*, lock: AssignmentLock) -> None:
    lock.delete()


def assignment_run_publish(*, run: AssignmentRun, by: Actor) -> int:
    """Publish a finished run: participants see these seats, and are mailed their programme.

    Mailed are the participants with a seat in the edition whose programme is new or differs
    from the one published before; each once, in their language, in this transaction.
    Returns how many were mailed.
    """
    with transaction.atomic():
        run = AssignmentRun.objects.select_for_update().select_related("edition").get(pk=run.pk)
        if run.status != RunStatus.DONE:
            raise ValidationError(_("Only a finished run can be published."))
        current = selectors.published_run(edition=run.edition)
        if current is not None and current.pk == run.pk:
            raise ValidationError(_("This run is already the published one."))
        before = adapter.seats_of_run(run=current) if current is not None else {}
        after = adapter.seats_of_run(run=run)
        run.published_at = timezone.now()
        run.published_by = actor_user(by)
        run.save(update_fields=["published_at", "published_by"])
        programmes = selectors.programmes_of_run(run=run)
        registrations = Registration.objects.filter(
            edition=run.edition,
            status=RegistrationStatus.REGISTERED,
            pk__in=list(programmes),
        ).select_related("edition")
        mailed = 0
        for registration in registrations.order_by("pk"):
            pid = adapter.participant_id(registration.pk)
            if before.get(pid) == after.get(pid):
                continue
            mail_enqueue(
                to=registration.email,
                template="allocation/mail/programme",
                context={
                    "registration": registration,
                    "edition": run.edition,
                    "items": programmes[registration.pk],
                    "changed": pid in before,
                    "link": links.access_link_url(registration=registration),
                },
                language=registration.language,
                edition=run.edition,
                topic="allocation/programme",
            )
            mailed += 1
    return mailed
