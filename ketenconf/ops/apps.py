from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running ketenconf in production: probes, request ids in logs, the doctor, heartbeats."""

    name = "ketenconf.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from . import log, middleware, tasklog

        log.install_record_factory()
        request_started.connect(middleware.request_started, dispatch_uid="ketenconf.ops.started")
        request_finished.connect(middleware.request_finished, dispatch_uid="ketenconf.ops.done")
        tasklog.connect()

        from datetime import timedelta

        from ketenconf.core.periodic import periodic_job_register

        from .services import tasks_release_stalled

        periodic_job_register(
            name="ops.release_stalled_tasks",
            every=timedelta(minutes=1),
            function=tasks_release_stalled,
        )
