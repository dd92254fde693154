"""An import: the file an organiser uploaded, how its columns map to fields, and what checking
or importing it gave. The file is kept until it is imported (then emptied: it holds personal
data), so a large one can be checked and imported by the worker; a file left unimported is
deleted after a week by a periodic job, as are the rows an outcome shows."""

from __future__ import annotations

from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenconf.core.tenancy import edition_scoped
from ketenconf.events.models import Edition


class ImportKind(models.TextChoices):
    PARTICIPANTS = "participants", _("participants")
    ORGANISATIONS = "organisations", _("organisations")
    SESSIONS = "sessions", _("sessions")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("uploaded")
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("running")
    CHECKED = "checked", _("checked: ready to import")
    REJECTED = "rejected", _("has errors: nothing changed")
    DONE = "done", _("imported")
    FAILED = "failed", _("failed: nothing changed")
    EXPIRED = "expired", _("file deleted after a week without import: upload it again")


class ImportJob(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("edition")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    filename = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(editable=False)
    headers = models.JSONField(default=list)
    #: The first rows, as the column page shows them: read once at upload, so a page view
    #: never parses the file again.
    samples = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    #: Column index (as text) → field name; columns left out are not imported.
    mapping = models.JSONField(default=dict)
    notify = models.BooleanField(
        _("mail the participants"),
        default=False,
        help_text=_("Each new participant gets the usual mail with their personal link."),
    )
    #: The language messages are written in: the organiser's, when they started it.
    language = models.CharField(max_length=8, default="nl")
    #: What the latest execution was: a check (dry run) or the import itself.
    commit = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    rows_done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: {"counts": {...}, "rows": [...first rows...], "errors": [...], "error_count": n}
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["edition", "-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.edition}: {self.kind} from {self.filename}"

    @property
    def is_under_way(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
