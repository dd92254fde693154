"""Every change to who works on an edition: roles granted, changed and removed, invitations
sent, accepted and removed.

Who may do it is the one rule (:mod:`ketenconf.workspace.access`): the edition's lead
organisers and superusers; ``by=None`` is the operator, the demo and the data migration.
An invitation's link works as a participant's personal link (:mod:`ketenconf.registration.links`):
a signed, expiring token naming a row and a secret of which only a hash is kept, used once by
the button on the page it opens.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenconf.accounts.models import Actor, User, actor_user
from ketenconf.audit.models import AuditPart
from ketenconf.audit.services import audit_record
from ketenconf.core.tenancy import scopes_disabled
from ketenconf.core.validators import normalise_email
from ketenconf.events.models import Edition, Organisation
from ketenconf.mail.services import mail_enqueue
from ketenconf.programme.models import Topic

from .models import EditionRole, Invitation, Role

SALT = "ketenconf.team.invitation"
INVITATION_LIFETIME = timedelta(days=7)


class InvalidInvitation(Exception):
    """The invitation is tampered with, expired, used or removed; ``str()`` says which."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _require_lead(*, by: Actor, edition: Edition) -> None:
    if by is None:
        return
    from ketenconf.workspace.access import team_manageable_by

    if not team_manageable_by(user=by, edition=edition):
        raise PermissionDenied(_("Only the lead organisers of this edition manage its people."))


def _check_role(
    *, edition: Edition, role: str, organisation: Organisation | None, topics: Iterable[Topic]
) -> list[Topic]:
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose one of the roles.")]})
    chosen = list(topics)
    if role == Role.PARTNER and organisation is None:
        raise ValidationError(
            {"organisation": [_("A partner organiser works for an organisation: choose one.")]}
        )
    if role == Role.HOST and not chosen:
        raise ValidationError({"topics": [_("A host hosts at least one session: choose it.")]})
    if any(topic.edition_id != edition.pk for topic in chosen):
        raise ValidationError({"topics": [_("Choose sessions of this edition.")]})
    return chosen if role == Role.HOST else []


def _leads_left(*, edition: Edition, without: EditionRole) -> bool:
    with scopes_disabled():
        others = EditionRole.objects.filter(edition=edition, role=Role.LEAD).exclude(pk=without.pk)
        return others.exists()


@transaction.atomic
def edition_role_grant(
    *,
    edition: Edition,
    user: User,
    role: str,
    organisation: Organisation | None = None,
    topics: Iterable[Topic] = (),
    by: Actor,
) -> EditionRole:
    """Give ``user`` ``role`` in ``edition``, or change the role they have there.

    The entry point for whatever decides a role from outside (an invitation accepted, an
    OpenID Connect claim): ``role`` is a :class:`~ketenconf.team.models.Role` value; a partner
    organiser needs ``organisation`` (defaults to the user's), a host their ``topics``.
    """
    _require_lead(by=by, edition=edition)
    organisation = organisation or user.organisation
    chosen = _check_role(edition=edition, role=role, organisation=organisation, topics=topics)
    with scopes_disabled():
        before = EditionRole.objects.filter(edition=edition, user=user).first()
        row, _created = EditionRole.objects.update_or_create(
            edition=edition,
            user=user,
            defaults={"role": role, "organisation": organisation},
        )
        row.topics.set(chosen)
    audit_record(
        edition=edition,
        part=AuditPart.ROLES,
        action="create" if before is None else "role_change",
        target=row,
        before={"role": before.role} if before else None,
        after={"role": role, "username": user.username, "topics": [str(t) for t in chosen]},
        by=by,
    )
    if not user.is_staff:
        # The workspace and the API let in staff accounts only; a role makes one.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return row


@transaction.atomic
def edition_role_change(
    *, row: EditionRole, role: str, topics: Iterable[Topic] = (), by: Actor
) -> EditionRole:
    """A lead organiser changes someone's role; an edition keeps at least one lead organiser."""
    _require_lead(by=by, edition=row.edition)
    if (
        row.role == Role.LEAD
        and role != Role.LEAD
        and not _leads_left(edition=row.edition, without=row)
    ):
        raise ValidationError({"role": [_("The edition needs at least one lead organiser.")]})
    chosen = _check_role(
        edition=row.edition, role=role, organisation=row.organisation, topics=topics
    )
    before = row.role
    row.role = role
    with scopes_disabled():
        row.save(update_fields=["role"])
        row.topics.set(chosen)
    audit_record(
        edition=row.edition,
        part=AuditPart.ROLES,
        action="role_change",
        target=row,
        before={"role": before},
        after={"role": role, "topics": [str(t) for t in chosen]},
        by=by,
    )
    return row


@transaction.atomic
def edition_role_remove(*, row: EditionRole, by: Actor) -> None:
    """Take someone's role in an edition away; they keep their account and other editions."""
    _require_lead(by=by, edition=row.edition)
    if row.role == Role.LEAD and not _leads_left(edition=row.edition, without=row):
        raise ValidationError(_("The edition needs at least one lead organiser."))
    audit_record(
        edition=row.edition,
        part=AuditPart.ROLES,
        action="role_remove",
        target=row,
        before={"role": row.role, "username": row.user.username},
        by=by,
    )
    with scopes_disabled():
        row.delete()


@transaction.atomic
def edition_roles_from_organisations(*, edition: Edition) -> list[EditionRole]:
    """Give the staff of the lead organisation and of the series' partners the role their
    organisation implies in ``edition`` (lead or partner organiser), unless they have one.

    What the data migration did for the editions of the time; a next edition calls it, so
    the organisations' staff find it as they found the last one.
    """
    partners = set(edition.series.partnerships.values_list("organisation_id", flat=True))
    with scopes_disabled():
        have = set(EditionRole.objects.filter(edition=edition).values_list("user_id", flat=True))
    staff = User.objects.filter(
        is_active=True,
        is_staff=True,
        is_superuser=False,
        organisation_id__in={edition.lead_organisation_id, *partners},
    ).exclude(pk__in=have)
    rows = [
        EditionRole(
            edition=edition,
            user=user,
            organisation_id=user.organisation_id,
            role=Role.LEAD
            if user.organisation_id == edition.lead_organisation_id
            else Role.PARTNER,
        )
        for user in staff
    ]
    with scopes_disabled():
        return EditionRole.objects.bulk_create(rows)


@transaction.atomic
def user_roles_from_organisation(*, user: User) -> list[EditionRole]:
    """Give ``user`` the role their organisation implies in every edition it leads (lead
    organiser) or partners in (partner organiser), where they have none yet: for an account
    made for an organisation's staff (an OpenID Connect sign-in, an operator)."""
    if user.organisation_id is None or not user.is_staff or not user.is_active:
        return []
    with scopes_disabled():
        have = set(EditionRole.objects.filter(user=user).values_list("edition_id", flat=True))
    rows = []
    editions = (
        Edition.objects.filter(
            Q(lead_organisation_id=user.organisation_id)
            | Q(series__partnerships__organisation_id=user.organisation_id)
        )
        .exclude(pk__in=have)
        .distinct()
    )
    for edition in editions:
        lead = edition.lead_organisation_id == user.organisation_id
        rows.append(
            EditionRole(
                edition=edition,
                user=user,
                organisation_id=user.organisation_id,
                role=Role.LEAD if lead else Role.PARTNER,
            )
        )
    with scopes_disabled():
        return EditionRole.objects.bulk_create(rows)


# Invitations


def invitation_url(*, invitation: Invitation, secret: str) -> str:
    token = signing.dumps([invitation.pk, secret], salt=SALT, compress=True)
    return f"{settings.BASE_URL}{reverse('team_invitation:accept', args=[token])}"


@transaction.atomic
def invitation_send(
    *,
    edition: Edition,
    email: str,
    role: str,
    organisation: Organisation | None = None,
    topics: Iterable[Topic] = (),
    language: str = "nl",
    by: Actor,
    lifetime: timedelta = INVITATION_LIFETIME,
) -> Invitation:
    """Invite ``email`` to take ``role`` in ``edition``: a row and a mail with a link that
    expires after ``lifetime`` and works once. Someone who has a role already is not invited
    again: change their role instead."""
    _require_lead(by=by, edition=edition)
    email = normalise_email(email)
    chosen = _check_role(edition=edition, role=role, organisation=organisation, topics=topics)
    with scopes_disabled():
        if EditionRole.objects.filter(edition=edition, user__email__iexact=email).exists():
            raise ValidationError(
                {"email": [_("This person has a role in this edition already: change it below.")]}
            )
    secret = secrets.token_urlsafe(24)
    invitation = Invitation(
        edition=edition,
        email=email,
        role=role,
        organisation=organisation,
        language=language if language in dict(settings.LANGUAGES) else "nl",
        secret_hash=_hash(secret),
        invited_by=actor_user(by),
        expires_at=timezone.now() + lifetime,
    )
    with scopes_disabled():
        invitation.save()
        invitation.topics.set(chosen)
    audit_record(
        edition=edition,
        part=AuditPart.ROLES,
        action="invite",
        target=invitation,
        after={"email": email, "role": role, "expires_at": invitation.expires_at},
        by=by,
    )
    inviter = actor_user(by)
    mail_enqueue(
        to=email,
        template="team/mail/invitation",
        context={
            "edition": edition,
            "role": Role(role).label,
            "inviter": (inviter.get_full_name() or inviter.username) if inviter else "",
            "link": invitation_url(invitation=invitation, secret=secret),
            "expires_at": invitation.expires_at,
        },
        language=invitation.language,
        edition=edition,
        topic="invitation",
    )
    return invitation


@transaction.atomic
def invitation_remove(*, invitation: Invitation, by: Actor) -> None:
    """Withdraw an invitation not yet accepted: its link then says so."""
    _require_lead(by=by, edition=invitation.edition)
    audit_record(
        edition=invitation.edition,
        part=AuditPart.ROLES,
        action="revoke",
        target=invitation,
        before={"email": invitation.email, "role": invitation.role},
        by=by,
    )
    with scopes_disabled():
        invitation.delete()


def _find(token: str) -> Invitation:
    try:
        pk, secret = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidInvitation(
            _("This invitation link is not valid. Ask the organiser for a new invitation.")
        ) from error
    with scopes_disabled():
        found = Invitation.objects.select_related("edition", "organisation").filter(pk=pk).first()
    if found is None or not secrets.compare_digest(found.secret_hash, _hash(str(secret))):
        raise InvalidInvitation(
            _(
                "This invitation is not valid, or it has been withdrawn. Ask the organiser for a "
                "new invitation."
            )
        )
    if found.used_at is not None:
        raise InvalidInvitation(
            _(
                "This invitation has been accepted already. Log in to the workspace; if that "
                "was not you, tell the organiser."
            )
        )
    if found.expires_at <= timezone.now():
        raise InvalidInvitation(
            _("This invitation has expired. Ask the organiser for a new invitation.")
        )
    return found


def invitation_check(*, token: str) -> Invitation:
    """The invitation a link is for, without using it. Raises ``InvalidInvitation``."""
    return _find(token)


def account_for_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=normalise_email(email)).order_by("pk").first()


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
) -> EditionRole:
    """Use an invitation up and give its role: to ``user`` (signed in) or, without one, to a
    new account for the invited address, with the name and password given. Raises
    ``InvalidInvitation`` or ``ValidationError`` (per field)."""
    invitation = _find(token)
    if user is None:
        if account_for_email(invitation.email) is not None:
            raise ValidationError(
                _("An account with this email address exists: log in first, then accept.")
            )
        if not first_name.strip():
            raise ValidationError({"first_name": [_("Fill in your first name.")]})
        user = User(
            username=invitation.email,
            email=invitation.email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            organisation=invitation.organisation,
            is_staff=True,
        )
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password1": error.messages}) from error
        user.set_password(password)
        user.save()
    with scopes_disabled():
        used = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now(), accepted_by=user
        )
        if used != 1:
            raise InvalidInvitation(_("This invitation has been accepted already."))
        topics = list(invitation.topics.all())
    audit_record(
        edition=invitation.edition,
        part=AuditPart.ROLES,
        action="accept",
        target=invitation,
        after={"email": invitation.email, "role": invitation.role, "username": user.username},
        by=user,
    )
    return edition_role_grant(
        edition=invitation.edition,
        user=user,
        role=invitation.role,
        organisation=invitation.organisation or user.organisation,
        topics=topics,
        by=None,  # the lead organiser decided when inviting; the link is the permission
    )
