"""What people at a chain conference want to talk about: the links of the chain and themes.

One vocabulary for networking interests and for the themes of market stands. The keys are
plain strings (the engine and the benchmark use them without Django); the labels are here
for the pages.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: Themes that cut across the chain, after what people came for in 2018 and 2024.
THEME_KEYS: tuple[str, ...] = (
    "flexibility",
    "information_exchange",
    "minors",
    "health_wellbeing",
    "work_income",
    "language_education",
    "safety",
    "exploitation",
    "legal_aid",
    "public_private",
)

#: The links of the chain, the same keys as ``ketenconf.events.models.ChainLink``.
CHAIN_LINK_KEYS: tuple[str, ...] = (
    "arrival",
    "reception",
    "asylum_procedure",
    "housing",
    "integration",
    "return",
    "resettlement",
    "labour_migration",
)

INTEREST_KEYS: tuple[str, ...] = CHAIN_LINK_KEYS + THEME_KEYS

THEME_LABELS: dict[str, Promise] = {
    "flexibility": _("a flexible chain that copes with changing numbers"),
    "information_exchange": _("sharing information along the chain"),
    "minors": _("unaccompanied minors"),
    "health_wellbeing": _("health and wellbeing"),
    "work_income": _("work and income"),
    "language_education": _("language and education"),
    "safety": _("safety and nuisance"),
    "exploitation": _("exploitation and human trafficking"),
    "legal_aid": _("legal aid"),
    "public_private": _("public-private cooperation"),
}

CHAIN_LINK_LABELS: dict[str, Promise] = {
    "arrival": _("arrival"),
    "reception": _("reception"),
    "asylum_procedure": _("asylum procedure"),
    "housing": _("housing"),
    "integration": _("integration and participation"),
    "return": pgettext_lazy("chain link", "return"),
    "resettlement": _("resettlement"),
    "labour_migration": _("labour migration"),
}


def interest_label(key: str) -> str:
    label = CHAIN_LINK_LABELS.get(key) or THEME_LABELS.get(key)
    return str(label) if label is not None else key


def interest_choices() -> list[tuple[str, str]]:
    return [(key, interest_label(key)) for key in INTEREST_KEYS]
