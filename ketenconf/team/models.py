"""Who works on an edition, in which role, and the invitations to do so.

A person's rights in an edition come from one :class:`EditionRole` row (superusers need
none); what each role may open is decided in :mod:`ketenconf.workspace.access`, the one rule
for the workspace, the organisers' API and the exports.
"""

from __future__ import annotations

from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ketenconf.core.tenancy import edition_scoped
from ketenconf.events.models import Edition, Organisation


class Role(models.TextChoices):
    """The roles per edition, from most to least.

    - ``lead``: lead organiser, everything of the edition, its settings, partners and people;
    - ``partner``: partner organiser, the edition's parts as series partners had them before
      roles (all but the settings and the people), editing only the sessions their
      organisation hosts;
    - ``host``: their own sessions (the topics named on the role) and who is in them;
    - ``door``: door staff, the check-in only.

    For mapping an outside claim (OpenID Connect) to a role: the values are the stable names.
    """

    LEAD = "lead", _("lead organiser")
    PARTNER = "partner", _("partner organiser")
    HOST = "host", _("host")
    DOOR = "door", pgettext_lazy("role", "door staff")


class EditionRole(models.Model):
    """One person's role in one edition; at most one per person and edition.

    ``organisation`` is whom the person works for in this edition (a partner organiser's
    sessions are those this organisation hosts); ``topics`` are a host's own topics, whose
    sessions and participants they see. Grant, change and remove through
    :mod:`ketenconf.team.services` (``edition_role_grant``, ``edition_role_change``,
    ``edition_role_remove``).
    """

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="roles", verbose_name=_("edition")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="edition_roles",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    topics = models.ManyToManyField(
        "programme.Topic", blank=True, related_name="+", verbose_name=_("topics")
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="edition_role_once"),
            models.CheckConstraint(
                condition=models.Q(role__in=[choice.value for choice in Role]),
                name="edition_role_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.edition})"


class Invitation(models.Model):
    """An invitation by mail to take a role in an edition.

    The mail carries a signed token naming this row and a secret of which only a hash is
    kept; it expires at ``expires_at`` and is used once, by the button on the page the link
    opens (mail scanners open every link), as the participants' personal links are.
    """

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("edition")
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    topics = models.ManyToManyField(
        "programme.Topic", blank=True, related_name="+", verbose_name=_("topics")
    )
    language = models.CharField(_("language"), max_length=10, default="nl")
    secret_hash = models.CharField(max_length=64)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()}, {self.edition})"
