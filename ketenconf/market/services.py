"""Every write on the information market: applications, decisions, the floor, saved stands."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenconf.audit.models import AuditPart
from ketenconf.audit.services import audit_record, audit_record_many, snapshot
from ketenconf.core.validators import normalise_email
from ketenconf.events.models import Edition
from ketenconf.mail.services import mail_enqueue
from ketenconf.networking.themes import INTEREST_KEYS
from ketenconf.registration.models import Registration
from ketenconf.registration.services import organisation_for_registration

from . import adapter, engine
from .models import FloorPosition, SavedStand, Stand, StandStatus

_SALT = "ketenconf.market.stand"
#: A stand's personal link works this long; the applicant can ask the organisers for another.
LINK_MAX_AGE = 365 * 24 * 3600


class InvalidStandLink(Exception):
    """The link is not one we made, has expired, or was replaced."""


def stand_link_token(*, stand: Stand) -> str:
    return signing.dumps({"s": stand.pk, "v": stand.access_version}, salt=_SALT, compress=True)


def stand_link_url(*, stand: Stand) -> str:
    path = reverse(
        "market:application",
        kwargs={"slug": stand.edition.slug, "token": stand_link_token(stand=stand)},
    )
    return f"{settings.BASE_URL}{path}"


def stand_from_token(*, token: str, edition: Edition) -> Stand:
    try:
        data = signing.loads(token, salt=_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        raise InvalidStandLink(_("This link is not valid or has expired.")) from None
    stand = (
        Stand.objects.select_related("organisation", "edition", "position")
        .filter(pk=data.get("s"), edition=edition, access_version=data.get("v"))
        .first()
    )
    if stand is None:
        raise InvalidStandLink(_("This link is not valid or has expired."))
    return stand


def _mail(stand: Stand, template: str, **context: Any) -> None:
    mail_enqueue(
        to=stand.contact_email,
        template=f"market/mail/{template}",
        context={"stand": stand, "edition": stand.edition, **context},
        language=stand.language,
        edition=stand.edition,
    )


def _check_themes(themes: Sequence[str]) -> list[str]:
    unknown = [key for key in themes if key not in INTEREST_KEYS]
    if unknown:
        raise ValidationError(
            {"themes": [_("Unknown themes: %(keys)s.") % {"keys": ", ".join(unknown)}]}
        )
    return [key for key in INTEREST_KEYS if key in set(themes)]


@transaction.atomic
def stand_apply(
    *,
    edition: Edition,
    organisation_name: str,
    name: str,
    description: str,
    themes: Sequence[str],
    needs_power: bool,
    needs_large: bool,
    other_needs: str,
    contact_name: str,
    contact_email: str,
    language: str = "nl",
) -> Stand:
    """Apply for a stand; the contact person is mailed a personal link to the application."""
    if not edition.is_public:
        raise ValidationError(_("This edition does not take stand applications."))
    stand = Stand(
        edition=edition,
        organisation=organisation_for_registration(
            organisation=None, organisation_name=organisation_name, proposed_in=edition
        ),
        name=" ".join(name.split()),
        description=description.strip(),
        themes=_check_themes(themes),
        needs_power=needs_power,
        needs_large=needs_large,
        other_needs=other_needs.strip(),
        contact_name=" ".join(contact_name.split()),
        contact_email=normalise_email(contact_email),
        language=language,
    )
    stand.full_clean()
    stand.save()
    _mail(stand, "applied", link=stand_link_url(stand=stand))
    return stand


@transaction.atomic
def stand_update(
    *,
    stand: Stand,
    name: str,
    description: str,
    themes: Sequence[str],
    needs_power: bool,
    needs_large: bool,
    other_needs: str,
) -> Stand:
    """The applicant's change; needs can change only until the stand is placed."""
    stand = Stand.objects.select_for_update().get(pk=stand.pk)
    if stand.status not in (StandStatus.APPLIED, StandStatus.ACCEPTED):
        raise ValidationError(_("This application can no longer be changed."))
    if stand.position_id is not None and (
        needs_power != stand.needs_power or needs_large != stand.needs_large
    ):
        raise ValidationError(
            _(
                "Your stand has a place on the floor already: ask the organisers to change its needs."
            )
        )
    stand.name = " ".join(name.split())
    stand.description = description.strip()
    stand.themes = _check_themes(themes)
    stand.needs_power = needs_power
    stand.needs_large = needs_large
    stand.other_needs = other_needs.strip()
    stand.full_clean()
    stand.save()
    return stand


@transaction.atomic
def stand_withdraw(*, stand: Stand) -> Stand:
    stand = Stand.objects.select_for_update().get(pk=stand.pk)
    stand.status = StandStatus.WITHDRAWN
    stand.position = None
    stand.position_locked = False
    stand.save(update_fields=["status", "position", "position_locked"])
    return stand


@transaction.atomic
def stand_decide(*, stand: Stand, accept: bool) -> Stand:
    """Accept or turn down an application, and tell the contact person."""
    stand = Stand.objects.select_for_update().select_related("edition").get(pk=stand.pk)
    if stand.status == StandStatus.WITHDRAWN:
        raise ValidationError(_("%(name)s was withdrawn.") % {"name": stand.name})
    status = StandStatus.ACCEPTED if accept else StandStatus.REJECTED
    if stand.status == status:
        return stand
    before = snapshot(stand, "status", "position")
    stand.status = status
    stand.decided_at = timezone.now()
    if not accept:
        stand.position = None
        stand.position_locked = False
    stand.save(update_fields=["status", "decided_at", "position", "position_locked"])
    audit_record(
        edition=stand.edition,
        part=AuditPart.MARKET,
        action="status",
        target=stand,
        before=before,
        after=snapshot(stand, "status", "position"),
    )
    _mail(stand, "accepted" if accept else "rejected", link=stand_link_url(stand=stand))
    return stand


@transaction.atomic
def floor_grid_create(
    *, edition: Edition, rows: int, columns: int, power_columns: Sequence[int] = ()
) -> list[FloorPosition]:
    """Add a grid of positions numbered row by row after the highest number in use.

    ``power_columns`` (from 1) are columns with power. Cells already used are skipped.
    """
    if rows < 1 or columns < 1 or rows * columns > 2000:
        raise ValidationError(_("Give between 1 and 2,000 positions."))
    existing = FloorPosition.objects.filter(edition=edition)
    used = set(existing.values_list("row", "column"))
    number = max(existing.values_list("number", flat=True), default=0)
    created = []
    for row in range(1, rows + 1):
        for column in range(1, columns + 1):
            if (row, column) in used:
                continue
            number += 1
            created.append(
                FloorPosition(
                    edition=edition,
                    number=number,
                    row=row,
                    column=column,
                    has_power=column in power_columns,
                )
            )
    written = FloorPosition.objects.bulk_create(created)
    audit_record(
        edition=edition,
        part=AuditPart.MARKET,
        action="create",
        label=str(FloorPosition._meta.verbose_name_plural),
        after={"positions": len(written), "rows": rows, "columns": columns},
    )
    return written


@transaction.atomic
def stands_place(*, edition: Edition, seed: int = 0) -> engine.Placement:
    """Place the accepted stands automatically; stands placed by hand stay where they are."""
    Edition.objects.select_for_update().filter(pk=edition.pk).first()
    positions, stands = adapter.problem_build(edition=edition)
    result = engine.place(positions, stands, seed=seed)
    problems = engine.validate_placement(positions, stands, result.positions)
    if problems:  # a bug, never an answer
        raise RuntimeError("; ".join(problems))
    accepted = Stand.objects.filter(edition=edition, status=StandStatus.ACCEPTED)
    was = {stand.pk: stand for stand in accepted.select_related("position")}
    adapter.result_apply(edition=edition, result=result)
    numbers = dict(FloorPosition.objects.filter(edition=edition).values_list("pk", "number"))
    changes = []
    for pk, stand in was.items():
        old = stand.position.number if stand.position is not None else None
        new_id = result.positions.get(str(pk))
        new = (
            numbers.get(int(new_id))
            if new_id is not None
            else (old if stand.position_locked else None)
        )
        changes.append((stand, {"position": _position(old)}, {"position": _position(new)}))
    # A bulk placement: one entry per stand that moved, written in one statement.
    audit_record_many(edition=edition, part=AuditPart.MARKET, action="move", changes=changes)
    return result


@transaction.atomic
def stand_move(*, stand: Stand, position: FloorPosition | None) -> Stand:
    """An organiser moves a stand by hand (or takes it off the floor with ``None``).

    A stand already at the position swaps places with this one when it fits there.
    """
    stand = Stand.objects.select_for_update().get(pk=stand.pk)
    if stand.status != StandStatus.ACCEPTED:
        raise ValidationError(_("Only accepted stands have a place on the floor."))
    before = snapshot(stand, "position")
    if position is None:
        stand.position = None
        stand.position_locked = False
        stand.save(update_fields=["position", "position_locked"])
        _audit_move(stand, before)
        return stand
    if position.edition_id != stand.edition_id:
        raise ValidationError(_("This position is on the floor of another edition."))
    if stand.needs_power and not position.has_power:
        raise ValidationError(
            _("%(stand)s needs power, which position %(number)s lacks.")
            % {"stand": stand.name, "number": position.number}
        )
    if stand.needs_large and not position.is_large:
        raise ValidationError(
            _("%(stand)s needs a large position; position %(number)s is not.")
            % {"stand": stand.name, "number": position.number}
        )
    occupant = (
        Stand.objects.select_for_update().filter(position=position).exclude(pk=stand.pk).first()
    )
    previous = stand.position
    if occupant is not None:
        if (
            previous is None
            or (occupant.needs_power and not previous.has_power)
            or (occupant.needs_large and not previous.is_large)
        ):
            raise ValidationError(
                _("Position %(number)s holds %(other)s, which cannot move to this stand's place.")
                % {"number": position.number, "other": occupant.name}
            )
        occupant.position = None
        occupant.save(update_fields=["position"])
    stand.position = position
    stand.position_locked = True
    stand.save(update_fields=["position", "position_locked"])
    if occupant is not None:
        occupant.position = previous
        occupant.position_locked = True
        occupant.save(update_fields=["position", "position_locked"])
        _audit_move(occupant, {"position": str(position)})
    _audit_move(stand, before)
    return stand


def _position(number: int | None) -> str | None:
    return None if number is None else str(FloorPosition(number=number))


def _audit_move(stand: Stand, before: dict[str, Any]) -> None:
    audit_record(
        edition=stand.edition_id,
        part=AuditPart.MARKET,
        action="move",
        target=stand,
        before=before,
        after=snapshot(stand, "position"),
    )


def stand_bookmark(*, registration: Registration, stand: Stand) -> SavedStand:
    """Put a stand on the participant's personal programme (once)."""
    if stand.edition_id != registration.edition_id or stand.status != StandStatus.ACCEPTED:
        raise ValidationError(_("This stand is not on the market of your edition."))
    try:
        with transaction.atomic():
            return SavedStand.objects.create(registration=registration, stand=stand)
    except IntegrityError:
        return SavedStand.objects.get(registration=registration, stand=stand)


def stand_unbookmark(*, registration: Registration, stand: Stand) -> None:
    SavedStand.objects.filter(registration=registration, stand=stand).delete()


def stand_new_link(*, stand: Stand) -> None:
    """Replace the personal link (the old one stops working) and mail the new one."""
    Stand.objects.filter(pk=stand.pk).update(access_version=F("access_version") + 1)
    stand.refresh_from_db()
    with transaction.atomic():
        _mail(stand, "link", link=stand_link_url(stand=stand))
