from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "ketenconf.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from ketenconf.core.personal_data import (
            anonymisation_exclude,
            personal_data_section_register,
        )

        from .models import Quote, SurveyInvitation
        from .selectors import personal_data

        personal_data_section_register(
            key="survey", collect=personal_data, models=(SurveyInvitation, Quote)
        )
        anonymisation_exclude(
            model=SurveyInvitation,
            reason="that an invitation went out and was answered: the response rate",
        )
        anonymisation_exclude(
            model=Quote,
            reason="a quote its writer agreed to show, no longer with their name",
        )
