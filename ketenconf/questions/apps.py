from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "ketenconf.questions"
    label = "questions"
    verbose_name = _("Registration questions")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from ketenconf.core.personal_data import (
            anonymiser_register,
            personal_data_section_register,
        )

        from .models import Answer, Question
        from .selectors import personal_data, questions_by_edition
        from .services import edition_answers_anonymise

        personal_data_section_register(key="answers", collect=personal_data, models=(Answer,))
        anonymiser_register(
            name="questions.answers", anonymise=edition_answers_anonymise, models=(Answer,)
        )
        # The questions a process keeps for a second are forgotten at once when they change here.
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(
                questions_by_edition.clear,
                sender=Question,
                weak=False,
                dispatch_uid=f"ketenconf.questions.memo.{name}",
            )
