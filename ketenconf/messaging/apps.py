from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "ketenconf.messaging"
    label = "messaging"
    verbose_name = _("Messages to participants")

    def ready(self) -> None:
        from datetime import timedelta

        from ketenconf.core.periodic import periodic_job_register
        from ketenconf.core.personal_data import (
            anonymisation_exclude,
            personal_data_section_register,
        )

        from .models import MessageRecipient
        from .selectors import personal_data
        from .services import reminders_send_due

        periodic_job_register(
            name="messaging.reminders", every=timedelta(hours=1), function=reminders_send_due
        )
        personal_data_section_register(
            key="messages", collect=personal_data, models=(MessageRecipient,)
        )
        anonymisation_exclude(
            model=MessageRecipient,
            reason="which message went to a registration without a name: the message's numbers",
        )
