from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "ketenconf.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from datetime import timedelta

        from ketenconf.core.periodic import periodic_job_register

        from .services import imports_purge_stale

        periodic_job_register(
            name="imports.purge_stale", every=timedelta(hours=6), function=imports_purge_stale
        )
