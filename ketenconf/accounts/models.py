"""Accounts of organisers, hosts and door staff. Participants have none: they use a personal link."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    organisation = models.ForeignKey(
        "events.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Staff of an organisation edit the editions it leads or partners in."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]


class SingleSignOnIdentity(models.Model):
    """The account a person of the identity provider signs in to: one per issuer and subject."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="sso_identities"
    )
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"


#: Who asks, in a permission check or a read that depends on the person: the user of a request.
Viewer: TypeAlias = "User | AnonymousUser"

#: Who acts through a service: an organiser's account, the anonymous user of a request (the
#: service refuses what they may not do), or None for the operator at the command line, the
#: worker and the demo loader.
Actor: TypeAlias = "User | AnonymousUser | None"


def actor_user(by: Actor) -> User | None:
    """The account to record as the one who acted: none for the anonymous and the operator."""
    return by if isinstance(by, User) else None
