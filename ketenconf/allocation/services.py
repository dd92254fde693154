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
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenconf.accounts.models import Actor, actor_user
from ketenconf.audit.models import AuditPart
from ketenconf.audit.services import audit_record
from ketenconf.core.tenancy import edition_scope
from ketenconf.events.models import Edition
from ketenconf.mail.services import mail_enqueue
from ketenconf.programme.models import Block
from ketenconf.programme.models import Session as SessionRow
from ketenconf.registration import links
from ketenconf.registration.models import Registration, RegistrationStatus

from . import adapter, reoffer, selectors
from .engine import InvalidProblem, Problem, objective, solve, validate, validate_assignment
from .models import (
    Assignment,
    AssignmentLock,
    AssignmentRun,
    Reoffer,
    ReofferStatus,
    RunStatus,
)

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
        audit_record(
            edition=edition,
            part=AuditPart.ASSIGNMENT,
            action="start",
            target=run,
            after={"participants": run.participant_count, "time_limit": time_limit, "seed": seed},
            by=by,
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
        adapter.result_apply(run=run, problem=problem, result=result)
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
        audit_record(
            edition=run.edition_id,
            part=AuditPart.ASSIGNMENT,
            action="move",
            target=registration,
            label=f"{registration.name} · {run}",
            before={"seats": {rid: before.get(rid) for rid in sorted(round_ids)}},
            after={"seats": {rid: assignment[pid].get(rid) for rid in sorted(round_ids)}},
            by=by,
        )
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
    audit_record(
        edition=edition,
        part=AuditPart.ASSIGNMENT,
        action="create",
        target=lock,
        label=f"{registration.name} · {lock._meta.verbose_name}",
        registration=registration,
        after={"block": block_pk, "session": session_pk},
        by=by,
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


@transaction.atomic
def assignment_unlock(*, lock: AssignmentLock) -> None:
    audit_record(
        edition=lock.edition_id,
        part=AuditPart.ASSIGNMENT,
        action="delete",
        target=lock,
        label=str(lock._meta.verbose_name),
        registration=lock.registration_id,
        before={"block": lock.block_id, "session": lock.session_id},
    )
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
        audit_record(
            edition=run.edition,
            part=AuditPart.ASSIGNMENT,
            action="publish",
            target=run,
            before={"published_run": None if current is None else str(current)},
            after={"published_run": str(run)},
            by=by,
        )
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


# The re-offer on the day ------------------------------------------------------------------

#: Seconds the engine may take for a re-offer: it runs minutes before a round.
REOFFER_TIME_LIMIT = 20


@dataclass(frozen=True)
class ReofferOutcome:
    """What a confirm did: ``published`` (the new run), or why nothing was published."""

    reoffer: Reoffer
    published: bool
    already: bool
    message: str
    mailed: int = 0


def _reoffer_round(*, edition: Edition, before_round: int) -> Block:
    block = reoffer.round_by_number(edition=edition, number=before_round)
    if block is None:
        count = len(reoffer.workshop_rounds(edition=edition))
        raise ValidationError(
            {
                "before_round": [
                    _("%(edition)s has no workshop rounds.") % {"edition": edition.title}
                    if count == 0
                    else _("Choose a round from 1 to %(count)s.") % {"count": count}
                ]
            }
        )
    return block


def reoffer_preview(
    *,
    edition: Edition,
    before_round: int,
    by: Actor,
    now: datetime | None = None,
    automatic: bool = False,
    time_limit: float = REOFFER_TIME_LIMIT,
) -> Reoffer:
    """Work out a re-offer from workshop round ``before_round`` (counted from 1) and keep it as
    a preview: who would move and by how many ranks, walk-ins seated, seats freed and left.

    Takes a snapshot of the door (who has checked in), builds the input (see
    :mod:`.reoffer`) and solves it; nothing participants see changes until
    :func:`reoffer_confirm`. Raises ``ValidationError`` (per field) for a round that does not
    exist or has started, or when nothing is published yet. An engine that finds no answer
    within its time gives a preview with status "nothing" that says so.
    """
    now = now or timezone.now()
    block = _reoffer_round(edition=edition, before_round=before_round)
    if block.start <= now:
        raise ValidationError(
            {
                "before_round": [
                    _("Round %(number)s has started; re-offer from a later round.")
                    % {"number": before_round}
                ]
            }
        )
    base_run = selectors.published_run(edition=edition)
    if base_run is None:
        raise ValidationError(
            _("Nothing is published yet: publish an assignment before re-offering seats.")
        )
    present = reoffer.checked_in(edition=edition)
    base = adapter.seats_of_run(run=base_run)
    built = reoffer.problem_build(
        edition=edition,
        before=block,
        present=present,
        base=base,
        max_organisation_share=base_run.max_organisation_share,
    )
    started = time.perf_counter()
    status = ReofferStatus.PREVIEW
    message = ""
    result_data: dict[str, Any] | None = None
    seats: dict[str, dict[str, str]] = {}
    moves: list[dict[str, Any]] = []
    figures: list[dict[str, Any]] = []
    try:
        result = solve(built.problem, time_limit=time_limit, method="auto")
    except InvalidProblem as invalid:
        status = ReofferStatus.NOTHING
        message = _("The re-offer's input is not valid: %(problems)s") % {
            "problems": "; ".join(str(error) for error in invalid.errors[:5])
        }
    else:
        result_data = result.to_dict()
        if not reoffer.result_usable(result):
            status = ReofferStatus.NOTHING
            message = _(
                "No assignment that keeps every rule was found within %(seconds)s seconds: "
                "nothing is published and the seats stay as they are."
            ) % {"seconds": f"{time_limit:g}"}
        else:
            seats = reoffer.later_seats(built=built, assignment=result.assignment)
            moves, figures = reoffer.moves_and_figures(built=built, seats=seats)
    return Reoffer.objects.create(
        edition=edition,
        before_block=block,
        round_number=before_round,
        created_by=actor_user(by),
        automatic=automatic,
        base_run=base_run,
        present=sorted(present),
        problem=built.problem.to_dict(),
        result=result_data,
        seats=seats,
        moves=moves,
        figures={
            "rounds": figures,
            "total": reoffer.figures_total(figures),
            "absent": len(built.absent),
            "walk_ins": len(built.walk_ins),
            "movable": len(built.movable),
            "worse_off": len(reoffer.worse_off(built=built, seats=seats)),
        },
        status=status,
        message=message,
        seconds=time.perf_counter() - started,
    )


def reoffer_confirm(*, preview: Reoffer, by: Actor) -> ReofferOutcome:
    """Publish a previewed re-offer as a new run, once, and mail everyone who moves.

    In one transaction, with the edition's row locked (no key update) so that confirms of one
    edition take turns: a preview already confirmed changes nothing; one whose published run is no longer
    the published one (another re-offer or run came first) publishes nothing. The door is
    read again: a participant who checked in since the preview keeps their published seats,
    and a participant whose new seat would then overfill a session (or break the
    organisation share) stays where they were too, until everything fits. Every participant
    who moves gets one mail with their new sessions, in this transaction.
    """
    with transaction.atomic():
        # FOR NO KEY UPDATE: confirms of one edition take turns, while check-ins, whose rows
        # point at the edition (a KEY SHARE lock), go on; FOR UPDATE would deadlock with a
        # check-in holding its registration's row that this confirm gives a seat.
        list(
            Edition.objects.select_for_update(no_key=True)
            .filter(pk=preview.edition_id)
            .values("pk")
        )
        current = (
            Reoffer.objects.select_for_update(of=("self",))
            .select_related("edition")
            .get(pk=preview.pk)
        )
        edition = current.edition
        if current.status != ReofferStatus.PREVIEW:
            return ReofferOutcome(
                current,
                published=False,
                already=True,
                message=_("This re-offer was confirmed before; nothing changed."),
            )
        if selectors.published_run_id(edition_id=edition.pk) != current.base_run_id:
            current.status = ReofferStatus.NOTHING
            current.message = _(
                "The published seats changed after this preview; make a new preview."
            )
            current.save(update_fields=["status", "message"])
            return ReofferOutcome(current, published=False, already=False, message=current.message)
        problem = Problem.from_dict(current.problem)
        base = adapter.seats_of_run(run=current.base_run)
        block = Block.objects.get(pk=current.before_block_id)
        built = reoffer.problem_build(
            edition=edition,
            before=block,
            present=set(current.present),
            base=base,
            max_organisation_share=current.base_run.max_organisation_share,
        )
        built = dataclasses.replace(built, problem=problem)
        now_present = reoffer.checked_in(edition=edition)
        registered = set(
            Registration.objects.filter(
                edition=edition, status=RegistrationStatus.REGISTERED
            ).values_list("pk", flat=True)
        )
        seats, kept_in_place = reoffer.settle(
            built=built,
            seats=current.seats,
            arrived={adapter.participant_id(pk) for pk in now_present - set(current.present)},
            registered={adapter.participant_id(pk) for pk in registered},
            capacity={
                adapter.session_id(row.pk): row.effective_capacity
                for row in adapter.round_sessions(edition=edition)
            },
        )
        moves, figures = reoffer.moves_and_figures(built=built, seats=seats)
        last = AssignmentRun.objects.filter(edition=edition).aggregate(last=Max("number"))
        run = AssignmentRun.objects.create(
            edition=edition,
            number=(last["last"] or 0) + 1,
            created_by=actor_user(by),
            status=RunStatus.DONE,
            time_limit=REOFFER_TIME_LIMIT,
            max_organisation_share=current.base_run.max_organisation_share,
            participant_count=len(problem.participants),
            problem=current.problem,
            result=current.result,
            progress=_("Re-offer from round %(number)s") % {"number": current.round_number},
            started_at=current.created_at,
            finished_at=timezone.now(),
            objective=(current.result or {}).get("objective"),
            lower_bound=(current.result or {}).get("lower_bound"),
            published_at=timezone.now(),
            published_by=actor_user(by),
        )
        # Started rounds as the engine kept them (fixed), the re-offered ones as settled.
        later = set(built.later)
        assignment: dict[str, dict[str, str]] = {
            pid: {rid: sid for rid, sid in given.items() if rid not in later}
            for pid, given in (current.result or {}).get("assignment", {}).items()
        }
        for pid, new in seats.items():
            assignment.setdefault(pid, {}).update(new)
        Assignment.objects.bulk_create(
            adapter.assignment_rows(run=run, problem=problem, assignment=assignment),
            batch_size=1000,
        )
        current.status = ReofferStatus.PUBLISHED
        current.run = run
        current.moves = moves
        current.figures = {
            **current.figures,
            "rounds": figures,
            "total": reoffer.figures_total(figures),
            "worse_off": len(reoffer.worse_off(built=built, seats=seats)),
        }
        current.kept_in_place = kept_in_place
        current.confirmed_at = timezone.now()
        current.confirmed_by = actor_user(by)
        audit_record(
            edition=edition,
            part=AuditPart.ASSIGNMENT,
            action="publish",
            target=run,
            before={"published_run": str(current.base_run)},
            after={"published_run": str(run), "moves": len(moves)},
            by=by,
        )
        current.save(
            update_fields=[
                "status",
                "run",
                "moves",
                "figures",
                "kept_in_place",
                "confirmed_at",
                "confirmed_by",
            ]
        )
        mailed = _reoffer_mail(run=run, moves=moves)
    message = _("Published: %(moved)s participants moved and were mailed.") % {"moved": mailed}
    return ReofferOutcome(current, published=True, already=False, message=message, mailed=mailed)


def _reoffer_mail(*, run: AssignmentRun, moves: list[dict[str, Any]]) -> int:
    """One mail to each participant who moves, with their new sessions: room, where, when."""
    moved: dict[int, set[int]] = defaultdict(set)
    walk_ins = set()
    for move in moves:
        moved[move["registration"]].add(move["round"])
        if move["walk_in"]:
            walk_ins.add(move["registration"])
    if not moved:
        return 0
    programmes = selectors.programmes_of_run(run=run)
    registrations = Registration.objects.filter(pk__in=list(moved)).select_related("edition__venue")
    for registration in registrations.order_by("pk"):
        items = programmes.get(registration.pk, [])
        mail_enqueue(
            to=registration.email,
            template="allocation/mail/reoffer",
            context={
                "registration": registration,
                "edition": registration.edition,
                "venue": registration.edition.venue,
                "moved": [item for item in items if item.block.pk in moved[registration.pk]],
                "items": items,
                "walk_in": registration.pk in walk_ins,
                "link": links.access_link_url(registration=registration),
            },
            language=registration.language,
            edition=registration.edition,
            topic="allocation/reoffer",
        )
    return len(moved)


def reoffer_due(*, now: datetime | None = None) -> str:
    """The periodic job: re-offer before every workshop round that starts within its edition's
    ``reoffer_minutes_before``, once per round. Safe to run twice: a round re-offered
    automatically before is left alone."""
    now = now or timezone.now()
    done = []
    for edition in Edition.objects.filter(reoffer_minutes_before__isnull=False).filter(
        start_date__lte=timezone.localdate(now), end_date__gte=timezone.localdate(now)
    ):
        with edition_scope(edition):
            done += _reoffer_due_in(edition, now)
    return "; ".join(done) or "nothing due"


def _reoffer_due_in(edition: Edition, now: datetime) -> list[str]:
    done = []
    assert edition.reoffer_minutes_before is not None
    soon = now + timedelta(minutes=edition.reoffer_minutes_before)
    for number, block in enumerate(reoffer.workshop_rounds(edition=edition), start=1):
        if not now < block.start <= soon:
            continue
        if Reoffer.objects.filter(before_block=block, automatic=True).exists():
            continue
        if selectors.published_run_id(edition_id=edition.pk) is None:
            continue
        preview = reoffer_preview(
            edition=edition, before_round=number, by=None, now=now, automatic=True
        )
        if preview.status == ReofferStatus.PREVIEW:
            outcome = reoffer_confirm(preview=preview, by=None)
            done.append(f"{edition.slug} round {number}: {outcome.mailed} moved")
        else:
            done.append(f"{edition.slug} round {number}: {preview.message}")
    return done
