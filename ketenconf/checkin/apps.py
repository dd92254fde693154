from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinConfig(AppConfig):
    name = "ketenconf.checkin"
    label = "checkin"
    verbose_name = _("Check-in")

    def ready(self) -> None:
        from ketenconf.core.personal_data import (
            anonymisation_exclude,
            personal_data_exclude,
            personal_data_section_register,
        )

        from .models import Badge, CheckIn
        from .selectors import personal_data

        personal_data_section_register(key="check_ins", collect=personal_data, models=(CheckIn,))
        personal_data_exclude(
            model=Badge, reason="a counter that makes earlier printed badges invalid"
        )
        anonymisation_exclude(
            model=CheckIn, reason="times at the doors, without a name: the attendance figures"
        )
        anonymisation_exclude(
            model=Badge, reason="a counter that makes earlier printed badges invalid"
        )
