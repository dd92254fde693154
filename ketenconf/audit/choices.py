"""The parts of an edition an audit entry is in, and the kinds of who acted. Importable
before Django's apps are loaded (the command line sets its kind first)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditPart(models.TextChoices):
    """What part of an edition a change is in: the filter on the audit page."""

    EDITION = "edition", _("Edition and settings")
    PROGRAMME = "programme", _("Programme and sessions")
    PROPOSALS = "proposals", _("Call for sessions")
    REGISTRATIONS = "registrations", _("Registrations")
    ASSIGNMENT = "assignment", _("Workshop assignment")
    MARKET = "market", _("Market")
    NETWORKING = "networking", _("Networking")
    CHECKIN = "checkin", _("Check-in")
    MESSAGES = "messages", _("Messages")
    ROLES = "roles", _("Roles and invitations")
    API_TOKENS = "api_tokens", _("API tokens")
    ACCOUNTS = "accounts", _("Sign-in and two-factor")


class ActorKind(models.TextChoices):
    """Who acted: an account, or which process."""

    USER = "user", _("organiser")
    API_TOKEN = "api_token", _("API token")
    PARTICIPANT = "participant", _("participant (personal link)")
    VISITOR = "visitor", _("visitor (public form)")
    WORKER = "worker", _("worker")
    COMMAND = "command", _("command line")
    SYSTEM = "system", _("system")
