"""Every write of the day itself: check-ins at the doors and the rooms, walk-ins, badges.

A scan locks the registration's row, re-checks what is on record, and writes one row, all in
one transaction (pretix's ``perform_checkin`` is the model). Unique constraints are the
backstop: one entry per registration, one room check-in per registration and session, one
row per client nonce. A scan that loses a race against another door is answered from the
winner's row, so every scan of one badge after the first says when and where it came in.
``select_for_update()`` does nothing on SQLite; there IMMEDIATE transactions serialise writers.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenconf.accounts.models import Actor, actor_user
from ketenconf.allocation.models import Assignment
from ketenconf.allocation.selectors import published_run_id, seats_given_away, seats_left_later
from ketenconf.audit.models import AuditPart
from ketenconf.audit.services import audit_record, snapshot
from ketenconf.events.models import Edition
from ketenconf.programme.models import BlockKind, Session
from ketenconf.registration.models import Registration, RegistrationStatus
from ketenconf.registration.services import RegistrationClosed, registration_create

from . import badges
from .models import Badge, BadgeBatch, BatchStatus, CheckIn, CheckInKind, CheckInSettings
from .tokens import BadToken, badge_token_verify, badge_version

NONCE = re.compile(r"[A-Za-z0-9_-]{8,64}")


class Outcome(StrEnum):
    WELCOME = "welcome"  # checked in by this scan
    REPEATED = "repeated"  # this very scan again (same nonce): it counted the first time
    ALREADY = "already"  # checked in before, by another scan
    UNKNOWN = "unknown"  # not a badge of ours, or no such registration
    OTHER_EDITION = "other_edition"
    REVOKED = "revoked"  # an old badge: a newer one was printed, or the data is anonymised
    CANCELLED = "cancelled"
    RELEASED = "released"
    WAITLISTED = "waitlisted"
    NOT_ASSIGNED = "not_assigned"  # a room: assigned elsewhere, and switching is not allowed
    MOVED = "moved"  # a room: their seat here moved to another session on the day
    ROOM_FULL = "room_full"
    NONCE_REUSED = "nonce_reused"  # the page sent a scan number used for another badge


@dataclass(frozen=True)
class ScanResult:
    outcome: Outcome
    ok: bool
    message: str
    registration: Registration | None = None
    check_in: CheckIn | None = None
    note: str = ""

    @property
    def organisation(self) -> str:
        return str(self.registration.organisation) if self.registration is not None else ""


def _time(at: datetime) -> str:
    return timezone.localtime(at).strftime("%H:%M")


def _who(registration: Registration) -> dict[str, str]:
    return {"name": registration.name, "organisation": str(registration.organisation)}


def _earlier(check_in: CheckIn) -> dict[str, str]:
    return {"time": _time(check_in.at), "door": check_in.door}


def check_in_settings(*, edition: Edition) -> CheckInSettings:
    found = CheckInSettings.objects.filter(edition=edition).first()
    return found if found is not None else CheckInSettings(edition=edition)


def check_in_settings_update(
    *, edition: Edition, allow_switching: bool, walk_ins: bool
) -> CheckInSettings:
    with transaction.atomic():
        before = CheckInSettings.objects.filter(edition=edition).first()
        found, _created = CheckInSettings.objects.update_or_create(
            edition=edition, defaults={"allow_switching": allow_switching, "walk_ins": walk_ins}
        )
        audit_record(
            edition=edition,
            part=AuditPart.CHECKIN,
            action="change",
            target=found,
            before=None if before is None else snapshot(before, *CHECKIN_SETTINGS),
            after=snapshot(found, *CHECKIN_SETTINGS),
        )
    return found


CHECKIN_SETTINGS = ("allow_switching", "walk_ins")


def _validate(*, door: str, nonce: str) -> None:
    errors: dict[str, list[str]] = {}
    if not NONCE.fullmatch(nonce):
        errors["nonce"] = [
            _("The scan number must be 8 to 64 letters, digits, dashes or underscores.")
        ]
    if len(door) > 40:
        errors["door"] = [_("Name the door in at most 40 characters.")]
    if errors:
        raise ValidationError(errors)


def checkin_scan(
    *,
    edition: Edition,
    token: str,
    door: str,
    nonce: str,
    by: Actor,
    session: Session | None = None,
) -> ScanResult:
    """Check in the holder of a badge at the door (``session`` None) or at a session's room.

    ``nonce`` identifies this scan on the client: sent again (a retry, a double submit) it is
    answered from the check-in it made and counts once. Raises ``ValidationError`` only for a
    malformed nonce or door; every answer about the badge is a ``ScanResult``.
    """
    _validate(door=door, nonce=nonce)
    try:
        claim = badge_token_verify(token)
    except BadToken:
        return ScanResult(
            Outcome.UNKNOWN, False, _("Unknown badge: this code is not a badge of ketenconf.")
        )
    if claim.edition_id != edition.pk:
        other = Edition.objects.filter(pk=claim.edition_id).first()
        return ScanResult(
            Outcome.OTHER_EDITION,
            False,
            _("This badge is for another conference: %(edition)s.")
            % {"edition": other.title if other is not None else "?"},
        )
    return _check_in(
        edition=edition,
        registration_id=claim.registration_id,
        versions=(claim.access_version, claim.badge_version),
        door=door,
        nonce=nonce,
        by=by,
        session=session,
    )


def checkin_registration(
    *,
    edition: Edition,
    registration: Registration,
    door: str,
    nonce: str,
    by: Actor,
    session: Session | None = None,
) -> ScanResult:
    """Check in a registration found by name at the desk: the same rules as a scanned badge."""
    _validate(door=door, nonce=nonce)
    return _check_in(
        edition=edition,
        registration_id=registration.pk,
        versions=None,
        door=door,
        nonce=nonce,
        by=by,
        session=session,
        by_hand=True,
    )


def _check_in(
    *,
    edition: Edition,
    registration_id: int,
    versions: tuple[int, int] | None,
    door: str,
    nonce: str,
    by: Actor,
    session: Session | None,
    by_hand: bool = False,
) -> ScanResult:
    for attempt in range(2):
        try:
            with transaction.atomic():
                result = _check_in_locked(
                    edition=edition,
                    registration_id=registration_id,
                    versions=versions,
                    door=door,
                    nonce=nonce,
                    by=by,
                    session=session,
                )
                if by_hand and result.outcome == Outcome.WELCOME and result.check_in:
                    # Found by name, not by a badge: the audit trail keeps who let them in.
                    audit_record(
                        edition=edition,
                        part=AuditPart.CHECKIN,
                        action="check_in",
                        target=result.registration,
                        after={
                            "door": door,
                            "session": None if session is None else str(session),
                        },
                        by=by,
                    )
                return result
        except IntegrityError:
            # Another door wrote this registration's check-in (or this nonce) between our
            # look and our insert: everything rolled back; look again and answer from theirs.
            if attempt == 1:
                raise
    raise AssertionError("unreachable")


def _check_in_locked(
    *,
    edition: Edition,
    registration_id: int,
    versions: tuple[int, int] | None,
    door: str,
    nonce: str,
    by: Actor,
    session: Session | None,
) -> ScanResult:
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("organisation", "badge")
        .filter(pk=registration_id, edition=edition)
        .order_by("pk")  # not the model's order, which joins the edition for nothing
        .first()
    )
    if registration is None:
        return ScanResult(
            Outcome.UNKNOWN, False, _("Unknown badge: no registration of this conference.")
        )
    who = _who(registration)
    if registration.anonymised_at is not None or (
        versions is not None
        and versions != (registration.access_version, badge_version(registration))
    ):
        return ScanResult(
            Outcome.REVOKED,
            False,
            _("This badge is no longer valid: a newer badge was printed for %(name)s.") % who,
            registration,
        )
    same_scan, earlier = _rows_of_this_scan(registration=registration, nonce=nonce, session=session)
    if same_scan is not None:
        if same_scan.registration_id != registration.pk or same_scan.session_id != (
            session.pk if session is not None else None
        ):
            return ScanResult(
                Outcome.NONCE_REUSED,
                False,
                _("Scan again: this scan's number was used for another check-in."),
                registration,
            )
        return ScanResult(
            Outcome.REPEATED,
            True,
            _(
                "Welcome, %(name)s — %(organisation)s. Already checked in at %(time)s at door "
                "%(door)s by this same scan."
            )
            % {**who, **_earlier(same_scan)},
            registration,
            same_scan,
        )
    if registration.status == RegistrationStatus.CANCELLED:
        return ScanResult(
            Outcome.CANCELLED,
            False,
            _("Cancelled: %(name)s — %(organisation)s cancelled this registration.") % who,
            registration,
        )
    if registration.status == RegistrationStatus.RELEASED:
        return ScanResult(
            Outcome.RELEASED,
            False,
            _(
                "Released: the registration of %(name)s — %(organisation)s was released "
                "because the email address was never confirmed."
            )
            % who,
            registration,
        )
    if registration.status == RegistrationStatus.WAITLISTED:
        return ScanResult(
            Outcome.WAITLISTED,
            False,
            _("On the waiting list: %(name)s — %(organisation)s has no seat.") % who,
            registration,
        )
    if session is None:
        return _entry(edition, registration, earlier=earlier, door=door, nonce=nonce, by=by)
    return _room(edition, registration, earlier=earlier, session=session, nonce=nonce, by=by)


def _rows_of_this_scan(
    *, registration: Registration, nonce: str, session: Session | None
) -> tuple[CheckIn | None, CheckIn | None]:
    """In one query: the row this very scan made before (by its nonce), and the registration's
    earlier check-in here (the entry, or this session's room). The registration's row is
    locked, so no other scan of this badge can add a check-in until we commit."""
    if session is None:
        here = Q(
            edition_id=registration.edition_id, registration=registration, kind=CheckInKind.ENTRY
        )
    else:
        here = Q(registration=registration, session=session, kind=CheckInKind.ROOM)
    same_scan = earlier = None
    # No ordering: the model's default would join the edition for nothing.
    for row in CheckIn.objects.filter(Q(nonce=nonce) | here).order_by():
        if row.nonce == nonce:
            same_scan = row
        if row.registration_id == registration.pk and (
            row.kind == CheckInKind.ENTRY
            if session is None
            else row.kind == CheckInKind.ROOM and row.session_id == session.pk
        ):
            earlier = row
    return same_scan, earlier


def _entry(
    edition: Edition,
    registration: Registration,
    *,
    earlier: CheckIn | None,
    door: str,
    nonce: str,
    by: Actor,
) -> ScanResult:
    who = _who(registration)
    if earlier is not None:
        return ScanResult(
            Outcome.ALREADY,
            False,
            _("Already checked in at %(time)s at door %(door)s: %(name)s — %(organisation)s.")
            % {**who, **_earlier(earlier)},
            registration,
            earlier,
        )
    row = CheckIn.objects.create(
        edition=edition,
        registration=registration,
        kind=CheckInKind.ENTRY,
        door=door,
        at=timezone.now(),
        nonce=nonce,
        by=actor_user(by),
    )
    return ScanResult(
        Outcome.WELCOME,
        True,
        _("Welcome, %(name)s — %(organisation)s") % who,
        registration,
        row,
        _late_note(edition, registration),
    )


def _late_note(edition: Edition, registration: Registration) -> str:
    """For someone whose seats went to others before they came: the sessions of the rounds
    still to come that have seats left (room check-in seats them there)."""
    if not seats_given_away(registration=registration):
        return ""
    open_seats = seats_left_later(edition=edition)
    if not open_seats:
        return _("Your seats were given to others while you were not here, and no seats are left.")
    listed = "; ".join(
        _("%(round)s: %(topic)s in %(room)s (%(left)s left)")
        % {
            "round": seats.block,
            "topic": seats.session.topic.title,
            "room": seats.session.room.name,
            "left": seats.left,
        }
        for seats in open_seats
    )
    return _(
        "Your seats were given to others while you were not here. Seats are left in: "
        "%(sessions)s. Go to one of these rooms."
    ) % {"sessions": listed}


def _room(
    edition: Edition,
    registration: Registration,
    *,
    earlier: CheckIn | None,
    session: Session,
    nonce: str,
    by: Actor,
) -> ScanResult:
    who = _who(registration)
    if earlier is not None:
        return ScanResult(
            Outcome.ALREADY,
            True,
            _("Already in this session since %(time)s: %(name)s — %(organisation)s.")
            % {**who, "time": _time(earlier.at)},
            registration,
            earlier,
        )
    # One room door at a time decides about the last seats of this session.
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("room", "block", "topic")
        .get(pk=session.pk, edition=edition)
    )
    capacity = session.effective_capacity
    in_room = CheckIn.objects.filter(session=session, kind=CheckInKind.ROOM).count()
    note = ""
    if session.block.kind == BlockKind.ROUND:
        run_id = published_run_id(edition_id=edition.pk)
        own = (
            Assignment.objects.filter(run_id=run_id, registration=registration, block=session.block)
            .select_related("session__topic", "session__room", "block")
            .first()
            if run_id is not None
            else None
        )
        if own is None or own.session_id != session.pk:
            elsewhere = (
                _("Their session: %(topic)s in %(room)s.")
                % {"topic": own.session.topic.title, "room": own.session.room.name}
                if own is not None
                else _("They have no session in this round.")
            )
            if own is not None and _held_before(edition, registration, session):
                return ScanResult(
                    Outcome.MOVED,
                    False,
                    _(
                        "Moved: %(name)s now has %(topic)s in %(room)s, from %(time)s. "
                        "Please go there."
                    )
                    % {
                        **who,
                        "topic": own.session.topic.title,
                        "room": own.session.room.name,
                        "time": _time(own.block.start),
                    },
                    registration,
                )
            may_switch = check_in_settings(edition=edition).allow_switching or (
                own is None and seats_given_away(registration=registration)
            )
            if not may_switch:
                return ScanResult(
                    Outcome.NOT_ASSIGNED,
                    False,
                    _("Not assigned here: %(name)s — %(organisation)s.") % who + " " + elsewhere,
                    registration,
                )
            reserved = _expected(session=session, run_id=run_id)
            if in_room + reserved >= capacity:
                return ScanResult(
                    Outcome.ROOM_FULL,
                    False,
                    _(
                        "The room is full: %(taken)s of %(capacity)s seats are taken or kept "
                        "for participants assigned here. %(name)s is not assigned here."
                    )
                    % {**who, "taken": in_room + reserved, "capacity": capacity},
                    registration,
                )
            note = _("Not assigned here, let in: %(left)s seats left.") % {
                "left": capacity - in_room - reserved - 1
            }
    elif in_room >= capacity:
        return ScanResult(
            Outcome.ROOM_FULL,
            False,
            _("The room is full: %(taken)s of %(capacity)s seats are taken.")
            % {"taken": in_room, "capacity": capacity},
            registration,
        )
    row = CheckIn.objects.create(
        edition=edition,
        registration=registration,
        kind=CheckInKind.ROOM,
        session=session,
        door=session.room.name,
        at=timezone.now(),
        nonce=nonce,
        by=actor_user(by),
    )
    return ScanResult(
        Outcome.WELCOME,
        True,
        _("Welcome, %(name)s — %(organisation)s") % who,
        registration,
        row,
        note,
    )


def _held_before(edition: Edition, registration: Registration, session: Session) -> bool:
    """Whether an earlier published run gave the participant this session (a re-offer, or an
    organiser, has moved them since)."""
    return Assignment.objects.filter(
        run__edition=edition,
        run__published_at__isnull=False,
        registration=registration,
        session=session,
    ).exists()


def _expected(*, session: Session, run_id: int | None) -> int:
    """Seats kept for people assigned to the session who are in the building but not yet in
    the room; no-shows (never through the door) keep none."""
    if run_id is None:
        return 0
    return (
        Assignment.objects.filter(run_id=run_id, session=session)
        .filter(
            registration__check_ins__kind=CheckInKind.ENTRY,
            registration__status=RegistrationStatus.REGISTERED,
        )
        .exclude(registration__check_ins__session=session)
        .values("registration")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class WalkInResult:
    registration: Registration | None
    scan: ScanResult | None
    message: str


def walk_in_register(
    *,
    edition: Edition,
    name: str,
    email: str,
    organisation_name: str,
    door: str,
    nonce: str,
    by: Actor,
) -> WalkInResult:
    """Register someone at the desk while seats are left, and check them in at once.

    Mails their personal link as any registration does. Someone who turns out to be
    registered already is checked in under that registration. Raises ``ValidationError``
    for bad input (nothing changes then).
    """
    _validate(door=door, nonce=nonce)
    if not check_in_settings(edition=edition).walk_ins:
        raise ValidationError(_("The organisers do not take walk-ins for this conference."))
    edition.refresh_from_db(fields=["seats_taken", "capacity"])
    if (
        edition.seats_left == 0
        and not Registration.objects.filter(edition=edition, email__iexact=email.strip()).exists()
    ):
        raise ValidationError(_("No seats are left: walk-ins cannot be registered."))
    try:
        outcome = registration_create(
            edition=edition,
            name=name,
            email=email,
            organisation_name=organisation_name,
            even_if_closed=True,
            notify=True,
            confirmed=True,
        )
    except RegistrationClosed as error:  # pragma: no cover - even_if_closed
        raise ValidationError(str(error)) from error
    registration = outcome.registration
    if registration.status != RegistrationStatus.REGISTERED:
        return WalkInResult(
            registration,
            None,
            _("%(name)s could not get a seat and is on the waiting list.")
            % {"name": registration.name},
        )
    scan = checkin_registration(
        edition=edition, registration=registration, door=door, nonce=nonce, by=by
    )
    return WalkInResult(registration, scan, scan.message)


def badge_replace(*, registration: Registration) -> int:
    """A badge was lost: stop it, and give the registration a new badge version."""
    with transaction.atomic():
        badge, created = Badge.objects.get_or_create(
            registration=registration, defaults={"version": 1}
        )
        if not created:
            Badge.objects.filter(pk=badge.pk).update(version=F("version") + 1)
            badge.refresh_from_db()
    registration._state.fields_cache["badge"] = badge
    return badge.version


def badge_batch_start(*, edition: Edition, format: str, by: Actor) -> BadgeBatch:
    """Queue all badges of the edition as one PDF; the worker makes it (see ``tasks``)."""
    from . import tasks

    with transaction.atomic():
        batch = BadgeBatch.objects.create(
            edition=edition,
            format=format,
            total=len(badges.badge_registrations(edition=edition)),
            created_by=actor_user(by),
        )
        transaction.on_commit(partial(tasks.make_badges.enqueue, batch.pk), robust=True)
    return batch


def badge_batch_file(*, batch: BadgeBatch) -> Path:
    return Path(settings.VAR_DIR) / "badges" / f"{batch.edition.slug}-{batch.pk}-{batch.format}.pdf"


def badge_batch_execute(*, batch_id: int) -> str:
    """Make the PDF of a batch, reporting progress in its row as each chunk is laid out.

    Runs in the worker, outside a transaction: every progress write commits at once, so the
    page that polls sees it.
    """
    batch = BadgeBatch.objects.select_related("edition__venue").get(pk=batch_id)
    if batch.is_finished:
        return batch.status
    began = time.perf_counter()
    BadgeBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, done=0)
    try:
        data = badges.edition_badges(edition=batch.edition)
        total = len(data)
        BadgeBatch.objects.filter(pk=batch.pk).update(total=total)

        def progress(done: int) -> None:
            BadgeBatch.objects.filter(pk=batch.pk).update(done=min(done, total))

        pdf = badges.badges_pdf(
            edition=batch.edition, badges=data, format=batch.format, progress=progress
        )
        target = badge_batch_file(batch=batch)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial_file = target.with_suffix(".part")
        partial_file.write_bytes(pdf)
        partial_file.replace(target)
    except Exception as error:
        BadgeBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, error=repr(error), finished_at=timezone.now()
        )
        raise
    BadgeBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.DONE,
        done=total,
        file=str(target),
        seconds=time.perf_counter() - began,
        finished_at=timezone.now(),
    )
    return BatchStatus.DONE
