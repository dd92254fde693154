from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "ketenconf.registration"
    label = "registration"
    verbose_name = _("Registration")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from ketenconf.events.models import Edition, Organisation

        from .selectors import public_editions
        from .services import organisations_by_name

        # What this process keeps for a second is forgotten at once when it changes here.
        for model, memo in ((Edition, public_editions), (Organisation, organisations_by_name)):
            for signal, name in ((post_save, "save"), (post_delete, "delete")):
                signal.connect(
                    memo.clear,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"ketenconf.registration.memo.{model.__name__}.{name}",
                )
