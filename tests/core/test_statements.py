"""Fixed statements read and write rows exactly as the ORM does, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone

from ketenconf.core import statements
from ketenconf.events.models import Edition, EditionStatus, Organisation
from ketenconf.registration.models import Registration, RegistrationStatus
from tests.factories import EditionFactory, OrganisationFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def values(instance: Model) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_a_row_read_by_a_fixed_statement_equals_the_orms() -> None:
    edition = EditionFactory(
        status=EditionStatus.REGISTRATION_OPEN,
        start_date=dt.date(2027, 4, 15),
        end_date=dt.date(2027, 4, 16),
        capacity=600,
        seats_taken=12,
        title_en="Chain conference 2027",
    )
    (read,) = statements.select(Edition, "slug = %s", [edition.slug])
    assert values(read) == values(Edition.objects.get(pk=edition.pk))
    assert isinstance(read.start_date, dt.date)
    assert read._state.adding is False
    assert read._state.db == "default"


def test_json_and_text_come_back_as_python_values() -> None:
    organisation = OrganisationFactory(
        name="Gemeente 's-Hertogenbosch", short_name="Den Bosch", chain_links=["reception"]
    )
    (read,) = statements.select(
        Organisation, "LOWER(name) = LOWER(%s)", ["GEMEENTE 'S-HERTOGENBOSCH"]
    )
    assert read.chain_links == ["reception"]
    assert values(read) == values(Organisation.objects.get(pk=organisation.pk))


def test_no_match_is_an_empty_list() -> None:
    assert statements.select(Edition, "slug = %s", ["no-such-edition"]) == []


def test_an_update_changes_only_the_matching_rows_and_counts_them() -> None:
    full = EditionFactory(capacity=1, seats_taken=1)
    open_ = EditionFactory(capacity=2, seats_taken=0)
    condition = "id = %s AND seats_taken < capacity"
    assert statements.update(Edition, "seats_taken = seats_taken + 1", condition, [full.pk]) == 0
    assert statements.update(Edition, "seats_taken = seats_taken + 1", condition, [open_.pk]) == 1
    assert Edition.objects.get(pk=full.pk).seats_taken == 1
    assert Edition.objects.get(pk=open_.pk).seats_taken == 1


def test_a_count_is_the_orms_count() -> None:
    EditionFactory(capacity=1, seats_taken=1)
    EditionFactory(capacity=2, seats_taken=0)
    EditionFactory(capacity=3, seats_taken=1)
    orm_open = Edition.objects.filter(seats_taken__lt=F("capacity")).count()
    assert statements.count(Edition, "seats_taken < capacity", []) == orm_open == 2
    orm_large = Edition.objects.filter(capacity__gt=5).count()
    assert statements.count(Edition, "capacity > %s", [5]) == orm_large == 0


def test_an_inserted_row_reads_back_as_the_orm_would_have_written_it() -> None:
    edition = EditionFactory()
    organisation = OrganisationFactory()
    written = Registration(
        edition=edition,
        email="anna@example.org",
        name="Anna de Vries",
        organisation=organisation,
        needs_step_free=True,
        language="en",
        status=RegistrationStatus.WAITLISTED,
        waitlisted_at=timezone.now(),
    )
    statements.insert(written)
    assert written.pk is not None
    assert written._state.adding is False
    assert written.created_at is not None  # auto_now_add, as save() sets it
    assert values(Registration.objects.get(pk=written.pk)) == values(written)


def test_a_broken_constraint_is_djangos_integrity_error_and_writes_nothing() -> None:
    edition = EditionFactory()
    organisation = OrganisationFactory()
    first = Registration(
        edition=edition, email="a@example.org", name="A", organisation=organisation
    )
    statements.insert(first)
    with pytest.raises(IntegrityError), transaction.atomic():
        statements.insert(
            Registration(
                edition=edition, email="a@example.org", name="B", organisation=organisation
            )
        )
    assert list(Registration.objects.values_list("name", flat=True)) == ["A"]


def test_a_model_with_save_receivers_is_refused() -> None:
    """The programme cache listens to editions being saved: inserting one here would skip it."""
    before = Edition.objects.count()
    with pytest.raises(TypeError, match="save it through the ORM"):
        statements.insert(EditionFactory.build(series=SeriesFactory()))
    assert Edition.objects.count() == before
