from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ketenconf.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from ketenconf.core.personal_data import anonymiser_register, personal_data_exclude

        from . import signals  # noqa: F401  (sign-ins and failed sign-ins)
        from .models import AuditEntry
        from .services import audit_edition_anonymise

        anonymiser_register(
            name="audit.entries", anonymise=audit_edition_anonymise, models=(AuditEntry,)
        )
        personal_data_exclude(
            model=AuditEntry,
            reason="the organisers' record of changes: what was done to a registration, not "
            "what the participant gave (that is in the registration's own part)",
        )
