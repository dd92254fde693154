"""Seeded synthetic participants and workshop preferences, in pure Python (no Django, no DB).

The crowd looks like the one at a chain conference: most people come from IND, COA, DT&V
and municipalities, fewer from ministries, police, NGOs, civil society and knowledge
institutes, a handful from business. Organisation sizes are heavy-tailed. Names are Dutch
(with tussenvoegsels); about one in ten prefers English. Everything is deterministic for a
seed: the same seed gives the same people, another seed gives other people.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .editions import EditionSpec
from .organisations import ORGANISATIONS, OrganisationSpec, ascii_slug

# Share of participants by kind of organisation (renormalised over the kinds present).
KIND_SHARES: dict[str, float] = {
    "national_agency": 0.44,
    "municipality": 0.19,
    "ministry": 0.08,
    "police": 0.06,
    "ngo": 0.09,
    "municipal_association": 0.03,
    "civil_society": 0.04,
    "knowledge_institute": 0.03,
    "business": 0.02,
    "other": 0.02,
}

# How strongly an organisation is present within its kind (default 1), before a
# heavy-tailed random factor per organisation: the Kleine Keten sends the most people.
DEFAULT_PRESENCE: dict[str, float] = {
    "IND": 12.0,
    "COA": 10.0,
    "DT&V": 5.0,
    "J&V": 4.0,
    "VNG": 3.0,
    "Politie": 3.0,
    "VWN": 3.0,
    "Amsterdam": 2.0,
    "Rotterdam": 2.0,
    "Utrecht": 2.0,
}
SIZE_SPREAD = 0.6  # sigma of the log-normal factor on each organisation's weight

# fmt: off
FIRST_NAMES = (
    "Jan", "Peter", "Kees", "Mark", "Martijn", "Bas", "Thomas", "Daan", "Joost", "Ruud",
    "Erik", "Wouter", "Jeroen", "Sander", "Rob", "Tim", "Niels", "Bart", "Arjen", "Hans",
    "Dennis", "Michiel", "Stefan", "Koen", "Maarten", "Frank", "Paul", "Gerard", "Willem",
    "Pieter", "Mohamed", "Ahmed", "Yusuf", "Emre", "Rachid", "Anna", "Maria", "Linda",
    "Sanne", "Anouk", "Lisa", "Esther", "Marieke", "Ingrid", "Monique", "Petra", "Karin",
    "Sandra", "Judith", "Ilse", "Eva", "Femke", "Lotte", "Iris", "Noor", "Sophie", "Marloes",
    "Annemiek", "Hanneke", "Mirjam", "Inge", "Saskia", "Fleur", "Loes", "Nicole", "Wendy",
    "Fatima", "Samira", "Nadia", "Yasmina", "Elif", "Ayse", "Priya", "Shirley", "Desiree",
)
SURNAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
    "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
    "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
    "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel",
    "van der Veen", "van den Broek", "de Bruijn", "de Bruin", "van der Heijden", "Schouten",
    "van Beek", "Willems", "van Wijk", "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam",
    "van der Wal", "Prins", "Blom", "Huisman", "Peeters", "de Jonge", "Kuipers", "van Veen",
    "Post", "Kuiper", "Veenstra", "Kramer", "van den Brink", "Scholten", "van Vliet",
    "van der Laan", "Hermans", "ter Horst", "van 't Hof", "in 't Veld", "Yilmaz", "Kaya",
    "El Amrani", "Bouzid", "Ouali", "Sahin", "Tahiri", "Ramdin", "Baldewsingh", "Martina",
)
# People who prefer English are more often not Dutch by origin.
INTERNATIONAL_FIRST_NAMES = (
    "David", "Sarah", "Elena", "Marco", "Ana", "Tomasz", "Katarzyna", "Andreea", "Lukas",
    "Sofia", "James", "Emma", "Olena", "Dmytro", "Amina", "Hassan", "Grace", "Mateo",
)
INTERNATIONAL_SURNAMES = (
    "Smith", "Rossi", "Kowalski", "Nowak", "Popescu", "Müller", "García", "Silva", "Haddad",
    "Kovalenko", "Shevchenko", "Okafor", "Mensah", "Ahmadi", "Novák", "Schmidt", "Dubois",
)

JOB_TITLES_BY_ORGANISATION: dict[str, tuple[str, ...]] = {
    "IND": ("beslismedewerker", "hoor- en beslismedewerker", "teamleider asiel",
            "procesregisseur", "medewerker aanmeldcentrum", "senior beleidsadviseur"),
    "COA": ("woonbegeleider", "locatiemanager", "medewerker bewonerszaken",
            "casemanager", "medewerker veiligheid", "projectleider nieuwe locaties"),
    "DT&V": ("regievoerder", "teamleider regie", "medewerker vertrekondersteuning",
             "adviseur terugkeer"),
    "Politie": ("medewerker AVIM", "rechercheur mensenhandel", "wijkagent", "teamchef"),
    "KMar": ("grensbewaker", "medewerker mobiel toezicht veiligheid", "operationeel adviseur"),
    "Nidos": ("jeugdbeschermer", "gedragswetenschapper", "teamleider voogdij"),
}
JOB_TITLES_BY_KIND: dict[str, tuple[str, ...]] = {
    "national_agency": ("adviseur", "teamleider", "jurist", "informatieanalist"),
    "ministry": ("beleidsmedewerker", "senior beleidsadviseur", "programmamanager",
                 "directeur", "jurist wetgeving"),
    "municipality": ("beleidsadviseur inburgering", "consulent statushouders",
                     "projectleider huisvesting", "klantmanager werk en inkomen",
                     "wethouder", "regisseur opvang"),
    "municipal_association": ("beleidsadviseur", "adviseur asiel en migratie",
                              "adviseur arbeidsmigratie"),
    "police": ("medewerker vreemdelingenpolitie", "teamleider", "adviseur"),
    "ngo": ("juridisch medewerker", "coördinator vrijwilligers", "maatschappelijk begeleider",
            "beleidsmedewerker", "projectleider"),
    "civil_society": ("vrijwilliger", "coördinator", "projectmedewerker", "bestuurslid"),
    "knowledge_institute": ("onderzoeker", "senior onderzoeker", "adviseur", "programmaleider"),
    "business": ("accountmanager", "adviseur arbeidsmigratie", "HR-manager", "directeur"),
    "other": ("programme officer", "adviseur", "coördinator", "medewerker"),
}

DIETARY_NEEDS = (
    ("", 78.0), ("vegetarisch", 12.0), ("veganistisch", 3.0), ("halal", 3.0),
    ("glutenvrij", 2.0), ("lactosevrij", 1.5), ("notenallergie", 0.5),
)
# fmt: on
ENGLISH_SHARE = 0.09
ENGLISH_SHARE_INTERNATIONAL = 0.5  # kind "other": IOM, UNHCR and the like
STEP_FREE_SHARE = 0.05
NETWORKING_CONSENT_SHARE = 0.70


@dataclass(frozen=True)
class SyntheticParticipant:
    name: str
    given_name: str
    family_name: str
    email: str
    organisation: str  # short name
    organisation_kind: str
    chain_links: tuple[str, ...]  # those of the organisation
    job_title: str
    language: str  # "nl" or "en"
    dietary_needs: str  # mostly empty
    needs_step_free: bool
    networking_consent: bool


def organisation_weights(
    organisations: Sequence[OrganisationSpec],
    rng: random.Random,
    presence: Mapping[str, float] = DEFAULT_PRESENCE,
) -> list[float]:
    """Chance of each organisation to send a participant: kind share x heavy-tailed size."""
    sizes = [
        presence.get(o.short_name, 1.0) * rng.lognormvariate(0.0, SIZE_SPREAD)
        for o in organisations
    ]
    per_kind: dict[str, float] = {}
    for org, size in zip(organisations, sizes, strict=True):
        per_kind[org.kind] = per_kind.get(org.kind, 0.0) + size
    share_total = sum(KIND_SHARES.get(kind, 0.01) for kind in per_kind)
    return [
        KIND_SHARES.get(org.kind, 0.01) / share_total * size / per_kind[org.kind]
        for org, size in zip(organisations, sizes, strict=True)
    ]


def _email_local(given: str, family: str) -> str:
    return ascii_slug(f"{given} {family}").replace("-", ".")


def generate_participants(
    *,
    count: int = 600,
    organisations: Sequence[OrganisationSpec] = ORGANISATIONS,
    seed: int = 0,
    presence: Mapping[str, float] = DEFAULT_PRESENCE,
) -> list[SyntheticParticipant]:
    """``count`` synthetic participants from ``organisations``, the same for the same seed."""
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    if not organisations:
        raise ValueError("organisations is empty: give at least one organisation")
    rng = random.Random(seed)
    weights = organisation_weights(organisations, rng, presence)
    diets, diet_weights = zip(*DIETARY_NEEDS, strict=True)
    emails: set[str] = set()
    people: list[SyntheticParticipant] = []
    for org in rng.choices(organisations, weights=weights, k=count):
        english_share = ENGLISH_SHARE_INTERNATIONAL if org.kind == "other" else ENGLISH_SHARE
        language = "en" if rng.random() < english_share else "nl"
        international = language == "en" and rng.random() < 0.7
        given = rng.choice(INTERNATIONAL_FIRST_NAMES if international else FIRST_NAMES)
        family = rng.choice(INTERNATIONAL_SURNAMES if international else SURNAMES)
        local, number = _email_local(given, family), 1
        email = f"{local}@{org.domain}"
        while email in emails:
            number += 1
            email = f"{local}{number}@{org.domain}"
        emails.add(email)
        titles = JOB_TITLES_BY_ORGANISATION.get(org.short_name) or JOB_TITLES_BY_KIND[org.kind]
        people.append(
            SyntheticParticipant(
                name=f"{given} {family}",
                given_name=given,
                family_name=family,
                email=email,
                organisation=org.short_name,
                organisation_kind=org.kind,
                chain_links=org.chain_links,
                job_title=rng.choice(titles),
                language=language,
                dietary_needs=rng.choices(diets, weights=diet_weights)[0],
                needs_step_free=rng.random() < STEP_FREE_SHARE,
                networking_consent=rng.random() < NETWORKING_CONSENT_SHARE,
            )
        )
    return people


# --- Preferences ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PreferenceTopic:
    """A topic to rank: its key (a slug or a primary key), chain links and language."""

    key: str
    chain_links: tuple[str, ...] = ()
    language: str = "nl"


@dataclass(frozen=True)
class SyntheticPreference:
    """One participant's ranked topics (best first) and the rounds attended (None: all)."""

    email: str
    organisation: str
    ranking: tuple[str, ...]
    rounds: tuple[str, ...] | None


def generate_preferences(
    participants: Sequence[SyntheticParticipant],
    topics: Sequence[PreferenceTopic],
    rounds: Sequence[str],
    seed: int = 0,
    *,
    ranked: tuple[int, int] = (3, 6),
    zipf_exponent: float = 1.0,
    affinity: float = 3.0,
    skip_share: float = 0.12,
) -> list[SyntheticPreference]:
    """Ranked topic lists with skewed popularity, one per participant, deterministic per seed.

    Each topic gets a Zipf-like popularity from a seeded order; a participant favours topics
    on the chain links of their organisation (``affinity`` times) and topics in their own
    language. Each ranks between ``ranked[0]`` and ``ranked[1]`` topics; a ``skip_share`` of
    participants skips one round (when there is more than one).
    """
    if not topics:
        raise ValueError("topics is empty: give at least one topic to rank")
    if len({t.key for t in topics}) != len(topics):
        raise ValueError("topic keys must be unique")
    rng = random.Random(seed)
    order = list(range(len(topics)))
    rng.shuffle(order)
    popularity = [0.0] * len(topics)
    for rank, index in enumerate(order):
        popularity[index] = 1.0 / (rank + 1) ** zipf_exponent
    low, high = (min(n, len(topics)) for n in ranked)
    preferences = []
    for person in participants:
        links = set(person.chain_links)
        keyed = []
        for index, topic in enumerate(topics):
            weight = popularity[index]
            if links.intersection(topic.chain_links):
                weight *= affinity
            if topic.language != person.language:
                weight *= 0.3
            # Weighted sampling without replacement (Efraimidis-Spirakis).
            keyed.append((rng.random() ** (1.0 / weight), index))
        keyed.sort(reverse=True)
        length = rng.randint(low, high)
        attended: tuple[str, ...] | None = None
        if len(rounds) > 1 and rng.random() < skip_share:
            skipped = rng.choice(list(rounds))
            attended = tuple(r for r in rounds if r != skipped)
        preferences.append(
            SyntheticPreference(
                email=person.email,
                organisation=person.organisation,
                ranking=tuple(topics[index].key for _, index in keyed[:length]),
                rounds=attended,
            )
        )
    return preferences


def edition_preference_topics(spec: EditionSpec) -> tuple[list[PreferenceTopic], list[str]]:
    """The topics that run in the workshop rounds of a demo edition, and those rounds."""
    rounds = [key for key, kind, *_ in spec.blocks if kind == "round"]
    keys = {topic for block in rounds for topic, _room, _cap in spec.sessions.get(block, ())}
    topics = [
        PreferenceTopic(t.key, t.chain_links, t.language) for t in spec.topics if t.key in keys
    ]
    return topics, rounds
