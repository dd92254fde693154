from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running ketenconf in production: probes, request ids in logs, the doctor, heartbeats."""

    name = "ketenconf.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from . import log, tasklog

        log.install_record_factory()
        tasklog.connect()
