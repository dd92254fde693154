"""The exports there are. A new format is a :class:`~.base.BaseExporter` subclass in its own
module, added here; its address and its link on the programme page follow."""

from __future__ import annotations

from .base import BaseExporter
from .frab_json import FrabJsonExporter
from .frab_xml import FrabXmlExporter
from .ical import ICalExporter

EXPORTERS: tuple[BaseExporter, ...] = (ICalExporter(), FrabXmlExporter(), FrabJsonExporter())

_BY_IDENTIFIER = {exporter.identifier: exporter for exporter in EXPORTERS}
if len(_BY_IDENTIFIER) != len(EXPORTERS):  # pragma: no cover - a programming error
    raise RuntimeError("Two exporters share an identifier.")


def exporter_get(identifier: str) -> BaseExporter | None:
    return _BY_IDENTIFIER.get(identifier)
