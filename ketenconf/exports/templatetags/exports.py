from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.functional import Promise

from ketenconf.events.models import Edition
from ketenconf.exports.registry import exporters
from ketenconf.exports.selectors import calendar_feed_url
from ketenconf.registration.models import Registration

register = template.Library()


@dataclass(frozen=True)
class ExportLink:
    url: str
    name: str | Promise
    media_type: str


@register.simple_tag
def edition_exports(edition: Edition) -> list[ExportLink]:
    """A link to each export of the edition, in the active language."""
    return [
        ExportLink(
            url=reverse("export", args=[edition.slug, exporter.identifier]),
            name=exporter.verbose_name,
            media_type=exporter.content_type.split(";")[0],
        )
        for exporter in exporters()
    ]


@register.simple_tag
def personal_calendar(registration: Registration) -> dict[str, str] | None:
    """The participant's secret calendar address (and its webcal:// form), or ``None``."""
    url = calendar_feed_url(registration=registration)
    if url is None:
        return None
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}
