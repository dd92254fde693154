"""Real organisations of the Dutch migration chain, as plain data for the demo.

Only facts: the name, a usual short name, what kind of organisation it is and the links of
the chain it works on. Kinds and links are the values of ``OrganisationKind`` and
``ChainLink`` in :mod:`ketenconf.events.models`; this module imports no Django so the
participant generator can use it without a database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    short_name: str
    kind: str
    chain_links: tuple[str, ...] = ()

    @property
    def domain(self) -> str:
        """A mail domain for synthetic people of this organisation, under ``.example``."""
        return f"{ascii_slug(self.short_name or self.name)}.example"


def ascii_slug(text: str) -> str:
    """``'s-Hertogenbosch`` -> ``s-hertogenbosch``, ``DT&V`` -> ``dtv``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = re.sub(r"[&'.]", "", plain.lower())
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


ARR, REC, ASY, HOU = "arrival", "reception", "asylum_procedure", "housing"
INT, RET, RES, LAB = "integration", "return", "resettlement", "labour_migration"

# (name, short name, kind, links of the chain)
_ORGANISATIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    # The Kleine Keten and the other national agencies
    ("Immigratie- en Naturalisatiedienst", "IND", "national_agency", (ARR, ASY, RES, LAB)),
    ("Centraal Orgaan opvang asielzoekers", "COA", "national_agency", (ARR, REC, RES, INT)),
    ("Dienst Terugkeer en Vertrek", "DT&V", "national_agency", (RET,)),
    ("Raad voor Rechtsbijstand", "RvR", "national_agency", (ASY,)),
    ("Dienst Justitiële Inrichtingen", "DJI", "national_agency", (RET,)),
    ("Uitvoeringsinstituut Werknemersverzekeringen", "UWV", "national_agency", (INT, LAB)),
    ("Nederlandse Arbeidsinspectie", "NLA", "national_agency", (LAB,)),
    ("Dienst Uitvoering Onderwijs", "DUO", "national_agency", (INT,)),
    # Ministries
    ("Ministerie van Justitie en Veiligheid", "J&V", "ministry", (ARR, REC, ASY, RET, RES)),
    ("Ministerie van Sociale Zaken en Werkgelegenheid", "SZW", "ministry", (INT, LAB)),
    ("Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "BZK", "ministry", (HOU,)),
    ("Ministerie van Buitenlandse Zaken", "BZ", "ministry", (ARR, RET)),
    # Police and border guard
    ("Nationale Politie", "Politie", "police", (ARR, RET, LAB)),
    ("Koninklijke Marechaussee", "KMar", "police", (ARR, RET)),
    # Municipalities and their associations
    ("Vereniging van Nederlandse Gemeenten", "VNG", "municipal_association", (REC, HOU, INT, LAB)),
    ("Divosa", "Divosa", "municipal_association", (INT, LAB)),
    ("Gemeente 's-Hertogenbosch", "'s-Hertogenbosch", "municipality", (REC, HOU, INT)),
    ("Gemeente Utrecht", "Utrecht", "municipality", (REC, HOU, INT, LAB)),
    ("Gemeente Amsterdam", "Amsterdam", "municipality", (REC, HOU, INT, RET)),
    ("Gemeente Rotterdam", "Rotterdam", "municipality", (HOU, INT, LAB)),
    ("Gemeente Den Haag", "Den Haag", "municipality", (HOU, INT, LAB)),
    ("Gemeente Westerwolde", "Westerwolde", "municipality", (ARR, REC)),
    ("Gemeente Zwolle", "Zwolle", "municipality", (HOU, INT)),
    ("Gemeente Westland", "Westland", "municipality", (HOU, LAB)),
    ("Gemeente Venlo", "Venlo", "municipality", (HOU, LAB)),
    ("Gemeente Groningen", "Groningen", "municipality", (REC, HOU, INT)),
    # NGOs and international organisations
    ("VluchtelingenWerk Nederland", "VWN", "ngo", (ASY, REC, INT)),
    ("Nidos", "Nidos", "ngo", (REC, INT)),
    ("Het Nederlandse Rode Kruis", "Rode Kruis", "ngo", (ARR, REC)),
    ("Stichting Landelijk Ongedocumenteerden Steunpunt", "Stichting LOS", "ngo", (RET,)),
    ("Defence for Children", "Defence for Children", "ngo", (REC, ASY)),
    ("Stichting voor Vluchteling-Studenten UAF", "UAF", "ngo", (INT,)),
    ("Internationale Organisatie voor Migratie", "IOM", "other", (RET, RES)),
    ("UNHCR Nederland", "UNHCR", "other", (ASY, RES)),
    ("GGD GHOR Nederland", "GGD GHOR", "other", (REC,)),
    # Civil society
    ("Humanitas", "Humanitas", "civil_society", (INT,)),
    ("Kerk in Actie", "Kerk in Actie", "civil_society", (REC, INT)),
    ("COC Nederland", "COC", "civil_society", (REC, ASY)),
    # Knowledge institutes
    ("Pharos", "Pharos", "knowledge_institute", (REC, INT, LAB)),
    ("Instituut Clingendael", "Clingendael", "knowledge_institute", ()),
    ("Wetenschappelijk Onderzoek- en Documentatiecentrum", "WODC", "knowledge_institute", ()),
    ("Movisie", "Movisie", "knowledge_institute", (INT,)),
    ("Centraal Bureau voor de Statistiek", "CBS", "knowledge_institute", ()),
    # Businesses and their associations
    ("Algemene Bond Uitzendondernemingen", "ABU", "business", (LAB,)),
    ("Nederlandse Bond van Bemiddelings- en Uitzendondernemingen", "NBBU", "business", (LAB,)),
    ("Stichting Normering Arbeid", "SNA", "business", (LAB,)),
)

ORGANISATIONS: tuple[OrganisationSpec, ...] = tuple(
    OrganisationSpec(name, short, kind, links) for name, short, kind, links in _ORGANISATIONS
)

BY_SHORT_NAME: dict[str, OrganisationSpec] = {spec.short_name: spec for spec in ORGANISATIONS}
