"""An edition with one person in each role: a lead organiser, a partner organiser whose
organisation hosts one workshop, a host of another workshop, door staff, and an outsider."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ketenconf.events.models import Edition
from ketenconf.programme.models import Topic
from ketenconf.team.models import Role
from ketenconf.team.services import edition_role_grant
from tests.factories import HostFactory, OrganisationFactory, SeriesPartnerFactory, UserFactory
from tests.mail.conftest import SMTPServer, restore_signals, smtp_server  # noqa: F401 - fixtures
from tests.workspace.conftest import fast_password_hashing  # noqa: F401 - fixture


@dataclass
class Team:
    edition: Edition
    lead: Any
    partner: Any
    host: Any
    door: Any
    outsider: Any
    partners_topic: Topic
    hosts_topic: Topic
    leads_topic: Topic


@pytest.fixture
def team(programme_edition: Edition) -> Team:
    edition = programme_edition
    topics = list(Topic.objects.filter(edition=edition, kind="workshop").order_by("title_nl"))
    leads_topic, hosts_topic, partners_topic = topics  # Arbeidsmigratie, Huisvesting, Terugkeer
    partner_org = OrganisationFactory(name="Centraal Orgaan opvang asielzoekers", short_name="COA")
    SeriesPartnerFactory(series=edition.series, organisation=partner_org, position=2)
    HostFactory(topic=partners_topic, name="Host COA", organisation=partner_org)
    lead = UserFactory(
        username="lead", email="lead@dtv.example", organisation=edition.lead_organisation
    )
    partner = UserFactory(username="partner", email="partner@coa.example", organisation=partner_org)
    host = UserFactory(username="host", email="host@example.org", organisation=None)
    edition_role_grant(edition=edition, user=host, role=Role.HOST, topics=[hosts_topic], by=None)
    door = UserFactory(username="door", email="door@example.org", organisation=None)
    edition_role_grant(edition=edition, user=door, role=Role.DOOR, by=None)
    outsider = UserFactory(username="outsider", organisation=OrganisationFactory(name="Politie"))
    return Team(
        edition=edition,
        lead=lead,
        partner=partner,
        host=host,
        door=door,
        outsider=outsider,
        partners_topic=partners_topic,
        hosts_topic=hosts_topic,
        leads_topic=leads_topic,
    )
