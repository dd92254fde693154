"""The exports there are. A new format is a :class:`~.base.BaseExporter` subclass in its own
module, registered with :func:`exporter_register` in its app's ``AppConfig.ready()``; its
address and its link on the programme page follow. The organisers' spreadsheets
(:mod:`.tables`) are registered the same way, with :func:`table_exporter_register`."""

from __future__ import annotations

from .base import BaseExporter
from .tables import TableExporter

_exporters: dict[str, BaseExporter] = {}
_tables: dict[str, TableExporter] = {}


def exporter_register(exporter: BaseExporter) -> None:
    """Offer a public export of the programme (once per identifier)."""
    known = _exporters.get(exporter.identifier)
    if known is not None and type(known) is not type(exporter):
        raise RuntimeError(f"Two exporters share the identifier {exporter.identifier!r}.")
    _exporters[exporter.identifier] = exporter


def table_exporter_register(exporter: TableExporter) -> None:
    """Offer an organisers' spreadsheet (once per identifier)."""
    known = _tables.get(exporter.identifier)
    if known is not None and type(known) is not type(exporter):
        raise RuntimeError(f"Two table exporters share the identifier {exporter.identifier!r}.")
    _tables[exporter.identifier] = exporter


def exporters() -> tuple[BaseExporter, ...]:
    return tuple(_exporters.values())


def table_exporters() -> tuple[TableExporter, ...]:
    return tuple(_tables.values())


def exporter_get(identifier: str) -> BaseExporter | None:
    return _exporters.get(identifier)


def table_exporter_get(identifier: str) -> TableExporter | None:
    return _tables.get(identifier)
