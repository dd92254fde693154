from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "ketenconf.market"
    label = "market"
    verbose_name = _("Information market")

    def ready(self) -> None:
        from ketenconf.core.personal_data import (
            anonymisation_exclude,
            personal_data_section_register,
        )

        from .models import SavedStand
        from .selectors import personal_data

        personal_data_section_register(
            key="saved_stands", collect=personal_data, models=(SavedStand,)
        )
        anonymisation_exclude(
            model=SavedStand, reason="a bookmark of a public stand, by no one by name"
        )
