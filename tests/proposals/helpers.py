from __future__ import annotations

import re
from typing import Any

from ketenconf.mail.models import OutboxMessage
from ketenconf.proposals import services
from ketenconf.proposals.models import Call, Proposal

FIELDS: dict[str, Any] = {
    "title": "Samen sneller huisvesten",
    "summary": "Gemeenten en COA delen hoe statushouders sneller een woning vinden.",
    "kind": "workshop",
    "theme": "housing",
    "language": "nl",
    "wanted_size": 30,
    "needs_step_free": False,
    "needs_projector": True,
    "other_needs": "",
    "may_run_twice": False,
}


def propose(
    call: Call,
    *,
    email: str = "anna@coa.nl",
    name: str = "Anna de Vries",
    organisation: str = "COA",
    rounds: tuple[int, ...] = (),
    language: str = "en",
    **overrides: Any,
) -> Proposal:
    return services.proposal_submit(
        call=call,
        host_name=name,
        host_email=email,
        host_organisation_name=organisation,
        host_language=language,
        available_round_ids=rounds,
        **{**FIELDS, **overrides},
    )


def link_path(message: OutboxMessage) -> str:
    found = re.search(r"https?://[^/\s]+(/\S+)", message.body_text)
    assert found is not None, message.body_text
    return found.group(1)


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {k: v for k, v in FIELDS.items() if v is not False}
    data.update(overrides)
    return data
