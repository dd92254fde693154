from __future__ import annotations

import pytest

from ketenconf.events.models import Edition, Organisation
from ketenconf.market import services
from ketenconf.market.models import FloorPosition, Stand, StandStatus
from tests.factories import EditionFactory, OrganisationFactory


@pytest.fixture
def edition(db: None) -> Edition:
    return EditionFactory(
        slug="ketenconferentie-2027",
        title_nl="Ketenconferentie 2027",
        title_en="Chain Conference 2027",
    )


def stand(
    edition: Edition,
    name: str,
    org: Organisation | None = None,
    themes: tuple[str, ...] = (),
    *,
    accepted: bool = True,
    needs_power: bool = False,
) -> Stand:
    return Stand.objects.create(
        edition=edition,
        organisation=org or OrganisationFactory(name=f"Organisatie {name}", short_name=name[:10]),
        name=name,
        description=f"Over {name}.",
        themes=list(themes),
        needs_power=needs_power,
        contact_name="Contact",
        contact_email="contact@example.org",
        status=StandStatus.ACCEPTED if accepted else StandStatus.APPLIED,
    )


def grid(
    edition: Edition, rows: int, columns: int, power: tuple[int, ...] = ()
) -> list[FloorPosition]:
    return services.floor_grid_create(
        edition=edition, rows=rows, columns=columns, power_columns=power
    )
