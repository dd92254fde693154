from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "ketenconf.registration"
    label = "registration"
    verbose_name = _("Registration")

    def ready(self) -> None:
        from datetime import timedelta

        from ketenconf.core.periodic import periodic_job_register
        from ketenconf.core.personal_data import (
            anonymisation_exclude,
            anonymiser_register,
            personal_data_covered,
        )

        from .models import AccessToken, Preference
        from .services import (
            edition_access_tokens_delete,
            editions_anonymise_expired,
            registrations_release_unconfirmed,
        )

        periodic_job_register(
            name="registration.release_unconfirmed",
            every=timedelta(minutes=5),
            function=registrations_release_unconfirmed,
        )
        periodic_job_register(
            name="registration.anonymise_expired",
            every=timedelta(hours=6),
            function=editions_anonymise_expired,
        )
        # The registration's own part of the download (registration_personal_data).
        personal_data_covered(models=(Preference, AccessToken))
        anonymiser_register(
            name="registration.access_tokens",
            anonymise=edition_access_tokens_delete,
            models=(AccessToken,),
        )
        anonymisation_exclude(
            model=Preference,
            reason="ranked workshops of a registration without a name: the report's demand",
        )

        from django.db.models.signals import post_delete, post_save

        from ketenconf.events.models import Edition, Organisation

        from .hot_path import organisations_by_name, public_editions

        # What this process keeps for a second is forgotten at once when it changes here.
        for model, memo in ((Edition, public_editions), (Organisation, organisations_by_name)):
            for signal, name in ((post_save, "save"), (post_delete, "delete")):
                signal.connect(
                    memo.clear,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"ketenconf.registration.memo.{model.__name__}.{name}",
                )
