from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkingConfig(AppConfig):
    name = "ketenconf.networking"
    label = "networking"
    verbose_name = _("Networking")

    def ready(self) -> None:
        from ketenconf.core.personal_data import (
            anonymisation_exclude,
            personal_data_section_register,
        )

        from .models import Meeting, MeetingRequest, NetworkingProfile
        from .selectors import personal_data

        personal_data_section_register(
            key="networking",
            collect=personal_data,
            models=(NetworkingProfile, MeetingRequest, Meeting),
        )
        anonymisation_exclude(
            model=NetworkingProfile,
            reason="themes and kinds of organisation picked from fixed lists, without a name",
        )
        for model in (MeetingRequest, Meeting):
            anonymisation_exclude(
                model=model,
                reason="who met whom across organisations, for the report; the people are "
                "anonymised registrations",
            )
