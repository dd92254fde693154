from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.functional import Promise

from ketenconf.events.models import Edition
from ketenconf.exports.registry import EXPORTERS

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
        for exporter in EXPORTERS
    ]
