"""Every write on a registration. Views, the API, the admin and tasks call these and nothing else.

Seats are counted on the edition row: taking one is a single conditional UPDATE
(``seats_taken < capacity``), so two registrations can never get the last seat, on
PostgreSQL (row lock) as on SQLite (IMMEDIATE transactions serialise writers); a check
constraint on the edition is the backstop.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenconf.accounts.models import Actor
from ketenconf.audit.models import AuditPart
from ketenconf.audit.services import audit_record, audit_registration_forget, snapshot
from ketenconf.core.personal_data import anonymisers_run
from ketenconf.core.validators import normalise_email
from ketenconf.events.models import Edition, Organisation, OrganisationKind
from ketenconf.mail.services import mail_forget_recipient, mail_purge_edition
from ketenconf.programme.models import Block, BlockKind, Topic
from ketenconf.questions import selectors as question_selectors
from ketenconf.questions import services as question_services

from . import hot_path, limits, links, selectors
from .hot_path import RegistrationOutcome as RegistrationOutcome
from .hot_path import waitlist_position
from .models import ACTIVE_STATUSES, AccessToken, Preference, Registration, RegistrationStatus

#: What the audit trail keeps of a registration's state.
AUDITED_STATE = ("status",)


def _audit_status(registration: Registration, before: dict[str, Any], by: Actor = None) -> None:
    audit_record(
        edition=registration.edition_id,
        part=AuditPart.REGISTRATIONS,
        action="status",
        target=registration,
        before=before,
        after=snapshot(registration, *AUDITED_STATE),
        by=by,
    )


class RegistrationClosed(Exception):
    """The edition does not take registrations now."""


def _seat_or_waitlist(registration: Registration, *, now: datetime) -> None:
    if hot_path.seat_take(edition_id=registration.edition_id):
        registration.status = RegistrationStatus.REGISTERED
        registration.waitlisted_at = None
    else:
        registration.status = RegistrationStatus.WAITLISTED
        registration.waitlisted_at = now


def _mail_with_link(registration: Registration, template: str, **extra: Any) -> None:
    if registration.status == RegistrationStatus.WAITLISTED and "position" not in extra:
        extra["position"] = waitlist_position(registration=registration)
    hot_path.registration_mail(
        registration, template, link=links.access_link_url(registration=registration), **extra
    )


def organisation_for_registration(
    *,
    organisation: Organisation | None,
    organisation_name: str,
    proposed_in: Edition | None = None,
) -> Organisation:
    """A known organisation, or the one typed in: matched by name without regard to case.

    A new name typed by someone who is not an organiser (``proposed_in``: the edition they
    typed it for) becomes a proposal, which no visitor is offered until an organiser of that
    edition accepts it or merges it into a known organisation; organisers' and trusted lists'
    names are accepted at once.
    """
    if organisation is not None:
        return organisation
    name = " ".join(organisation_name.split())
    if not name:
        raise ValidationError({"organisation": [_("Choose your organisation or type its name.")]})
    known = hot_path.organisations_by_name.get(
        name.lower(), lambda: hot_path.organisation_named(name)
    )
    if known is not None:
        return known
    created = Organisation(
        name=name,
        kind=OrganisationKind.OTHER,
        accepted=proposed_in is None,
        proposed_in=proposed_in,
    )
    created.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            created.save()
    except IntegrityError:
        # Someone typed the same new organisation a moment ago: theirs it is.
        return Organisation.objects.get(name__iexact=name)
    return created


def _organisation_kind(organisation: Organisation | None, name: str) -> str:
    """The kind of organisation a registration will have, for the questions it is asked: a
    name nobody knows yet becomes an organisation of kind "other"."""
    if organisation is not None:
        return organisation.kind
    name = " ".join(name.split())
    known = (
        hot_path.organisations_by_name.get(name.lower(), lambda: hot_path.organisation_named(name))
        if name
        else None
    )
    return known.kind if known is not None else OrganisationKind.OTHER


def registration_create(
    *,
    edition: Edition,
    name: str,
    email: str,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    job_title: str = "",
    answers: Mapping[str, Any] | None = None,
    needs_step_free: bool = False,
    networking_consent: bool = False,
    language: str = "nl",
    even_if_closed: bool = False,
    notify: bool = True,
    confirmed: bool = False,
    wants_better_seat: bool = True,
    arrives_from_block_id: int | None = None,
) -> RegistrationOutcome:
    """Register, or find the registration this address already has (and mail its personal link).

    A seat is taken at once while seats are left; otherwise the registration joins the
    waiting list. Raises ``ValidationError`` with messages per field on bad input, and
    ``RegistrationClosed`` when the edition does not take registrations; nothing changes then.
    ``even_if_closed`` is for organisers, who add participants to their edition whatever its
    status; seats and the waiting list count as for anyone. ``notify=False`` and
    ``confirmed=True`` are for registrations brought in from a trusted list (an import, the
    demo): no mail, and the address counts as confirmed.

    ``answers`` answer the edition's registration questions by key or id
    (``ketenconf.questions``); a wrong or missing required answer is a message under
    ``answers.<key>``. They are written with a new registration, not to one that exists.
    """
    if not edition.registration_is_open and not even_if_closed:
        raise RegistrationClosed(
            _("Registration for %(edition)s is not open.") % {"edition": edition}
        )
    email = normalise_email(email)
    registration = Registration(
        edition=edition,
        email=email,
        name=" ".join(name.split()),
        job_title=job_title.strip(),
        needs_step_free=needs_step_free,
        networking_consent=networking_consent,
        language=language,
        status=RegistrationStatus.WAITLISTED,
        confirmed_at=timezone.now() if confirmed else None,
        wants_better_seat=wants_better_seat,
        arrives_from_id=arrives_from_block_id,
    )
    # Every field and answer is checked before anything is written; the foreign keys need
    # no query, the questions and known organisations are kept for a second.
    errors: dict[str, list[str]] = {}
    try:
        registration.full_clean(
            exclude=["status", "edition", "organisation"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    values: dict[int, Any] = {}
    questions = question_selectors.questions_for_edition(edition_id=edition.pk)
    if questions or answers:
        try:
            values = question_services.answers_clean(
                questions=questions,
                raw=answers or {},
                organisation_kind=_organisation_kind(organisation, organisation_name),
                language=language,
                required=not (even_if_closed or confirmed),
            )
        except ValidationError as error:
            errors.update({f"answers.{key}": m for key, m in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    registration.organisation = organisation_for_registration(
        organisation=organisation,
        organisation_name=organisation_name,
        proposed_in=None if even_if_closed or confirmed else edition,
    )
    try:
        return hot_path.registration_insert(
            registration,
            notify=notify,
            seat=edition.seats_taken < edition.capacity,
            # An organiser's add and a trusted list are recorded; a visitor's own is not (it
            # is the hot path, and the participant's act, not the organisers').
            audited=even_if_closed or confirmed,
            answers=question_services.answers_new(values=values),
        )
    except IntegrityError:
        # The address is registered already (or someone registered it a moment ago,
        # between our look and our insert): the transaction rolled back, seat included.
        existing = _registration_existing(registration)
        if existing is None:
            # Not the address: perhaps the organisation, deleted by another process a
            # moment ago while this one still knew it. The caller may try again afresh.
            hot_path.organisations_by_name.clear()
            raise
        with transaction.atomic():
            # Organisers and trusted lists bring an ended registration back at once; a
            # public request only mails its owner the link to do so (anyone can type
            # anyone's address).
            return _registration_again(
                existing,
                notify=notify,
                resume=even_if_closed or confirmed,
                confirmed=confirmed,
            )


def _registration_existing(registration: Registration) -> Registration | None:
    # Ordered by key: the model's default order would join the edition.
    existing = (
        Registration.objects.filter(edition_id=registration.edition_id, email=registration.email)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        existing.edition = registration.edition  # the same row: no second query for the mail
    return existing


def _registration_again(
    registration: Registration,
    *,
    notify: bool = True,
    resume: bool = True,
    confirmed: bool = False,
) -> RegistrationOutcome:
    """A repeated registration. An active one is mailed its link (within the limit per address,
    ketenconf.registration.limits). An ended one (cancelled, lapsed) starts again when
    ``resume``; otherwise it stays as it is and its owner is mailed the link, on whose page
    they can register again (``registration_resume``). Started again, it counts as confirmed
    when ``confirmed`` (a trusted list, a walk-in at the door) as a new registration would;
    otherwise, like any new one, it must be confirmed through the mailed link in time."""
    created = False
    ended = registration.anonymised_at is None and registration.status not in ACTIVE_STATUSES
    if ended and not resume:
        if notify and limits.link_mail_allowed(email=registration.email):
            _mail_with_link(registration, "link")
        return RegistrationOutcome(registration=registration, created=False)
    if ended:
        now = timezone.now()
        before = snapshot(registration, *AUDITED_STATE)
        registration.cancelled_at = None
        registration.confirmed_at = now if confirmed else None
        registration.created_at = now
        _seat_or_waitlist(registration, now=now)
        registration.save(
            update_fields=["status", "waitlisted_at", "cancelled_at", "confirmed_at", "created_at"]
        )
        _audit_status(registration, before)
        created = True
    position = waitlist_position(registration=registration)
    if notify and not created:
        if limits.link_mail_allowed(email=registration.email):
            _mail_with_link(registration, "link", position=position)
    elif notify:
        template = "registered" if registration.has_seat else "waitlisted"
        _mail_with_link(registration, template, position=position)
    return RegistrationOutcome(
        registration=registration, created=created, waitlist_position=position
    )


def registration_resume(*, registration: Registration) -> RegistrationOutcome:
    """Its owner, on the page their personal link opened, registers again after cancelling or
    lapsing: a seat while seats are left, else the waiting list; the address counts as
    confirmed (the link came to it). Raises ``RegistrationClosed`` when the edition does not
    take registrations. An active registration stays as it is."""
    edition = registration.edition
    if not edition.registration_is_open:
        raise RegistrationClosed(
            _("Registration for %(edition)s is not open.") % {"edition": edition}
        )
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        current.edition = edition
        if current.status in ACTIVE_STATUSES or current.anonymised_at is not None:
            return RegistrationOutcome(registration=current, created=False)
        now = timezone.now()
        before = snapshot(current, *AUDITED_STATE)
        current.cancelled_at = None
        current.confirmed_at = now
        current.created_at = now
        _seat_or_waitlist(current, now=now)
        current.save(
            update_fields=["status", "waitlisted_at", "cancelled_at", "confirmed_at", "created_at"]
        )
        _audit_status(current, before)
        position = waitlist_position(registration=current)
        _mail_with_link(
            current, "registered" if current.has_seat else "waitlisted", position=position
        )
    return RegistrationOutcome(registration=current, created=True, waitlist_position=position)


def registration_confirm_email(*, registration: Registration) -> None:
    if registration.confirmed_at is None:
        registration.confirmed_at = timezone.now()
        registration.save(update_fields=["confirmed_at"])


def _promote_from_waitlist(*, edition_id: int) -> list[Registration]:
    """Give freed seats to the first on the waiting list, in order, and tell them."""
    promoted: list[Registration] = []
    while True:
        first = (
            Registration.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("edition")
            .filter(edition_id=edition_id, status=RegistrationStatus.WAITLISTED)
            .order_by("waitlisted_at", "pk")
            .first()
        )
        if first is None or not hot_path.seat_take(edition_id=edition_id):
            return promoted
        before = snapshot(first, *AUDITED_STATE)
        first.status = RegistrationStatus.REGISTERED
        first.waitlisted_at = None
        first.save(update_fields=["status", "waitlisted_at"])
        _audit_status(first, before)
        _mail_with_link(first, "promoted")
        promoted.append(first)


def _end(registration: Registration, *, status: str, now: datetime) -> list[Registration]:
    had_seat = registration.has_seat
    before = snapshot(registration, *AUDITED_STATE)
    registration.status = status
    registration.waitlisted_at = None
    registration.cancelled_at = now
    registration.save(update_fields=["status", "waitlisted_at", "cancelled_at"])
    _audit_status(registration, before)
    if had_seat:
        hot_path.seat_free(edition_id=registration.edition_id)
        return _promote_from_waitlist(edition_id=registration.edition_id)
    return []


@transaction.atomic
def registration_cancel(
    *, registration: Registration, by: str = "participant"
) -> list[Registration]:
    """Cancel; a freed seat goes to the first on the waiting list. Returns who got a seat."""
    registration = (
        Registration.objects.select_for_update().select_related("edition").get(pk=registration.pk)
    )
    if not registration.is_active:
        return []
    promoted = _end(registration, status=RegistrationStatus.CANCELLED, now=timezone.now())
    hot_path.registration_mail(registration, "cancelled", by=by)
    return promoted


def registrations_release_unconfirmed(*, now: datetime | None = None) -> int:
    """Release registrations whose email was not confirmed in time; their seats go on."""
    now = now or timezone.now()
    released = 0
    for edition in Edition.objects.filter(registrations__status__in=ACTIVE_STATUSES).distinct():
        deadline = now - timedelta(hours=edition.confirmation_hours)
        stale = Registration.objects.filter(
            edition=edition,
            status__in=ACTIVE_STATUSES,
            confirmed_at__isnull=True,
            created_at__lt=deadline,
        ).values_list("pk", flat=True)
        for pk in stale:
            with transaction.atomic():
                registration = (
                    Registration.objects.select_for_update().select_related("edition").get(pk=pk)
                )
                if registration.is_active and registration.confirmed_at is None:
                    _end(registration, status=RegistrationStatus.RELEASED, now=now)
                    hot_path.registration_mail(registration, "released")
                    released += 1
    return released


@transaction.atomic
def edition_fill_from_waitlist(*, edition: Edition) -> list[Registration]:
    """After the capacity went up: seats left go to the waiting list in order."""
    return _promote_from_waitlist(edition_id=edition.pk)


@transaction.atomic
def registration_set_status(
    *, registration: Registration, status: str, by: str
) -> list[Registration]:
    """An organiser's change of status; seats are counted as for a participant's own change."""
    registration = (
        Registration.objects.select_for_update().select_related("edition").get(pk=registration.pk)
    )
    if status == registration.status:
        return []
    if status in (RegistrationStatus.CANCELLED, RegistrationStatus.RELEASED):
        if not registration.is_active:
            before = snapshot(registration, *AUDITED_STATE)
            registration.status = status
            registration.save(update_fields=["status"])
            _audit_status(registration, before)
            return []
        return _end(registration, status=status, now=timezone.now())
    if status == RegistrationStatus.REGISTERED:
        if not hot_path.seat_take(edition_id=registration.edition_id):
            raise ValidationError({"status": [_("There is no seat left in this edition.")]})
        before = snapshot(registration, *AUDITED_STATE)
        registration.status = status
        registration.waitlisted_at = None
        registration.cancelled_at = None
        registration.save(update_fields=["status", "waitlisted_at", "cancelled_at"])
        _audit_status(registration, before)
        return []
    if status == RegistrationStatus.WAITLISTED:
        had_seat = registration.has_seat
        before = snapshot(registration, *AUDITED_STATE)
        registration.status = status
        registration.waitlisted_at = timezone.now()
        registration.cancelled_at = None
        registration.save(update_fields=["status", "waitlisted_at", "cancelled_at"])
        _audit_status(registration, before)
        if had_seat:
            hot_path.seat_free(edition_id=registration.edition_id)
        return []
    raise ValidationError({"status": [_("Unknown status %(status)s.") % {"status": status}]})


DETAIL_FIELDS = (
    "name",
    "job_title",
    "needs_step_free",
    "networking_consent",
    "language",
)


@transaction.atomic
def registration_update_details(
    *,
    registration: Registration,
    name: str,
    job_title: str,
    needs_step_free: bool,
    networking_consent: bool,
    language: str,
) -> Registration:
    before = snapshot(registration, *DETAIL_FIELDS)
    registration.name = " ".join(name.split())
    registration.job_title = job_title.strip()
    registration.needs_step_free = needs_step_free
    registration.networking_consent = networking_consent
    registration.language = language
    registration.full_clean(
        exclude=["edition", "organisation", "status"],
        validate_unique=False,
        validate_constraints=False,
    )
    registration.save(update_fields=[*DETAIL_FIELDS])
    audit_record(
        edition=registration.edition_id,
        part=AuditPart.REGISTRATIONS,
        action="change",
        target=registration,
        before=before,
        after=snapshot(registration, *DETAIL_FIELDS),
    )
    return registration


def workshop_topics(*, edition: Edition) -> list[Topic]:
    """Topics participants rank: those with a session in a workshop round."""
    return list(
        Topic.objects.filter(edition=edition, sessions__block__kind=BlockKind.ROUND)
        .distinct()
        .order_by("title")
    )


@transaction.atomic
def registration_set_preferences(
    *, registration: Registration, topic_ids: Sequence[int]
) -> list[Preference]:
    """Replace the ranked choices: ``topic_ids`` best first, each a workshop of this edition.

    Only while the edition's ranking is open (its window, set by the organisers), or after it
    for a registration without a seat in the published assignment while a workshop round has
    yet to start (a walk-in: the day's re-offer seats them by these choices)."""
    if not selectors.ranking_open_for(registration=registration):
        raise ValidationError(
            {"preferences": [_("Ranking the workshops is closed for this edition.")]}
        )
    if len(set(topic_ids)) != len(topic_ids):
        raise ValidationError({"preferences": [_("Each workshop can be ranked once.")]})
    allowed = {t.pk for t in workshop_topics(edition=registration.edition)}
    unknown = [pk for pk in topic_ids if pk not in allowed]
    if unknown:
        raise ValidationError(
            {
                "preferences": [
                    _("These are not workshops of this edition: %(ids)s.")
                    % {"ids": ", ".join(map(str, unknown))}
                ]
            }
        )
    old = list(
        Preference.objects.filter(registration=registration)
        .order_by("rank")
        .values_list("topic_id", flat=True)
    )
    Preference.objects.filter(registration=registration).delete()
    created = Preference.objects.bulk_create(
        Preference(registration=registration, topic_id=pk, rank=rank)
        for rank, pk in enumerate(topic_ids, start=1)
    )
    audit_record(
        edition=registration.edition_id,
        part=AuditPart.REGISTRATIONS,
        action="preferences",
        target=registration,
        before={"topics": old},
        after={"topics": list(topic_ids)},
    )
    return created


def registration_set_rounds(
    *, registration: Registration, attended_block_ids: Sequence[int]
) -> None:
    """Say which workshop rounds the participant attends; the others are recorded as absent."""
    rounds = set(
        Block.objects.filter(edition_id=registration.edition_id, kind=BlockKind.ROUND).values_list(
            "pk", flat=True
        )
    )
    unknown = set(attended_block_ids) - rounds
    if unknown:
        raise ValidationError(
            {
                "rounds": [
                    _("These are not rounds of this edition: %(ids)s.")
                    % {"ids": ", ".join(map(str, sorted(unknown)))}
                ]
            }
        )
    registration.absent_rounds.set(sorted(rounds - set(attended_block_ids)))


def registration_set_day_choices(
    *,
    registration: Registration,
    wants_better_seat: bool,
    arrives_from_block_id: int | None,
    now: datetime | None = None,
) -> None:
    """Say whether the participant wants a better seat if one frees up on the day, and from
    which workshop round they come (``None``: from the start). Until the doors open
    (``selectors.doors_open_at``); after that a ``ValidationError`` says so."""
    edition = registration.edition
    if not selectors.day_choices_open(edition=edition, now=now):
        raise ValidationError(
            _("The doors have opened: your choices for the day can no longer be changed.")
        )
    if (
        arrives_from_block_id is not None
        and not Block.objects.filter(
            pk=arrives_from_block_id, edition=edition, kind=BlockKind.ROUND
        ).exists()
    ):
        raise ValidationError(
            {"arrives_from": [_("This is not a workshop round of this edition.")]}
        )
    Registration.objects.filter(pk=registration.pk).update(
        wants_better_seat=wants_better_seat, arrives_from_id=arrives_from_block_id
    )
    registration.wants_better_seat = wants_better_seat
    registration.arrives_from_id = arrives_from_block_id


@transaction.atomic
def registration_delete(*, registration: Registration) -> list[Registration]:
    """The participant's own deletion: the seat goes on, then every personal detail is gone,
    the mails to them included. Returns who got the seat."""
    registration = (
        Registration.objects.select_for_update().select_related("edition").get(pk=registration.pk)
    )
    promoted: list[Registration] = []
    if registration.is_active:
        promoted = _end(registration, status=RegistrationStatus.CANCELLED, now=timezone.now())
    mail_forget_recipient(edition=registration.edition, to=registration.email)
    audit_registration_forget(registration=registration)
    audit_record(
        edition=registration.edition_id,
        part=AuditPart.REGISTRATIONS,
        action="delete",
        target=registration,
        label="",  # the fact stays; the name goes with the participant's data
    )
    Registration.objects.filter(pk=registration.pk).delete()
    return promoted


ANONYMOUS_NAME = "—"


def edition_anonymise(*, edition: Edition, now: datetime | None = None) -> int:
    """Strip the personal data of an edition's registrations; counts and choices stay."""
    now = now or timezone.now()
    # One statement for the whole edition; the address stays unique per edition by its id.
    count = Registration.objects.filter(edition=edition, anonymised_at__isnull=True).update(
        name=ANONYMOUS_NAME,
        email=Concat(Value("anonymised-"), Cast("pk", CharField()), Value("@invalid")),
        job_title="",
        networking_consent=False,
        anonymised_at=now,
        access_version=F("access_version") + 1,
    )
    anonymisers_run(edition=edition, now=now)  # every app's part, this one's tokens included
    mail_purge_edition(edition=edition)
    return count


def edition_access_tokens_delete(*, edition: Edition, now: datetime) -> None:
    """At the end of the retention period: no personal link of the edition opens anything."""
    AccessToken.objects.filter(registration__edition=edition).delete()


def editions_anonymise_expired(*, today: datetime | None = None) -> dict[str, int]:
    """Anonymise every edition whose retention period has ended. Run daily by the worker."""
    now = today or timezone.now()
    done: dict[str, int] = {}
    for edition in Edition.objects.all():
        if edition.end_date + timedelta(days=edition.retention_days) < timezone.localdate(now):
            count = edition_anonymise(edition=edition, now=now)
            if count:
                done[edition.slug] = count
    return done


def registration_send_link(*, edition: Edition, email: str) -> bool:
    """Mail a fresh personal link to an active registration with this address, if there is one."""
    registration = (
        Registration.objects.filter(
            edition=edition,
            email=normalise_email(email),
            status__in=ACTIVE_STATUSES,
            anonymised_at__isnull=True,
        )
        .select_related("edition")
        .first()
    )
    if registration is None:
        return False
    with transaction.atomic():
        _mail_with_link(registration, "link")
    return True
