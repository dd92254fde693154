"""What every export shares: the exporter class a format implements, and the names, addresses
and times all formats give the same way (stable identifiers, absolute links, Dutch time)."""

from __future__ import annotations

import html
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import ClassVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import strip_tags

from ketenconf.core.markdown import markdown_to_html
from ketenconf.events.models import Edition
from ketenconf.programme.models import Session

from .selectors import ScheduleData, schedule_data

# The editions are held in the Netherlands; an edition has no time zone of its own.
TIME_ZONE = ZoneInfo("Europe/Amsterdam")


class BaseExporter:
    """One file format of an edition's schedule, registered in :mod:`.registry` and served at
    ``/<slug>/<identifier>`` in the language of the address."""

    identifier: ClassVar[str]  # the file name under the edition, e.g. "schedule.ics"
    verbose_name: ClassVar[str | Promise]  # what the link on the programme page says
    content_type: ClassVar[str]

    def filename(self, edition: Edition) -> str:
        """The name a download is saved under, e.g. ``ketenconferentie-2018-schedule.ics``."""
        return f"{edition.slug}-{self.identifier}"

    def url(self, edition: Edition) -> str:
        """The file's absolute address, in the active language."""
        return absolute_url(reverse("export", args=[edition.slug, self.identifier]))

    def render(self, edition: Edition, *, sessions: Iterable[Session] | None = None) -> bytes | str:
        """The file for the edition's whole programme; or, given ``sessions`` (loaded with
        :func:`.selectors.sessions_with_details`), for those and the open blocks only."""
        return self.render_schedule(schedule_data(edition=edition, sessions=sessions))

    def render_schedule(self, schedule: ScheduleData) -> bytes | str:
        raise NotImplementedError


def absolute_url(path: str) -> str:
    """``path`` at the address people reach the site at (``KETENCONF_BASE_URL``)."""
    return f"{settings.BASE_URL}{path}"


def site_host() -> str:
    """The site's host name, the right-hand side of calendar UIDs."""
    return urlsplit(settings.BASE_URL).hostname or "localhost"


def stable_uuid(kind: str, pk: int) -> uuid.UUID:
    """The same UUID for the same object in every export and every language."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.BASE_URL}/{kind}/{pk}")


def local(moment: datetime) -> datetime:
    """``moment`` on the clock in the Netherlands, with its UTC offset."""
    return timezone.localtime(moment, TIME_ZONE)


def plain_text(markdown: str) -> str:
    """The text of organisers' Markdown without markup, for formats that show plain text."""
    return html.unescape(strip_tags(markdown_to_html(markdown))).strip()
