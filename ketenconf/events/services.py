"""Writes on series and editions."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenconf.accounts.models import Actor, User
from ketenconf.audit.models import AuditPart
from ketenconf.audit.services import audit_record, audit_save, snapshot, stored_snapshot
from ketenconf.programme import services as programme_services
from ketenconf.questions.services import questions_add_defaults
from ketenconf.registration.models import Registration
from ketenconf.registration.services import edition_fill_from_waitlist
from ketenconf.team.models import Role
from ketenconf.team.services import edition_role_grant, edition_roles_from_organisations

from .models import Edition, EditionStatus, Organisation, Room, Series, validate_edition_slug


class SeriesHasNoPartners(ValueError):
    pass


def _shift_days(moment: datetime, shift: timedelta) -> datetime:
    """The same wall-clock time ``shift`` days later, across a change of summer time."""
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime.combine(local.date() + shift, local.time()))


def series_next_lead(*, series: Series, after: Organisation | None) -> Organisation:
    """The partner whose turn it is to lead after ``after``, in the series' rotation order."""
    rotation = [p.organisation for p in series.partnerships.select_related("organisation")]
    if not rotation:
        raise SeriesHasNoPartners(_("The series %(series)s has no partners.") % {"series": series})
    if after is None or after not in rotation:
        return rotation[0]
    return rotation[(rotation.index(after) + 1) % len(rotation)]


def _title_for_year(title: str | None, old: int, new: int) -> str | None:
    """ "Ketenconferentie 2027" for 2028 is "Ketenconferentie 2028"; a title without the year
    stays as it is."""
    if not title:
        return title
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), title)


@transaction.atomic
def edition_create_next(
    *, series: Series, slug: str, start_date: date | None = None, by: Actor = None
) -> Edition:
    """A new draft edition: the rooms and the blocks of the latest edition, the lead passed on.

    The staff of the new lead organisation become its lead organisers, the partners' staff
    its partner organisers; the organiser who makes it (``by``) leads it too, so the draft
    they are sent to is theirs to fill in.

    Blocks move with the days (by default to the same weekday one year later); topics and
    sessions are not copied, for they are chosen anew each year. The registration form starts
    with the default questions (dietary wishes, accessibility needs). A slug that is taken or
    reserved raises ``ValidationError`` on ``slug``; nothing is written then.
    """
    try:
        validate_edition_slug(slug)
    except ValidationError as error:
        raise ValidationError({"slug": error.messages}) from error
    if Edition.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": [_("An edition with this slug exists already.")]})
    previous = series.editions.order_by("-start_date").first()
    if previous is None:
        raise Edition.DoesNotExist(
            _("The series %(series)s has no edition to copy.") % {"series": series}
        )
    start = start_date or previous.start_date + timedelta(weeks=52)
    shift = start - previous.start_date
    edition = Edition.objects.create(
        series=series,
        slug=slug,
        **{
            f"title_{code}": _title_for_year(
                getattr(previous, f"title_{code}"), previous.start_date.year, start.year
            )
            for code, _ in settings.LANGUAGES
        },
        start_date=start,
        end_date=previous.end_date + shift,
        venue=previous.venue,
        capacity=previous.capacity,
        status=EditionStatus.DRAFT,
        lead_organisation=series_next_lead(series=series, after=previous.lead_organisation),
        retention_days=previous.retention_days,
    )
    audit_record(
        edition=edition,
        part=AuditPart.EDITION,
        action="create",
        target=edition,
        after={"copied_from": str(previous), "start_date": start},
    )
    for room in previous.rooms.all():
        room.pk = None
        room.edition = edition
        room.save(force_insert=True)
    for block in previous.blocks.all():
        block.pk = None
        block.edition = edition
        block.start = _shift_days(block.start, shift)
        block.end = _shift_days(block.end, shift)
        programme_services.block_save(block=block)
    questions_add_defaults(edition=edition)
    # The staff of the new lead and of the partners find it as they found the last one.
    if isinstance(by, User) and not by.is_superuser:
        edition_role_grant(edition=edition, user=by, role=Role.LEAD, by=None)
    edition_roles_from_organisations(edition=edition)
    return edition


@transaction.atomic
def edition_save(*, edition: Edition, changed: Collection[str]) -> list[Registration]:
    """An organiser's change to an edition's settings (the form has validated them).

    When the capacity went up, the seats it adds go to the waiting list in order, whoever made
    the change (admin, workspace, API); returns who got one."""
    before = stored_snapshot(edition)
    edition.save()
    audit_save(edition=edition, part=AuditPart.EDITION, row=edition, before=before)
    if "capacity" in changed:
        return edition_fill_from_waitlist(edition=edition)
    return []


def _proposal_of(*, edition: Edition, pk: int) -> Organisation:
    proposal = (
        Organisation.objects.select_for_update()
        .filter(pk=pk, accepted=False, proposed_in=edition)
        .first()
    )
    if proposal is None:
        raise ValidationError(_("This name is no longer waiting for a decision."))
    return proposal


@transaction.atomic
def organisation_accept(*, edition: Edition, pk: int) -> Organisation:
    """An organiser of ``edition`` accepts a name typed for it: visitors are offered it."""
    proposal = _proposal_of(edition=edition, pk=pk)
    proposal.accepted = True
    proposal.save(update_fields=["accepted"])
    audit_record(edition=edition, part=AuditPart.EDITION, action="accept", target=proposal)
    return proposal


@transaction.atomic
def organisation_merge(*, edition: Edition, pk: int, into: Organisation) -> int:
    """An organiser of ``edition`` says a typed name is a known organisation (a typo, a short
    name): every registration, host, stand and proposal that carries it moves to ``into``,
    in every edition, and the name is gone. Returns how many registrations moved."""
    proposal = _proposal_of(edition=edition, pk=pk)
    if into.pk == proposal.pk or not into.accepted:
        raise ValidationError({"into": [_("Choose an accepted organisation.")]})
    moved = 0
    for relation in Organisation._meta.related_objects:
        if relation.many_to_many or relation.related_model is Organisation:
            continue
        rows = relation.related_model._base_manager.filter(**{relation.field.name: proposal})
        count = rows.update(**{relation.field.name: into})
        if relation.related_model is Registration:
            moved = count
    audit_record(
        edition=edition,
        part=AuditPart.EDITION,
        action="merge",
        target=proposal,
        before={"organisation": str(proposal)},
        after={"organisation": str(into), "registrations_moved": moved},
    )
    proposal.delete()
    return moved


RANKING = ("ranking_opens_at", "ranking_closes_at")


@transaction.atomic
def edition_ranking_open(*, edition: Edition, now: datetime | None = None) -> None:
    """Participants may rank the workshops from now on, until the organisers close it."""
    before = snapshot(edition, *RANKING)
    edition.ranking_opens_at = now or timezone.now()
    edition.ranking_closes_at = None
    edition.save(update_fields=["ranking_opens_at", "ranking_closes_at"])
    audit_save(edition=edition, part=AuditPart.EDITION, row=edition, before=before)


@transaction.atomic
def edition_ranking_close(*, edition: Edition, now: datetime | None = None) -> None:
    """Rankings stay as they are from now on: the input of the assignment is final."""
    before = snapshot(edition, *RANKING)
    moment = now or timezone.now()
    if edition.ranking_opens_at is not None and edition.ranking_opens_at >= moment:
        edition.ranking_opens_at = None
    edition.ranking_closes_at = moment
    edition.save(update_fields=["ranking_opens_at", "ranking_closes_at"])
    audit_save(edition=edition, part=AuditPart.EDITION, row=edition, before=before)


@transaction.atomic
def room_save(*, room: Room) -> Room:
    """Add or change a room of an edition; validated (``ValidationError`` per field)."""
    room.full_clean()
    before = stored_snapshot(room)
    room.save()
    audit_save(edition=room.edition_id, part=AuditPart.PROGRAMME, row=room, before=before)
    return room
