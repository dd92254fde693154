"""The exports there are. A new format is a :class:`~.base.BaseExporter` subclass in its own
module, added here; its address and its link on the programme page follow. The organisers'
spreadsheets (:mod:`.tables`) are registered the same way, in ``TABLE_EXPORTERS``."""

from __future__ import annotations

from .base import BaseExporter
from .frab_json import FrabJsonExporter
from .frab_xml import FrabXmlExporter
from .ical import ICalExporter
from .tables import (
    AssignmentsCsv,
    AssignmentsXlsx,
    ParticipantsCsv,
    ParticipantsXlsx,
    ProgrammeCsv,
    ProgrammeXlsx,
    TableExporter,
)

EXPORTERS: tuple[BaseExporter, ...] = (ICalExporter(), FrabXmlExporter(), FrabJsonExporter())

_BY_IDENTIFIER = {exporter.identifier: exporter for exporter in EXPORTERS}
if len(_BY_IDENTIFIER) != len(EXPORTERS):  # pragma: no cover - a programming error
    raise RuntimeError("Two exporters share an identifier.")


def exporter_get(identifier: str) -> BaseExporter | None:
    return _BY_IDENTIFIER.get(identifier)


TABLE_EXPORTERS: tuple[TableExporter, ...] = (
    ProgrammeXlsx(),
    ProgrammeCsv(),
    ParticipantsXlsx(),
    ParticipantsCsv(),
    AssignmentsXlsx(),
    AssignmentsCsv(),
)

_TABLES = {exporter.identifier: exporter for exporter in TABLE_EXPORTERS}
if len(_TABLES) != len(TABLE_EXPORTERS):  # pragma: no cover - a programming error
    raise RuntimeError("Two table exporters share an identifier.")


def table_exporter_get(identifier: str) -> TableExporter | None:
    return _TABLES.get(identifier)
