from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    name = "ketenconf.allocation"
    label = "allocation"
    verbose_name = _("Workshop assignment")

    def ready(self) -> None:
        from datetime import timedelta

        from ketenconf.core.periodic import periodic_job_register
        from ketenconf.core.personal_data import (
            anonymisation_exclude,
            personal_data_exclude,
            personal_data_section_register,
        )

        from .models import Assignment, AssignmentLock
        from .selectors import personal_data
        from .services import reoffer_due

        # Minutes before each workshop round, the seats of those not there are re-offered.
        periodic_job_register(
            name="allocation.reoffer", every=timedelta(minutes=1), function=reoffer_due
        )

        personal_data_section_register(
            key="workshop_seats", collect=personal_data, models=(Assignment,)
        )
        personal_data_exclude(
            model=AssignmentLock,
            reason="an organiser's instruction to keep a seat; the seat is in workshop_seats",
        )
        anonymisation_exclude(
            model=Assignment, reason="seats of a registration without a name: the report's fill"
        )
        anonymisation_exclude(
            model=AssignmentLock, reason="an organiser's instruction, about no one by name"
        )
