"""Existing accounts keep their access: the data migration gives today's staff the role their
organisation implies and door staff the door-staff role."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("team", "0001_initial"), ("checkin", "0001_initial")]
AFTER = [("team", "0002_roles_from_organisations"), ("checkin", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_staff_get_the_role_their_organisation_implies():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    leaves = executor.loader.graph.leaf_nodes()
    others = [node for node in leaves if node[0] not in {"team", "checkin"}]
    apps = executor.loader.project_state([*others, *BEFORE]).apps
    Organisation = apps.get_model("events", "Organisation")
    Series = apps.get_model("events", "Series")
    SeriesPartner = apps.get_model("events", "SeriesPartner")
    Venue = apps.get_model("events", "Venue")
    Edition = apps.get_model("events", "Edition")
    User = apps.get_model("accounts", "User")
    DoorStaff = apps.get_model("checkin", "DoorStaff")
    lead, partner, other = (
        Organisation.objects.create(name=name, short_name=name) for name in ("L", "P", "O")
    )
    series = Series.objects.create(name="S", slug="s")
    SeriesPartner.objects.create(series=series, organisation=lead, position=1)
    SeriesPartner.objects.create(series=series, organisation=partner, position=2)
    venue = Venue.objects.create(name="V", city="Den Haag")
    edition = Edition.objects.create(
        series=series,
        slug="e",
        title="E",
        start_date=date(2030, 1, 1),
        end_date=date(2030, 1, 1),
        venue=venue,
        lead_organisation=lead,
        capacity=10,
    )
    users = {
        name: User.objects.create(username=name, is_staff=staff, organisation=org)
        for name, staff, org in [
            ("lead", True, lead),
            ("partner", True, partner),
            ("other", True, other),
            ("not-staff", False, lead),
            ("door", True, None),
            ("lead-at-door", True, lead),
        ]
    }
    DoorStaff.objects.create(edition=edition, user=users["door"])
    DoorStaff.objects.create(edition=edition, user=users["lead-at-door"])

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    apps = executor.loader.project_state([*others, *AFTER]).apps
    EditionRole = apps.get_model("team", "EditionRole")
    got = {
        (row.user.username, row.role, row.organisation_id)
        for row in EditionRole._base_manager.select_related("user")
    }
    assert got == {
        ("lead", "lead", lead.pk),
        ("partner", "partner", partner.pk),
        ("door", "door", None),
        ("lead-at-door", "lead", lead.pk),
    }
    MigrationExecutor(connection).migrate(leaves)  # the tests after this one need the rest
