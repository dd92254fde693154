"""Reads on series and editions."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404

from ketenconf.core.tenancy import edition_scope_enter

from .models import PUBLIC_STATUSES, Edition, Organisation, SeriesPartner


def editions_public() -> QuerySet[Edition]:
    return (
        Edition.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("series", "venue", "lead_organisation")
        .order_by("-start_date")
    )


def edition_public_get(*, slug: str) -> Edition:
    """The edition at ``slug`` if the public may see it; 404 otherwise (drafts stay hidden).
    The request is in the edition's scope from here on (ketenconf.core.tenancy)."""
    edition = get_object_or_404(editions_public(), slug=slug)
    edition_scope_enter(edition)
    return edition


def edition_organisers(*, edition: Edition) -> list[Organisation]:
    """The lead organisation first, then the other partners of the series in rotation order."""
    partners = [
        p.organisation
        for p in SeriesPartner.objects.filter(series_id=edition.series_id).select_related(
            "organisation"
        )
    ]
    lead = edition.lead_organisation
    return [lead, *[o for o in partners if o.pk != lead.pk]]


def organisation_names_suggested() -> QuerySet[Organisation, str]:
    """The names offered to visitors as they type: accepted organisations only, never the
    proposals other visitors typed."""
    return Organisation.objects.filter(accepted=True).values_list("name", flat=True)


def organisations_proposed(*, edition: Edition) -> QuerySet[Organisation]:
    """The names typed for this edition that wait for an organiser, with how many
    registrations carry each."""
    return (
        Organisation.objects.filter(accepted=False, proposed_in=edition)
        .annotate(registration_count=Count("registrations"))
        .order_by(Lower("name"), "pk")
    )


def organisations_accepted() -> QuerySet[Organisation]:
    """The organisations a proposal may be merged into."""
    return Organisation.objects.filter(accepted=True).order_by(Lower("name"), "pk")
