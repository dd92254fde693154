"""The registration hot path: the few rows every registration reads and writes, by fixed
statements (``ketenconf.core.statements``) and kept per process for a second
(``ketenconf.core.process_memo``), and the retry when the last seat went the other way.

What it buys: a rush of registrations is bound by the CPU the application spends per
registration, and the ORM building the SQL of these short statements anew on every call
costs more of it than the database spends running them; with the statements made once and
the edition and the typed organisations kept for a second, a registration costs about a
quarter less CPU (``bench/registration_rush.py``; the figures are in ``bench/README.md``). The price
is a second way to read and write these rows: ``tests/registration/test_hot_path.py`` holds
each statement here to the rows the ORM gives. Everything else about a registration is in
``services.py`` and ``selectors.py`` on the ORM; keep it that way, and keep this module
small.

The rules for what is kept per process are in ``ketenconf.core.process_memo``; both memos
here are cleared at once when an edition or an organisation is saved or deleted in this
process (``RegistrationConfig.ready()``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from ketenconf.audit.models import AuditPart
from ketenconf.audit.services import audit_record, snapshot
from ketenconf.core import statements
from ketenconf.core.process_memo import ProcessMemo
from ketenconf.core.tenancy import edition_scope_enter
from ketenconf.events.models import PUBLIC_STATUSES, Edition, Organisation
from ketenconf.mail.services import mail_enqueue

from . import links
from .models import Registration, RegistrationStatus

if TYPE_CHECKING:
    from ketenconf.questions.models import Answer


@dataclass(frozen=True)
class RegistrationOutcome:
    registration: Registration
    created: bool
    #: 1 for the first on the waiting list; ``None`` with a seat.
    waitlist_position: int | None = None


class SeatTurned(Exception):
    """The seat went the other way than the registration was written for: roll back, redo."""

    def __init__(self, *, seated: bool) -> None:
        super().__init__()
        self.seated = seated


# The two counters run on every registration and cancellation.
def seat_take(*, edition_id: int) -> bool:
    return (
        statements.update(
            Edition,
            "seats_taken = seats_taken + 1",
            "id = %s AND seats_taken < capacity",
            [edition_id],
        )
        == 1
    )


def seat_free(*, edition_id: int) -> None:
    statements.update(
        Edition, "seats_taken = seats_taken - 1", "id = %s AND seats_taken > 0", [edition_id]
    )


#: The editions the API registers for, kept per process for a second: every registration
#: reads its edition, and a rush of them reads the same one (cleared on every save of an
#: edition in this process; see ketenconf.core.process_memo).
public_editions: ProcessMemo[str, Edition] = ProcessMemo(seconds=1.0)


def public_edition(*, slug: str) -> Edition | None:
    """The public edition at ``slug``, alone (its series, venue and lead are not needed to
    register, nor are they in the mails), as read at most a second ago. Shared by the
    threads of the process: read it, do not change it."""

    def load() -> Edition | None:
        statuses = ", ".join(["%s"] * len(PUBLIC_STATUSES))
        found = statements.select(
            Edition, f"slug = %s AND status IN ({statuses})", [slug, *PUBLIC_STATUSES]
        )
        return found[0] if found else None

    edition = public_editions.get(slug, load)
    if edition is not None:
        edition_scope_enter(edition)
    return edition


#: Those ahead of a registration on its edition's waiting list: waiting since earlier, or
#: since the same moment with a lower key (the order of the ``waitlist_order`` index). A fixed
#: statement, since most of a rush ends up on the waiting list
#: and each is told their place; the registration's own values are read in the statement, so
#: no datetime travels as a parameter.
_AHEAD_ON_THE_WAITING_LIST = (
    "edition_id = %s AND status = %s AND (waitlisted_at, id) < "  # noqa: S608 - no values
    f"(SELECT waitlisted_at, id FROM {Registration._meta.db_table} WHERE id = %s)"
)


def waitlist_position(*, registration: Registration) -> int | None:
    """1 for the first on the waiting list; ``None`` when not on it."""
    if registration.status != RegistrationStatus.WAITLISTED or registration.waitlisted_at is None:
        return None
    ahead = statements.count(
        Registration,
        _AHEAD_ON_THE_WAITING_LIST,
        [registration.edition_id, RegistrationStatus.WAITLISTED, registration.pk],
    )
    return ahead + 1


#: Organisations by the name people type, kept per process for a second: every registration
#: looks its organisation up, and a rush types the same few (cleared on every save or delete
#: of an organisation in this process; see ketenconf.core.process_memo).
organisations_by_name: ProcessMemo[str, Organisation] = ProcessMemo(seconds=1.0)


def organisation_named(name: str) -> Organisation | None:
    """By name, else by short name, without regard to case: a fixed statement (see
    ketenconf.core.statements); LOWER(name) is the unique index's expression."""
    matches = statements.select(
        Organisation,
        "LOWER(name) = LOWER(%s) OR LOWER(short_name) = LOWER(%s) LIMIT 5",
        [name, name],
    )
    for match in sorted(matches, key=lambda o: o.name.lower() != name.lower()):
        return match
    return None


def registration_mail(registration: Registration, template: str, **context: Any) -> None:
    mail_enqueue(
        to=registration.email,
        template=f"registration/mail/{template}",
        context={"registration": registration, "edition": registration.edition, **context},
        language=registration.language,
        edition=registration.edition,
    )


def registration_insert(
    registration: Registration,
    *,
    notify: bool,
    seat: bool,
    audited: bool = False,
    answers: Sequence[Answer] = (),
) -> RegistrationOutcome:
    """Insert a new registration for the outcome the edition as read suggests (``seat``:
    a seat while seats are left), with the seat taken last; the rare registration that finds
    it otherwise (the last seats went meanwhile) is rolled back and written again. After two
    turns the seat is taken first. An address registered already raises ``IntegrityError``
    with nothing kept."""
    turn: bool | None = seat
    for attempt in range(3):
        try:
            return _registration_insert(
                registration, notify=notify, seat=turn, audited=audited, answers=answers
            )
        except SeatTurned as turned:
            turn = turned.seated if attempt == 0 else None
            public_editions.clear()  # the seat count this process keeps is behind: read anew
        registration.pk = None
        registration._state.adding = True
        for answer in answers:
            answer.pk = None
            answer._state.adding = True
    raise AssertionError("unreachable: the third attempt takes the seat first")


def _registration_insert(
    registration: Registration,
    *,
    notify: bool,
    seat: bool | None,
    audited: bool = False,
    answers: Sequence[Answer] = (),
) -> RegistrationOutcome:
    """Insert a new registration, in one transaction with its answers, its mail and its seat.

    ``seat`` is the outcome to write: the registration, its personal link and its mail are
    written for it and the seat is taken as the last statement before the commit, because the
    edition row stays locked from the seat's UPDATE to the commit and every registration
    waits for that lock; a different outcome raises ``SeatTurned`` and nothing is kept.
    ``None``: take the seat first and go by what it gives.
    """
    with transaction.atomic():
        seated = seat_take(edition_id=registration.edition_id) if seat is None else seat
        registration.status = (
            RegistrationStatus.REGISTERED if seated else RegistrationStatus.WAITLISTED
        )
        registration.waitlisted_at = None if seated else timezone.now()
        statements.insert(registration)  # save(force_insert=True), without building the SQL
        if answers:
            # One statement for all of them, and only when there are any.
            for answer in answers:
                answer.registration_id = registration.pk
            type(answers[0])._base_manager.bulk_create(answers)
        position = None if seated else waitlist_position(registration=registration)
        if audited:  # an organiser's add or a trusted list: the audit trail's entry
            audit_record(
                edition=registration.edition_id,
                part=AuditPart.REGISTRATIONS,
                action="create",
                target=registration,
                after=snapshot(registration, "name", "email", "organisation", "status"),
            )
        if notify:
            link = links.access_link_url(registration=registration)
            if seated:
                registration_mail(registration, "registered", link=link)
            else:
                registration_mail(registration, "waitlisted", link=link, position=position)
        if seat is not None and seat_take(edition_id=registration.edition_id) != seat:
            raise SeatTurned(seated=not seat)
    return RegistrationOutcome(registration=registration, created=True, waitlist_position=position)
