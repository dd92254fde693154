"""Under an edition's address: one file per registered export, e.g. ``schedule.ics``, and a
participant's own calendar at its secret address."""

from __future__ import annotations

import re

from django.urls import URLPattern, path, register_converter

from . import views
from .registry import exporters


class ExportConverter:
    regex = "|".join(re.escape(exporter.identifier) for exporter in exporters())

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportConverter, "export")

urlpatterns: list[URLPattern] = [
    path("<export:identifier>", views.edition_export, name="export"),
    path("sessions/<int:pk>/calendar.ics", views.session_calendar, name="session_calendar"),
    path("me/calendar/", views.calendar_feed_change, name="calendar_feed_change"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
