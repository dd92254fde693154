"""Rules an edition must satisfy, as plain functions that return errors per field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import Edition


def edition_errors(edition: Edition) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if edition.start_date and edition.end_date and edition.end_date < edition.start_date:
        errors.setdefault("end_date", []).append(_("The last day cannot be before the first day."))
    opens, closes = edition.ranking_opens_at, edition.ranking_closes_at
    if opens and closes and closes <= opens:
        errors.setdefault("ranking_closes_at", []).append(_("Ranking must close after it opens."))
    if edition.pk and edition.capacity is not None:
        taken = (
            type(edition)
            .objects.filter(pk=edition.pk)
            .values_list("seats_taken", flat=True)
            .first()
        )
        if taken is not None and edition.capacity < taken:
            errors.setdefault("capacity", []).append(
                _("%(taken)d seats are taken already: the capacity cannot be lower.")
                % {"taken": taken}
            )
    if edition.series_id and edition.lead_organisation_id:
        partners = set(edition.series.partnerships.values_list("organisation_id", flat=True))
        if partners and edition.lead_organisation_id not in partners:
            errors.setdefault("lead_organisation", []).append(
                _("The lead organisation must be a partner of the series %(series)s.")
                % {"series": edition.series.name}
            )
    return errors
