from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicJobRun(models.Model):
    """When a periodic job last started: the row every worker claims before running it."""

    name = models.CharField(_("job"), max_length=100, primary_key=True)
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_result = models.TextField(_("last result"), blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name
