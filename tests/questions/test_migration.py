"""The migration that made the fixed fields questions: every edition gets the two default
questions, and what people had written there becomes their answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("registration", "0003_registration_day_choices"), ("questions", None)]
AFTER = [("registration", "0004_needs_become_questions"), ("questions", "0002_default_questions")]


def test_dietary_and_accessibility_needs_become_answers() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state([BEFORE[0]]).apps
    Organisation = old.get_model("events", "Organisation")
    Series = old.get_model("events", "Series")
    Venue = old.get_model("events", "Venue")
    Edition = old.get_model("events", "Edition")
    Registration = old.get_model("registration", "Registration")
    ind = Organisation.objects.create(name="IND", kind="national_agency")
    edition = Edition.objects.create(
        series=Series.objects.create(name="Keten", slug="keten"),
        slug="keten-2026",
        title="Keten 2026",
        start_date=dt.date(2026, 4, 1),
        end_date=dt.date(2026, 4, 1),
        venue=Venue.objects.create(name="Jaarbeurs", city="Utrecht"),
        capacity=10,
        lead_organisation=ind,
    )
    common = {"edition": edition, "organisation": ind, "status": "registered"}
    anna = Registration.objects.create(
        email="anna@example.org", name="Anna", dietary_needs="halal", **common
    )
    bram = Registration.objects.create(
        email="bram@example.org", name="Bram", accessibility_needs="ringleiding", **common
    )
    Registration.objects.create(email="cees@example.org", name="Cees", **common)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Question = new.get_model("questions", "Question")
    Answer = new.get_model("questions", "Answer")
    assert list(
        Question.objects.order_by("position").values_list("key", "kind", "text_nl", "position")
    ) == [
        ("dietary_needs", "short_text", "Dieetwensen", 1),
        ("accessibility_needs", "short_text", "Toegankelijkheid", 2),
    ]
    assert sorted(
        Answer.objects.values_list("registration_id", "question__key", "value")
    ) == sorted(
        [(anna.pk, "dietary_needs", "halal"), (bram.pk, "accessibility_needs", "ringleiding")]
    )
    # Back to the latest state for the tests after this one.
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
