from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "ketenconf.programme"
    label = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        from .cache import connect

        connect()  # the cached programme page is renewed when the programme changes
