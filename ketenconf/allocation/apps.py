from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    name = "ketenconf.allocation"
    label = "allocation"
    verbose_name = _("Workshop assignment")
