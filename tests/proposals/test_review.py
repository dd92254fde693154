"""Review by the organising team: who may review, who reads which note, the order, decisions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from ketenconf.mail.models import OutboxMessage
from ketenconf.programme.models import Host, Topic
from ketenconf.proposals import selectors, services
from ketenconf.proposals.models import ProposalStatus
from tests.proposals.conftest import CallEdition
from tests.proposals.helpers import propose

pytestmark = pytest.mark.django_db


def organise(slug: str, rest: str = "") -> str:
    return f"/organise/{slug}/call/{rest}"


def test_a_private_note_stays_within_the_reviewers_organisation_unless_shared(
    call_edition: CallEdition,
) -> None:
    proposal = propose(call_edition.call)
    services.review_save(
        proposal=proposal,
        reviewer=call_edition.partner_reviewer,
        score=4,
        comment="Sterk praktijkverhaal.",
        private_note="Spreker was vorig jaar matig.",
    )
    services.review_save(
        proposal=proposal, reviewer=call_edition.lead_reviewer, score=2, private_note="IND-notitie."
    )

    def notes(user: object) -> list[tuple[str, str | None]]:
        return [
            (r.reviewer, r.private_note)
            for r in selectors.reviews_visible_to(proposal=proposal, user=user)
        ]

    assert notes(call_edition.lead_reviewer) == [("Cor", None), ("Ingrid", "IND-notitie.")]
    assert notes(call_edition.partner_colleague) == [
        ("Cor", "Spreker was vorig jaar matig."),
        ("Ingrid", None),
    ]
    client = Client()
    client.force_login(call_edition.lead_reviewer)
    page = client.get(organise(call_edition.edition.slug, f"proposals/{proposal.pk}/")).content
    assert "Sterk praktijkverhaal." in page.decode()
    assert "Spreker was vorig jaar matig." not in page.decode()

    services.review_save(
        proposal=proposal,
        reviewer=call_edition.partner_reviewer,
        score=4,
        private_note="Spreker was vorig jaar matig.",
        shared=True,
    )
    assert notes(call_edition.lead_reviewer) == [
        ("Ingrid", "IND-notitie."),
        ("Cor", "Spreker was vorig jaar matig."),
    ]
    page = client.get(organise(call_edition.edition.slug, f"proposals/{proposal.pk}/")).content
    assert "Spreker was vorig jaar matig." in page.decode()


def test_only_staff_of_the_lead_and_partners_review(call_edition: CallEdition) -> None:
    proposal = propose(call_edition.call)
    with pytest.raises(PermissionDenied):
        services.review_save(proposal=proposal, reviewer=call_edition.outsider, score=5)
    with pytest.raises(PermissionDenied):
        services.proposal_decide(proposal=proposal, by=call_edition.outsider, accept=True)
    client = Client()
    client.force_login(call_edition.outsider)
    assert client.get(organise(call_edition.edition.slug)).status_code == 404
    assert (
        client.get(organise(call_edition.edition.slug, f"proposals/{proposal.pk}/")).status_code
        == 404
    )
    assert (
        Client().get(organise(call_edition.edition.slug))["Location"].startswith("/organise/login/")
    )


def test_the_old_addresses_lead_to_the_call_in_the_workspace(call_edition: CallEdition) -> None:
    proposal = propose(call_edition.call)
    client = Client()
    client.force_login(call_edition.partner_reviewer)
    old = f"/admin/proposals/{call_edition.edition.pk}/proposals/{proposal.pk}/?tab=1"
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == organise(
        call_edition.edition.slug, f"proposals/{proposal.pk}/?tab=1"
    )
    assert client.get(response["Location"]).status_code == 200
    assert client.post(f"/admin/proposals/{call_edition.edition.pk}/schedule/").status_code == 308
    assert client.get("/admin/proposals/")["Location"] == "/organise/"
    outsider = Client()
    outsider.force_login(call_edition.outsider)
    assert outsider.get(old).status_code == 404


def test_the_overview_puts_the_best_scored_first_with_the_spread(call_edition: CallEdition) -> None:
    call = call_edition.call
    low = propose(call, title="Laag", theme="return")
    high = propose(call, title="Hoog", email="piet@ind.nl", organisation="IND")
    unscored = propose(
        call, title="Nog niet gelezen", email="els@utrecht.nl", organisation="Utrecht"
    )
    for user, scores in (
        (call_edition.lead_reviewer, {low: 2, high: 5}),
        (call_edition.partner_reviewer, {low: 3, high: 4}),
    ):
        for proposal, score in scores.items():
            services.review_save(proposal=proposal, reviewer=user, score=score)
    services.proposal_decide(proposal=high, by=call_edition.lead_reviewer, accept=True)
    rows = selectors.proposals_for_review(call=call, user=call_edition.lead_reviewer)
    assert [(r.proposal.title, r.mean_score, r.reviews, r.my_score) for r in rows] == [
        ("Hoog", 4.5, 2, 5),
        ("Laag", 2.5, 2, 2),
        ("Nog niet gelezen", None, 0, None),
    ]
    themes, organisations = selectors.proposals_spread(rows)
    assert [(t.label, t.submitted, t.accepted) for t in themes] == [
        ("huisvesting", 2, 1),
        ("terugkeer", 1, 0),
    ]
    assert [(o.label, o.submitted, o.accepted) for o in organisations] == [
        ("COA", 1, 0),
        ("IND", 1, 1),
        ("Utrecht", 1, 0),
    ]
    client = Client()
    client.force_login(call_edition.partner_reviewer)
    page = client.get(organise(call_edition.edition.slug))
    assert page.status_code == 200
    assert unscored.title in page.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_the_overview_costs_the_same_queries_for_one_or_three(
    call_edition: CallEdition, count: int, django_assert_num_queries: object
) -> None:
    for n in range(count):
        proposal = propose(call_edition.call, title=f"Voorstel {n}", email=f"host{n}@coa.nl")
        services.review_save(proposal=proposal, reviewer=call_edition.lead_reviewer, score=3)
    client = Client()
    client.force_login(call_edition.lead_reviewer)
    with django_assert_num_queries(8):  # type: ignore[operator]
        assert client.get(organise(call_edition.edition.slug)).status_code == 200


def test_accepting_makes_a_topic_with_hosts_and_mails_every_host(call_edition: CallEdition) -> None:
    proposal = propose(call_edition.call, theme="integration")
    services.proposal_host_invite(
        proposal=proposal,
        by_host=proposal.hosts.get(),
        name="Bram Bakker",
        email="bram@utrecht.nl",
        organisation_name="Gemeente Utrecht",
    )
    client = Client()
    client.force_login(call_edition.partner_reviewer)
    response = client.post(
        organise(call_edition.edition.slug, f"proposals/{proposal.pk}/"),
        {"action": "decide", "decision": "accept", "message": "Graag in zaal A."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    topic = Topic.objects.get()
    assert proposal.topic == topic
    assert (topic.title_nl, topic.kind, topic.theme_nl, topic.theme_en, topic.edition) == (
        "Samen sneller huisvesten",
        "workshop",
        "inburgering en participatie",
        "integration and participation",
        call_edition.edition,
    )
    assert list(Host.objects.values_list("name", "organisation__short_name")) == [
        ("Anna de Vries", "COA"),
        ("Bram Bakker", "Utrecht"),
    ]
    accepted = OutboxMessage.objects.filter(topic="proposals/accepted").order_by("to")
    assert [m.to for m in accepted] == ["anna@coa.nl", "bram@utrecht.nl"]
    assert "Graag in zaal A." in accepted[0].body_text
    with pytest.raises(ValidationError):
        services.proposal_decide(proposal=proposal, by=call_edition.lead_reviewer, accept=False)


def test_rejecting_mails_the_hosts_and_makes_no_topic(call_edition: CallEdition) -> None:
    proposal = propose(call_edition.call)
    services.proposal_decide(proposal=proposal, by=call_edition.lead_reviewer, accept=False)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.topic) == (ProposalStatus.REJECTED, None)
    assert list(OutboxMessage.objects.values_list("topic", "subject").order_by("pk")) == [
        ("proposals/submitted", "Your proposal for Chain Conference 2027"),
        ("proposals/rejected", "About your proposal “Samen sneller huisvesten”"),
    ]
