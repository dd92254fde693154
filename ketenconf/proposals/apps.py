from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "ketenconf.proposals"
    label = "proposals"
    verbose_name = _("Call for sessions")

    def ready(self) -> None:
        from ketenconf.core.personal_data import (
            anonymisation_exclude,
            personal_data_section_register,
        )

        from .models import InterestVote
        from .selectors import personal_data

        personal_data_section_register(
            key="interest_votes", collect=personal_data, models=(InterestVote,)
        )
        anonymisation_exclude(
            model=InterestVote, reason="a vote for a topic, by no one by name: its demand"
        )
