"""An edition with one person in each group a message can go to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ketenconf.allocation.models import Assignment, AssignmentRun
from ketenconf.checkin.models import CheckIn
from ketenconf.events.models import Edition, OrganisationKind
from ketenconf.programme.models import Session
from ketenconf.registration.models import Preference, Registration
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)
from tests.mail.conftest import SMTPServer, restore_signals, smtp_server  # noqa: F401 - fixtures


@dataclass
class Groups:
    edition: Edition
    organiser: Any
    people: dict[str, Registration]
    workshop: Session
    other_workshop: Session
    coa: Any
    ngo: Any

    def names(self, registrations: Any) -> set[str]:
        by_pk = {r.pk: key for key, r in self.people.items()}
        return {by_pk[r.pk] for r in registrations}


@pytest.fixture
def groups(db: None) -> Groups:
    edition = EditionFactory(slug="keten-2027", title_nl="Ketenconferentie 2027")
    organiser = UserFactory(organisation=edition.lead_organisation, first_name="Olga")
    coa = OrganisationFactory(name="COA", kind=OrganisationKind.NATIONAL_AGENCY)
    ngo = OrganisationFactory(name="VluchtelingenWerk", kind="ngo")
    workshop = SessionFactory(edition=edition)
    other_workshop = SessionFactory(edition=edition, block=workshop.block)
    now = timezone.now()

    def person(key: str, **fields: Any) -> Registration:
        fields.setdefault("organisation", coa)
        fields.setdefault("confirmed_at", now)
        return RegistrationFactory(
            edition=edition, name=key.capitalize(), email=f"{key}@example.org", **fields
        )

    people = {
        "anna": person("anna"),  # seated, ranked, in the workshop, checked in
        "bram": person("bram", organisation=ngo, language="en"),  # seated, not ranked
        "chris": person("chris", confirmed_at=None),  # seated, unconfirmed, not ranked
        "dirk": person("dirk", status="waitlisted", waitlisted_at=now),
        "eva": person("eva", status="cancelled"),
        "fleur": person("fleur", status="waitlisted", waitlisted_at=now, confirmed_at=None),
    }
    # Someone of another edition is in no group of this one.
    RegistrationFactory(email="elders@example.org", organisation=coa)
    Edition.objects.filter(pk=edition.pk).update(seats_taken=3)
    Preference.objects.create(registration=people["anna"], topic=workshop.topic, rank=1)
    run = AssignmentRun.objects.create(edition=edition, number=1, status="done", published_at=now)
    for key, session in (("anna", workshop), ("bram", other_workshop)):
        Assignment.objects.create(
            run=run, registration=people[key], block=session.block, session=session, rank=1
        )
    CheckIn.objects.create(
        edition=edition, registration=people["anna"], kind="entry", at=now, nonce="n-anna"
    )
    return Groups(edition, organiser, people, workshop, other_workshop, coa, ngo)
