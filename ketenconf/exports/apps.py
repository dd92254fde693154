from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "ketenconf.exports"
    label = "exports"
    verbose_name = _("Exports")

    def ready(self) -> None:
        from .frab_json import FrabJsonExporter
        from .frab_xml import FrabXmlExporter
        from .ical import ICalExporter
        from .registry import exporter_register, table_exporter_register
        from .tables import (
            AssignmentsCsv,
            AssignmentsExcelCsv,
            AssignmentsXlsx,
            ParticipantsCsv,
            ParticipantsExcelCsv,
            ParticipantsXlsx,
            ProgrammeCsv,
            ProgrammeExcelCsv,
            ProgrammeXlsx,
        )

        for exporter in (ICalExporter(), FrabXmlExporter(), FrabJsonExporter()):
            exporter_register(exporter)
        # Excel first: what organisers open; then CSV for Excel, then plain CSV for programs.
        for table in (
            ProgrammeXlsx(),
            ProgrammeExcelCsv(),
            ProgrammeCsv(),
            ParticipantsXlsx(),
            ParticipantsExcelCsv(),
            ParticipantsCsv(),
            AssignmentsXlsx(),
            AssignmentsExcelCsv(),
            AssignmentsCsv(),
        ):
            table_exporter_register(table)

        from ketenconf.core.personal_data import (
            anonymiser_register,
            personal_data_section_register,
        )

        from .models import CalendarFeed
        from .selectors import personal_data
        from .services import edition_calendar_feeds_delete

        personal_data_section_register(
            key="calendar_feed", collect=personal_data, models=(CalendarFeed,)
        )
        anonymiser_register(
            name="exports.calendar_feeds",
            anonymise=edition_calendar_feeds_delete,
            models=(CalendarFeed,),
        )
