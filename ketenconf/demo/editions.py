"""The two demo editions as plain data: series, venue, rooms, blocks of the day, topics, sessions.

The facts (dates, places, theme, organisers, the opening, the panel, the closing talk show,
the four sub-sessions on labour migration) come from two news items on the Ketenconferentie
2018 and the congress "Van Migratie tot Participatie" 2024. The other workshops and their
hosts are invented but plausible, to give the demo full workshop rounds; the room names and
capacities are invented too. Organisations are named by their short name in
:mod:`ketenconf.demo.organisations`. No Django import: the data is checked when loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

# Demo accounts: a superuser, and a staff user for each lead organisation, who is lead
# organiser of the editions it leads and partner organiser of those it partners in.
ORGANISER_USERNAME = "organisator"
STAFF_USERS: tuple[tuple[str, str], ...] = (("dtv", "DT&V"), ("vng", "VNG"), ("jenv", "J&V"))
# Door staff: an account that checks people in at one edition and sees nothing else.
DOOR_STAFF_USERS: tuple[tuple[str, str], ...] = (("deur", "ketenconferentie-2027"),)
# A host: sees their own sessions (the first two workshops of the edition) and who is in them.
HOST_USERS: tuple[tuple[str, str], ...] = (("gastheer", "ketenconferentie-2018"),)

# Labels of the chain links, used as the theme of a topic: (Dutch, English).
CHAIN_LINK_THEMES: dict[str, tuple[str, str]] = {
    "arrival": ("aankomst", "arrival"),
    "reception": ("opvang", "reception"),
    "asylum_procedure": ("asielprocedure", "asylum procedure"),
    "housing": ("huisvesting", "housing"),
    "integration": ("inburgering en participatie", "integration and participation"),
    "return": ("terugkeer", "return"),
    "resettlement": ("hervestiging", "resettlement"),
    "labour_migration": ("arbeidsmigratie", "labour migration"),
}


@dataclass(frozen=True)
class SeriesSpec:
    slug: str
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str
    partners: tuple[str, ...]  # short names, in the order the lead rotates


@dataclass(frozen=True)
class HostSpec:
    name: str
    role_nl: str
    role_en: str
    organisation: str | None  # short name; None when the source gives none


@dataclass(frozen=True)
class TopicSpec:
    key: str
    kind: str
    title_nl: str
    title_en: str
    description_nl: str
    description_en: str
    hosts: tuple[HostSpec, ...]
    chain_links: tuple[str, ...] = ()
    language: str = "nl"


@dataclass(frozen=True)
class EditionSpec:
    series: str
    slug: str
    title_nl: str
    title_en: str
    theme_nl: str
    theme_en: str
    description_nl: str
    description_en: str
    day: date
    venue: tuple[str, str, str]  # name, address, city
    capacity: int
    lead: str
    rooms: tuple[tuple[str, int, bool], ...]  # name, capacity, step-free
    blocks: tuple[tuple[str, str, str, str, str, str], ...]  # key, kind, start, end, nl, en
    topics: tuple[TopicSpec, ...]
    sessions: dict[str, tuple[tuple[str, str, int | None], ...]]  # block -> (topic, room, cap)
    status: str = "finished"


def _host(name: str, role_nl: str, role_en: str, organisation: str | None) -> HostSpec:
    return HostSpec(name, role_nl, role_en, organisation)


SERIES: tuple[SeriesSpec, ...] = (
    SeriesSpec(
        slug="ketenconferentie",
        name_nl="Ketenconferentie",
        name_en="Migration Chain Conference",
        description_nl=(
            "Terugkerende conferentie voor iedereen die in de vreemdelingenketen werkt. "
            "De Kleine Keten (IND, COA en DT&V) en het ministerie van Justitie en Veiligheid "
            "organiseren haar samen; de partners nemen om de beurt de leiding."
        ),
        description_en=(
            "A recurring conference for everyone working in the immigration chain. The "
            "'Kleine Keten' (IND, COA and DT&V) and the Ministry of Justice and Security put it "
            "on together; the partners take turns in the lead."
        ),
        partners=("IND", "COA", "DT&V", "J&V"),
    ),
    SeriesSpec(
        slug="van-migratie-tot-participatie",
        name_nl="Van Migratie tot Participatie",
        name_en="From Migration to Participation",
        description_nl=(
            "Landelijk congres over samenwerken in de migratieketen als geheel: van de opvang "
            "van asielzoekers tot arbeidsmigratie. De VNG organiseert het met de ministeries van "
            "JenV, SZW en BZK."
        ),
        description_en=(
            "National congress on working together across the whole migration chain, from "
            "asylum reception to labour migration, organised by the Association of "
            "Netherlands Municipalities with the ministries of J&V, SZW and BZK."
        ),
        partners=("VNG", "J&V", "SZW", "BZK"),
    ),
)


# --- Ketenconferentie 2018 -------------------------------------------------------------------

_TOPICS_2018: tuple[TopicSpec, ...] = (
    TopicSpec(
        key="opening",
        kind="keynote",
        title_nl="Opening door de staatssecretaris",
        title_en="Opening by the State Secretary",
        description_nl=(
            "De staatssecretaris opent de dag. Migratie hoort bij elke tijd, ook bij de "
            "toekomst; na jaren met een zeer hoge asielinstroom is de vraag hoe de keten "
            "samen een instroom opvangt die op en neer gaat."
        ),
        description_en=(
            "The State Secretary opens the day. Migration belongs to every era, the future "
            "included; after years of very high asylum numbers the question is how the chain "
            "can jointly absorb an inflow that rises and falls."
        ),
        hosts=(
            _host(
                "Mark Harbers",
                "staatssecretaris van Justitie en Veiligheid",
                "State Secretary for Justice and Security",
                "J&V",
            ),
        ),
    ),
    TopicSpec(
        key="talk-show",
        kind="talk_show",
        title_nl="De Migratieketen Draait Door",
        title_en="De Migratieketen Draait Door (talk show)",
        description_nl=(
            "Talkshow ter afsluiting, met de top van de keten aan tafel. Centrale vraag: hoe "
            "komen we van goede voornemens tot uitvoering?"
        ),
        description_en=(
            "Closing talk show with the heads of the chain at the table, on one question: how "
            "do good intentions turn into action?"
        ),
        hosts=(
            _host("Jan Kees Goet", "DG Migratie", "Director-General for Migration", "J&V"),
            _host("Aly van Berckel", "hoofddirecteur IND", "Director-General of the IND", "IND"),
            _host("Gerard Bakker", "bestuursvoorzitter COA", "Chair of the COA board", "COA"),
            _host(
                "Jannita Robberse",
                "algemeen directeur DT&V",
                "Director-General of the DT&V",
                "DT&V",
            ),
        ),
    ),
    TopicSpec(
        key="flexible-capacity",
        kind="workshop",
        title_nl="Meebewegen met de instroom: opvangplekken op- en afschalen",
        title_en="Moving with the inflow: scaling reception places up and down",
        description_nl=(
            "Hoe houd je genoeg plekken achter de hand zonder dure leegstand? Aan de hand van "
            "scenario's zoeken we naar afspraken die snel op- en afschalen mogelijk maken."
        ),
        description_en=(
            "How do you keep enough places in reserve without costly empty buildings? Using "
            "scenarios, we look for agreements that let reception scale quickly both ways."
        ),
        hosts=(
            _host(
                "Marieke Hoogland",
                "programmamanager opvangcapaciteit",
                "programme manager, reception capacity",
                "COA",
            ),
        ),
        chain_links=("reception",),
    ),
    TopicSpec(
        key="one-line-procedure",
        kind="workshop",
        title_nl="Eén lijn van aanmelding tot beslissing",
        title_en="One line from application to decision",
        description_nl=(
            "Wat gebeurt er met een asielaanvraag tussen aanmelding en beslissing, en waar "
            "loopt het vast als de aantallen pieken? Een werksessie over doorlooptijden."
        ),
        description_en=(
            "What happens to an asylum application between registration and decision, and "
            "where does it get stuck when numbers peak? A working session on lead times."
        ),
        hosts=(
            _host("Ruud Verbeek", "ketenregisseur asiel", "asylum chain coordinator", "IND"),
            _host("Esther Kok", "senior beslismedewerker", "senior case officer", "IND"),
        ),
        chain_links=("asylum_procedure",),
    ),
    TopicSpec(
        key="return-from-day-one",
        kind="workshop",
        title_nl="Vertrek bespreekbaar maken vanaf de eerste dag",
        title_en="Talking about departure from day one",
        description_nl=(
            "Wie geen verblijfsrecht krijgt, moet vertrekken. Regievoerders en IOM laten zien "
            "hoe een vroeg en eerlijk gesprek over de toekomst zelfstandig vertrek helpt."
        ),
        description_en=(
            "Those who are refused a residence permit must leave. Case managers and IOM show "
            "how an early and honest talk about the future supports voluntary departure."
        ),
        hosts=(
            _host("Hanneke Smit", "regievoerder", "return case manager", "DT&V"),
            _host(
                "Peter Vos",
                "coördinator vrijwillige terugkeer",
                "voluntary return coordinator",
                "IOM",
            ),
        ),
        chain_links=("return",),
    ),
    TopicSpec(
        key="registration-identification",
        kind="workshop",
        title_nl="Registreren en identificeren bij aankomst",
        title_en="Registration and identification on arrival",
        description_nl=(
            "De eerste uren na aankomst bepalen veel van wat volgt. Politie en marechaussee "
            "vertellen hoe zij identiteit vaststellen en gegevens doorgeven aan de keten."
        ),
        description_en=(
            "The first hours after arrival shape much of what follows. Police and border guard "
            "explain how they establish identity and pass data on to the chain."
        ),
        hosts=(
            _host("Erik Mulder", "teamleider AVIM", "team leader, AVIM", "Politie"),
            _host(
                "Linda de Wit",
                "operationeel adviseur grensbewaking",
                "operational adviser, border control",
                "KMar",
            ),
        ),
        chain_links=("arrival",),
    ),
    TopicSpec(
        key="resettlement",
        kind="workshop",
        title_nl="Hervestiging: van selectiemissie tot eerste woning",
        title_en="Resettlement: from selection mission to first home",
        description_nl=(
            "Een Engelstalige workshop over het traject van hervestigde vluchtelingen, van de "
            "selectie in het buitenland tot de aankomst in een Nederlandse gemeente."
        ),
        description_en=(
            "Follow the path of resettled refugees, from selection abroad to arrival in a "
            "Dutch municipality, and the hand-overs between the organisations on the way."
        ),
        hosts=(
            _host("Sarah Okafor", "medewerker hervestiging", "resettlement officer", "UNHCR"),
            _host("Bart Jacobs", "teamleider hervestiging", "resettlement team leader", "IND"),
        ),
        chain_links=("resettlement",),
        language="en",
    ),
    TopicSpec(
        key="early-integration",
        kind="workshop",
        title_nl="Vroeg beginnen met meedoen, al in de opvang",
        title_en="Starting to take part early, while still in reception",
        description_nl=(
            "Taal, werk en een netwerk: hoe gemeenten en het COA al tijdens het verblijf in een "
            "azc werken aan de toekomst van bewoners."
        ),
        description_en=(
            "Language, work and a network: how municipalities and COA work on residents' "
            "future while they still live in a reception centre."
        ),
        hosts=(
            _host("Fatima El Amrani", "adviseur participatie", "participation adviser", "COA"),
            _host(
                "Joris van Leeuwen",
                "beleidsadviseur inburgering",
                "policy adviser, integration",
                "Utrecht",
            ),
        ),
        chain_links=("integration",),
    ),
    TopicSpec(
        key="housing-permit-holders",
        kind="workshop",
        title_nl="Huisvesting van vergunninghouders: de taakstelling halen",
        title_en="Housing permit holders: meeting the municipal target",
        description_nl=(
            "Gemeenten moeten elk halfjaar een aantal vergunninghouders huisvesten. Wat helpt "
            "als de woningmarkt krap is en de aantallen schommelen?"
        ),
        description_en=(
            "Every six months municipalities must house a set number of permit holders. What "
            "helps when housing is scarce and numbers swing?"
        ),
        hosts=(
            _host("Anouk Verhoeven", "adviseur huisvesting", "housing adviser", "VNG"),
            _host(
                "Tom Hendriks",
                "projectleider huisvesting statushouders",
                "project lead, housing refugees",
                "'s-Hertogenbosch",
            ),
        ),
        chain_links=("housing",),
    ),
    TopicSpec(
        key="unaccompanied-minors",
        kind="workshop",
        title_nl="Alleenstaande minderjarigen door de keten",
        title_en="Unaccompanied minors through the chain",
        description_nl=(
            "Kinderen zonder ouders hebben een voogd en aparte opvang. Een interactieve sessie "
            "over de overdrachten tussen Nidos, COA en IND."
        ),
        description_en=(
            "Children without parents get a guardian and separate reception. An interactive "
            "session on the hand-overs between Nidos, COA and IND."
        ),
        hosts=(_host("Iris Dekker", "jeugdbeschermer", "guardian", "Nidos"),),
        chain_links=("reception", "asylum_procedure"),
    ),
    TopicSpec(
        key="legal-aid",
        kind="workshop",
        title_nl="Rechtsbijstand in een procedure die versnelt en vertraagt",
        title_en="Legal aid in a procedure that speeds up and slows down",
        description_nl=(
            "Advocaten en VluchtelingenWerk moeten hun inzet aanpassen aan de planning van de "
            "IND. Hoe blijft de bijstand goed als het tempo verandert?"
        ),
        description_en=(
            "Lawyers and the Dutch Council for Refugees must fit their work to the IND's "
            "planning. How does assistance stay good when the pace changes?"
        ),
        hosts=(
            _host(
                "Mark Brouwer",
                "beleidsmedewerker asiel",
                "policy officer, asylum",
                "RvR",
            ),
            _host(
                "Noor Hoekstra",
                "coördinator asielprocedure",
                "asylum procedure coordinator",
                "VWN",
            ),
        ),
        chain_links=("asylum_procedure",),
    ),
    TopicSpec(
        key="health-care",
        kind="workshop",
        title_nl="Gezondheidszorg voor asielzoekers bij wisselende aantallen",
        title_en="Health care for asylum seekers when numbers change",
        description_nl=(
            "Van de eerste medische screening tot de huisarts in de regio: hoe de publieke "
            "gezondheidszorg snel opschaalt bij een nieuwe opvanglocatie."
        ),
        description_en=(
            "From the first medical screening to the local GP: how public health services "
            "scale up quickly when a new reception location opens."
        ),
        hosts=(
            _host(
                "Jeroen Bakker",
                "arts infectieziektebestrijding",
                "public health physician",
                "GGD GHOR",
            ),
        ),
        chain_links=("reception",),
    ),
    TopicSpec(
        key="forecasting",
        kind="workshop",
        title_nl="Vooruitkijken: prognoses en scenario's voor de keten",
        title_en="Looking ahead: forecasts and scenarios for the chain",
        description_nl=(
            "Hoe betrouwbaar is een prognose van de instroom, en hoe plan je als die onzeker "
            "is? Onderzoekers en beleidsmakers over werken met scenario's."
        ),
        description_en=(
            "How reliable is a forecast of the inflow, and how do you plan when it is "
            "uncertain? Researchers and policy makers on working with scenarios."
        ),
        hosts=(
            _host("Wouter Scholten", "onderzoeker", "researcher", "WODC"),
            _host("Ilse van Dam", "beleidsadviseur", "policy adviser", "J&V"),
        ),
        chain_links=("arrival",),
    ),
    TopicSpec(
        key="sharing-data",
        kind="workshop",
        title_nl="Gegevens delen in de keten met oog voor privacy",
        title_en="Sharing data in the chain, with privacy in mind",
        description_nl=(
            "Welke gegevens mag een ketenpartner van een ander krijgen, en wanneer niet? "
            "Praktijkgevallen over de grenzen van informatie-uitwisseling."
        ),
        description_en=(
            "Which data may one chain partner receive from another, and when not? Cases from "
            "practice on the limits of information exchange."
        ),
        hosts=(
            _host(
                "Kees de Graaf",
                "adviseur informatievoorziening",
                "information management adviser",
                "J&V",
            ),
        ),
        chain_links=("asylum_procedure", "return"),
    ),
    TopicSpec(
        key="undocumented",
        kind="workshop",
        title_nl="Als vertrek niet lukt: ongedocumenteerden in de gemeente",
        title_en="When departure does not happen: undocumented people in the municipality",
        description_nl=(
            "Een gemeente en een steunpunt over de praktijk van opvang en begeleiding van "
            "mensen zonder verblijfsrecht die (nog) niet vertrekken."
        ),
        description_en=(
            "A municipality and a support centre on sheltering and guiding people without "
            "a right of residence who have not (yet) left."
        ),
        hosts=(
            _host("Mirjam Post", "beleidsmedewerker", "policy officer", "Stichting LOS"),
            _host("Daan Willems", "programmamanager", "programme manager", "Amsterdam"),
        ),
        chain_links=("return",),
    ),
    TopicSpec(
        key="volunteers",
        kind="workshop",
        title_nl="Vrijwilligers en maatschappelijke organisaties als schakel",
        title_en="Volunteers and civil society as a link in the chain",
        description_nl=(
            "Duizenden vrijwilligers begeleiden asielzoekers en statushouders. Hoe sluit hun "
            "werk aan op dat van de professionals?"
        ),
        description_en=(
            "Thousands of volunteers support asylum seekers and refugees. How does their work "
            "connect with that of the professionals?"
        ),
        hosts=(
            _host("Lotte Maas", "regiomanager", "regional manager", "VWN"),
            _host(
                "Henk Visser",
                "coördinator vluchtelingenwerk",
                "refugee work coordinator",
                "Kerk in Actie",
            ),
        ),
        chain_links=("integration",),
    ),
)

#: The rooms that are not set up for workshops; every other room of the demo is.
ROOM_KINDS = {
    "Plenaire zaal": "plenary",
    "Beursvloer": "market_floor",
    "Foyer": "market_floor",
}

KETENCONFERENTIE_2018 = EditionSpec(
    series="ketenconferentie",
    slug="ketenconferentie-2018",
    title_nl="Ketenconferentie 2018",
    title_en="Migration Chain Conference 2018",
    theme_nl="Samen werken aan flexibilisering in de migratieketen",
    theme_en="Working together on a more flexible migration chain",
    description_nl=(
        "Op 12 april 2018 kwamen bijna zeshonderd medewerkers uit de hele vreemdelingenketen "
        "naar Den Bosch. De vraag van de dag: hoe kan de keten meebewegen met een instroom die "
        "sterk op en neer gaat?\n\n"
        "Na de opening door de staatssecretaris volgden twee workshoprondes, over alles van "
        "aankomst tot inburgering en van hervestiging tot terugkeer, en een beursvloer met "
        "stands. De dag sloot af met een talkshow met de top van de keten en een borrel.\n\n"
        "Organisatie: de Kleine Keten (IND, COA en DT&V) en het ministerie van Justitie en "
        "Veiligheid. Dit jaar had de DT&V de leiding."
    ),
    description_en=(
        "On 12 April 2018 almost six hundred people from across the immigration chain came to "
        "'s-Hertogenbosch. The question of the day: how can the chain move with an inflow that "
        "rises and falls sharply?\n\n"
        "After the opening by the State Secretary came two rounds of workshops, on everything "
        "from arrival to integration and from resettlement to return, and an exhibition floor "
        "with stands. The day ended with a talk show with the heads of the chain and drinks.\n\n"
        "Organised by the 'Kleine Keten' (IND, COA and DT&V) and the Ministry of Justice and "
        "Security, with DT&V in the lead this year."
    ),
    day=date(2018, 4, 12),
    venue=("Congrescentrum", "", "'s-Hertogenbosch"),
    capacity=600,
    lead="DT&V",
    rooms=(
        ("Plenaire zaal", 620, True),
        ("Beursvloer", 600, True),
        ("Zaal Dommel", 120, True),
        ("Zaal Aa", 110, True),
        ("Zaal Dieze", 100, True),
        ("Zaal Maas", 90, True),
        ("Zaal Binnendieze", 80, True),
        ("Zaal Mark", 60, False),
        ("Zaal Donge", 50, True),
        ("Zaal Leij", 40, False),
        ("Zaal Run", 30, False),
    ),
    blocks=(
        ("welcome", "break", "09:00", "09:45", "Ontvangst met koffie", "Welcome and coffee"),
        ("opening", "plenary", "09:45", "10:30", "Plenaire opening", "Plenary opening"),
        ("market", "market", "10:30", "11:00", "Beursvloer", "Exhibition floor"),
        ("round-1", "round", "11:00", "12:15", "Workshopronde 1", "Workshop round 1"),
        ("lunch", "break", "12:15", "13:15", "Lunch", "Lunch"),
        ("networking", "networking", "13:15", "14:00", "Netwerken", "Networking"),
        ("round-2", "round", "14:00", "15:15", "Workshopronde 2", "Workshop round 2"),
        ("closing", "closing", "15:30", "16:30", "Afsluiting", "Closing"),
        ("drinks", "drinks", "16:30", "18:00", "Netwerkborrel", "Networking drinks"),
    ),
    topics=_TOPICS_2018,
    sessions={
        "opening": (("opening", "Plenaire zaal", None),),
        "round-1": (
            ("flexible-capacity", "Zaal Dommel", None),
            ("one-line-procedure", "Zaal Aa", None),
            ("return-from-day-one", "Zaal Dieze", None),
            ("early-integration", "Zaal Maas", None),
            ("registration-identification", "Zaal Binnendieze", None),
            ("forecasting", "Zaal Mark", None),
            ("unaccompanied-minors", "Zaal Donge", 40),
            ("volunteers", "Zaal Leij", None),
            ("resettlement", "Zaal Run", 25),
        ),
        "round-2": (
            ("one-line-procedure", "Zaal Dommel", None),
            ("flexible-capacity", "Zaal Aa", None),
            ("early-integration", "Zaal Dieze", None),
            ("return-from-day-one", "Zaal Maas", None),
            ("housing-permit-holders", "Zaal Binnendieze", None),
            ("sharing-data", "Zaal Mark", None),
            ("legal-aid", "Zaal Donge", None),
            ("health-care", "Zaal Leij", None),
            ("undocumented", "Zaal Run", None),
        ),
        "closing": (("talk-show", "Plenaire zaal", None),),
    },
)


# --- Van Migratie tot Participatie 2024 -----------------------------------------------------

_CHAIR = _host("Katinka Baehr", "dagvoorzitter", "chair of the day", None)

_TOPICS_2024: tuple[TopicSpec, ...] = (
    TopicSpec(
        key="opening",
        kind="keynote",
        title_nl="Opening: meedoen vanaf de eerste dag",
        title_en="Opening: taking part from the first day",
        description_nl=(
            "De dagvoorzitter en een bestuurslid van het COA openen het congres, met een "
            "pleidooi om nieuwkomers zo vroeg mogelijk een plek in de samenleving te geven."
        ),
        description_en=(
            "The chair of the day and a member of the COA board open the congress, making the "
            "case for giving newcomers a place in society as early as possible."
        ),
        hosts=(_CHAIR, _host("Anita Bastiaans", "bestuurslid COA", "COA board member", "COA")),
    ),
    TopicSpec(
        key="panel",
        kind="panel",
        title_nl="Panel: wat migratie brengt en vraagt",
        title_en="Panel: what migration brings and asks",
        description_nl=(
            "Een filosoof, een onderzoeker van migratiebeleid en de directeur van Clingendael "
            "wegen af wat migratie oplevert en wat het kost, en delen voorbeelden die werken, zoals een "
            "kleine opvanglocatie in Duitsland die ook hotel, café en kunstenaarsateliers is."
        ),
        description_en=(
            "A philosopher, a migration policy researcher and the director of Clingendael weigh "
            "the pros and cons of migration and share examples that work, such as a small "
            "reception centre in Germany that doubles as a hotel, café and artists' studios."
        ),
        hosts=(
            _host("Ad Verbrugge", "filosoof", "philosopher", None),
            _host(
                "Karin Geuijen",
                "docent en onderzoeker migratiebeleid",
                "lecturer and researcher in migration policy",
                None,
            ),
            _host(
                "Monika Sie",
                "directeur Instituut Clingendael",
                "director of the Clingendael Institute",
                "Clingendael",
            ),
        ),
    ),
    TopicSpec(
        key="closing",
        kind="keynote",
        title_nl="Afsluiting van de dag",
        title_en="Closing of the day",
        description_nl="De dagvoorzitter blikt terug op de deelsessies en sluit het congres af.",
        description_en="The chair of the day looks back on the sub-sessions and closes the congress.",
        hosts=(_CHAIR,),
    ),
    TopicSpec(
        key="labour-mini-lecture",
        kind="mini_lecture",
        title_nl="Minicollege arbeidsmigratie",
        title_en="Mini-lecture on labour migration",
        description_nl=(
            "In 2020 publiceerde het Aanjaagteam Bescherming Arbeidsmigranten (voorzitter: "
            "Emile Roemer) twee rapporten met aanbevelingen waar gemeenten mee aan de slag "
            "moeten. De VNG legt uit wat dat in de praktijk betekent voor huisvesting, "
            "inschrijving, gezondheid en welzijn, en controle en handhaving."
        ),
        description_en=(
            "In 2020 the taskforce for the protection of labour migrants, chaired by Emile "
            "Roemer, published two reports with recommendations that municipalities have to act "
            "on. VNG explains what they mean in practice for housing, registration, care and "
            "welfare, and supervision and enforcement."
        ),
        hosts=(
            _host(
                "Joost van der Meer",
                "beleidsadviseur arbeidsmigratie",
                "policy adviser, labour migration",
                "VNG",
            ),
        ),
        chain_links=("labour_migration",),
    ),
    TopicSpec(
        key="labour-care-welfare",
        kind="sub_session",
        title_nl="Zorg en welzijn voor EU-arbeidsmigranten: wat kan de gemeente doen?",
        title_en="Care and welfare for EU labour migrants: what can the municipality do?",
        description_nl=(
            "Zwaar werk en slechte huisvesting maken arbeidsmigranten vatbaarder voor "
            "gezondheidsklachten, en voor zorg zijn ze vaak afhankelijk van werkgever of "
            "verhuurder. VNG en Pharos geven gemeenten handvatten, van een informatiepunt tot "
            "taallessen."
        ),
        description_en=(
            "Hard work and poor housing make labour migrants more prone to health problems, "
            "and for care they often depend on their employer or landlord. VNG and Pharos give "
            "municipalities practical steps, from an information point to language lessons."
        ),
        hosts=(
            _host("Yvonne Kramer", "adviseur zorg en welzijn", "adviser, care and welfare", "VNG"),
            _host(
                "Sevda Yilmaz",
                "projectleider arbeidsmigranten",
                "project lead, labour migrants",
                "Pharos",
            ),
        ),
        chain_links=("labour_migration",),
    ),
    TopicSpec(
        key="labour-impact-report",
        kind="sub_session",
        title_nl="Effectrapportage bij nieuwe bedrijvigheid",
        title_en="Impact report for new business",
        description_nl=(
            "Een eerste blik op de effectrapportage waarmee gemeenten vooraf kunnen inschatten "
            "wat de komst van een groot nieuw bedrijf betekent voor de huisvesting van "
            "arbeidsmigranten. De publieksversie gaat op 23 mei naar de minister van SZW."
        ),
        description_en=(
            "A first look at the impact report that helps municipalities estimate, in advance, "
            "what a large new business means for housing labour migrants. The public version "
            "goes to the Minister of SZW on 23 May."
        ),
        hosts=(
            _host(
                "Ruben Dijkstra",
                "projectleider effectrapportage",
                "project lead, impact report",
                "VNG",
            ),
        ),
        chain_links=("labour_migration", "housing"),
    ),
    TopicSpec(
        key="labour-public-private",
        kind="sub_session",
        title_nl="Publiek-private samenwerking rond EU-arbeidsmigranten",
        title_en="Public-private cooperation on EU labour migrants",
        description_nl=(
            "Sinds januari 2023 werkt de politie in Utrecht met bedrijven samen in een pilot "
            "tegen overlast rond EU-arbeidsmigranten. Wat is er gedaan en wat is er geleerd?"
        ),
        description_en=(
            "Since January 2023 the police in Utrecht have run a pilot with businesses against "
            "nuisance involving EU labour migrants. What has been done, and what was learnt?"
        ),
        hosts=(
            _host(
                "Mohamed Bouzid",
                "wijkagent, politie Utrecht",
                "community police officer, Utrecht",
                "Politie",
            ),
        ),
        chain_links=("labour_migration",),
    ),
    TopicSpec(
        key="dispersal-act",
        kind="sub_session",
        title_nl="De spreidingswet: samen zorgen voor genoeg opvangplekken",
        title_en="The Dispersal Act: jointly providing enough reception places",
        description_nl=(
            "Provincies en gemeenten maken afspraken over een eerlijke verdeling van "
            "opvangplekken. Hoe verloopt dat in de eerste maanden?"
        ),
        description_en=(
            "Provinces and municipalities agree on a fair distribution of reception places. "
            "How is it going in the first months?"
        ),
        hosts=(
            _host("Maarten Prins", "programmamanager asiel", "asylum programme manager", "VNG"),
            _host("Eline de Haan", "beleidsmedewerker opvang", "policy officer, reception", "J&V"),
        ),
        chain_links=("reception",),
    ),
    TopicSpec(
        key="small-scale-reception",
        kind="sub_session",
        title_nl="Kleinschalige opvang die de buurt verrijkt",
        title_en="Small-scale reception that enriches the neighbourhood",
        description_nl=(
            "Een opvanglocatie met een buurtfunctie: een café, werkplekken, ruimte voor "
            "verenigingen. Een gemeente en het COA delen hun ervaringen."
        ),
        description_en=(
            "A reception location that serves the neighbourhood too: a café, workplaces, room "
            "for local clubs. A municipality and COA share their experience."
        ),
        hosts=(
            _host("Sanne Kuipers", "locatiemanager", "location manager", "COA"),
            _host("Pieter Blom", "wethoudersadviseur", "adviser to the alderman", "Zwolle"),
        ),
        chain_links=("reception",),
    ),
    TopicSpec(
        key="civic-integration-act",
        kind="sub_session",
        title_nl="De Wet inburgering 2021 in de praktijk",
        title_en="The Civic Integration Act 2021 in practice",
        description_nl=(
            "Gemeenten regisseren sinds 2022 zelf de inburgering. Wat werkt bij de brede "
            "intake en het persoonlijk plan, en waar zit het nog vast?"
        ),
        description_en=(
            "Since 2022 municipalities run civic integration themselves. What works in the "
            "broad intake and the personal plan, and where is it still stuck?"
        ),
        hosts=(
            _host(
                "Nadia Haddou", "beleidsadviseur inburgering", "policy adviser, integration", "SZW"
            ),
            _host("Frank Meijer", "adviseur", "adviser", "Divosa"),
        ),
        chain_links=("integration",),
    ),
    TopicSpec(
        key="work-first",
        kind="sub_session",
        title_nl="Statushouders sneller aan het werk",
        title_en="Getting refugees into work sooner",
        description_nl=(
            "Werk is vaak de snelste weg naar meedoen. UWV en een grote gemeente laten zien "
            "hoe taal en werk tegelijk kunnen."
        ),
        description_en=(
            "Work is often the fastest route to taking part. UWV and a large municipality show "
            "how language learning and work can go together."
        ),
        hosts=(
            _host("Gert Janssen", "arbeidsdeskundige", "labour expert", "UWV"),
            _host(
                "Lisa de Jong",
                "teamleider werk en inkomen",
                "team leader, work and income",
                "Rotterdam",
            ),
        ),
        chain_links=("integration", "labour_migration"),
    ),
    TopicSpec(
        key="ukraine",
        kind="sub_session",
        title_nl="Twee jaar opvang van ontheemden uit Oekraïne",
        title_en="Two years of sheltering people displaced from Ukraine",
        description_nl=(
            "Gemeenten vangen sinds 2022 ontheemden uit Oekraïne op. Wat leert die ervaring "
            "over snel en flexibel opvang regelen?"
        ),
        description_en=(
            "Since 2022 municipalities have sheltered people displaced from Ukraine. What does "
            "that teach us about arranging reception quickly and flexibly?"
        ),
        hosts=(
            _host(
                "Wim Bos",
                "coördinator opvang Oekraïners",
                "coordinator, Ukrainian reception",
                "Groningen",
            ),
        ),
        chain_links=("reception", "housing"),
    ),
    TopicSpec(
        key="housing-priority-groups",
        kind="sub_session",
        title_nl="Woningen voor statushouders en andere aandachtsgroepen",
        title_en="Homes for refugees and other priority groups",
        description_nl=(
            "Statushouders zoeken een woning op dezelfde krappe markt als veel andere "
            "woningzoekenden. Hoe verdeel je eerlijk en bouw je sneller?"
        ),
        description_en=(
            "Refugees look for a home in the same tight market as many other house hunters. "
            "How do you allocate fairly and build faster?"
        ),
        hosts=(
            _host(
                "Rob van Dijk",
                "beleidsmedewerker volkshuisvesting",
                "housing policy officer",
                "BZK",
            ),
            _host(
                "Samira Amrani", "programmamanager wonen", "programme manager, housing", "Amsterdam"
            ),
        ),
        chain_links=("housing",),
    ),
    TopicSpec(
        key="young-adults",
        kind="sub_session",
        title_nl="Jongeren na hun achttiende: van voogdij naar eigen plek",
        title_en="Young people turning eighteen: from guardianship to a place of their own",
        description_nl=(
            "Op hun achttiende verliezen alleenstaande jongeren hun voogd. Hoe voorkom je dat "
            "ze dan tussen wal en schip raken?"
        ),
        description_en=(
            "At eighteen, unaccompanied young people lose their guardian. How do you keep them "
            "from falling through the cracks?"
        ),
        hosts=(
            _host("Karlijn Vermeulen", "jeugdbeschermer", "guardian", "Nidos"),
            _host("Thijs van den Berg", "beleidsadviseur jeugd", "youth policy adviser", "Utrecht"),
        ),
        chain_links=("integration",),
    ),
    TopicSpec(
        key="newcomer-health",
        kind="sub_session",
        title_nl="Gezondheid van nieuwkomers: vroeg signaleren",
        title_en="Newcomers' health: spotting problems early",
        description_nl=(
            "Psychische en lichamelijke klachten vroeg zien voorkomt veel later. Over "
            "samenwerking tussen GGD, opvang en huisarts."
        ),
        description_en=(
            "Spotting mental and physical complaints early prevents a lot later on. On "
            "cooperation between public health services, reception and GPs."
        ),
        hosts=(
            _host("Marloes de Vries", "jeugdarts", "youth health physician", "GGD GHOR"),
            _host(
                "Hamid Rahimi",
                "adviseur gezondheid asielzoekers",
                "adviser, asylum seekers' health",
                "Pharos",
            ),
        ),
        chain_links=("reception", "integration"),
    ),
    TopicSpec(
        key="volunteer-buddies",
        kind="sub_session",
        title_nl="Taalmaatjes en buddy's: vrijwilligers naast nieuwkomers",
        title_en="Language buddies: volunteers alongside newcomers",
        description_nl=(
            "Een vrijwilliger als maatje helpt met taal en de weg in de buurt. Hoe zet je zo'n "
            "programma op en houd je het vol?"
        ),
        description_en=(
            "A volunteer buddy helps with the language and finding one's way locally. How do "
            "you set up such a programme and keep it going?"
        ),
        hosts=(
            _host("Annemiek Schouten", "coördinator vrijwilligers", "volunteer coordinator", "VWN"),
            _host("Bas Peters", "projectleider maatjes", "buddy project lead", "Humanitas"),
        ),
        chain_links=("integration",),
    ),
    TopicSpec(
        key="return-perspective",
        kind="sub_session",
        title_nl="Terugkeer en een toekomst elders",
        title_en="Return and a future elsewhere",
        description_nl=(
            "Ook wie moet vertrekken heeft een toekomst nodig. DT&V en IOM over "
            "herintegratiesteun in het land van herkomst."
        ),
        description_en=(
            "People who have to leave need a future too. DT&V and IOM on reintegration support "
            "in the country of origin."
        ),
        hosts=(
            _host("Hanneke Smit", "regievoerder", "return case manager", "DT&V"),
            _host("Peter Vos", "coördinator herintegratie", "reintegration coordinator", "IOM"),
        ),
        chain_links=("return",),
    ),
    TopicSpec(
        key="labour-exploitation",
        kind="sub_session",
        title_nl="Arbeidsuitbuiting herkennen en melden",
        title_en="Recognising and reporting labour exploitation",
        description_nl=(
            "Waar gaat slecht werkgeverschap over in uitbuiting? Signalen herkennen en weten "
            "waar je ze meldt, met de Arbeidsinspectie en de uitzendbranche."
        ),
        description_en=(
            "Where does bad employment become exploitation? Recognising the signs and knowing "
            "where to report them, with the Labour Inspectorate and the staffing sector."
        ),
        hosts=(
            _host("Jeroen Kuiper", "inspecteur", "inspector", "NLA"),
            _host(
                "Marjolein Smits", "adviseur arbeidsmigratie", "adviser, labour migration", "ABU"
            ),
        ),
        chain_links=("labour_migration",),
    ),
    TopicSpec(
        key="refugees-at-work-europe",
        kind="sub_session",
        title_nl="Vluchtelingen aan het werk: voorbeelden uit Europa",
        title_en="Refugees at work: examples from across Europe",
        description_nl=(
            "Een Engelstalige sessie over hoe andere Europese landen vluchtelingen aan werk "
            "en studie helpen."
        ),
        description_en=(
            "How other European countries help refugees into work and study, and what the "
            "Netherlands could borrow."
        ),
        hosts=(
            _host("Elena Rossi", "beleidsmedewerker", "policy officer", "UNHCR"),
            _host("Mariam Haidari", "loopbaanadviseur", "career adviser", "UAF"),
        ),
        chain_links=("integration",),
        language="en",
    ),
)

VAN_MIGRATIE_TOT_PARTICIPATIE_2024 = EditionSpec(
    series="van-migratie-tot-participatie",
    slug="van-migratie-tot-participatie-2024",
    title_nl="Van Migratie tot Participatie",
    title_en="From Migration to Participation",
    theme_nl="Samenwerken en oplossingen delen in de hele migratieketen: van opvang tot werk",
    theme_en="Working together and sharing solutions across the migration chain: from reception to work",
    description_nl=(
        "Landelijk congres op 16 mei 2024 in het Beatrixgebouw in Utrecht, over samenwerken "
        "in de hele migratieketen.\n\n"
        "Na de opening door de dagvoorzitter en het COA volgde een panel over wat migratie "
        "oplevert en wat het kost. Daarna waren er een informatiemarkt en drie rondes "
        "deelsessies, waarvan vier over arbeidsmigratie.\n\n"
        "Organisatie: de VNG met de ministeries van Justitie en Veiligheid, Sociale Zaken en "
        "Werkgelegenheid, en Binnenlandse Zaken en Koninkrijksrelaties."
    ),
    description_en=(
        "National congress on 16 May 2024 in the Beatrixgebouw in Utrecht, on working together "
        "across the whole migration chain.\n\n"
        "After the opening by the chair of the day and COA came a panel on the pros and cons "
        "of migration, then an information market and three rounds of sub-sessions, four of "
        "them on labour migration.\n\n"
        "Organised by the Association of Netherlands Municipalities (VNG) with the ministries "
        "of Justice and Security, Social Affairs and Employment, and the Interior and Kingdom "
        "Relations."
    ),
    day=date(2024, 5, 16),
    venue=("Beatrixgebouw", "Jaarbeursplein 6", "Utrecht"),
    capacity=700,
    lead="VNG",
    rooms=(
        ("Plenaire zaal", 750, True),
        ("Foyer", 700, True),
        ("Zaal 1", 120, True),
        ("Zaal 2", 110, True),
        ("Zaal 3", 100, True),
        ("Zaal 4", 90, True),
        ("Zaal 5", 80, True),
        ("Zaal 6", 60, False),
        ("Zaal 7", 45, True),
        ("Zaal 8", 30, False),
    ),
    blocks=(
        ("welcome", "break", "09:00", "09:45", "Inloop en registratie", "Arrival and registration"),
        ("opening", "plenary", "09:45", "10:15", "Opening", "Opening"),
        ("panel", "plenary", "10:15", "11:00", "Panelgesprek", "Panel discussion"),
        ("market", "market", "11:00", "11:45", "Informatiemarkt", "Information market"),
        ("round-1", "round", "11:45", "12:45", "Deelsessies, ronde 1", "Sub-sessions, round 1"),
        ("lunch", "break", "12:45", "13:45", "Lunch", "Lunch"),
        ("round-2", "round", "13:45", "14:45", "Deelsessies, ronde 2", "Sub-sessions, round 2"),
        ("networking", "networking", "14:45", "15:15", "Netwerkpauze", "Networking break"),
        ("round-3", "round", "15:15", "16:15", "Deelsessies, ronde 3", "Sub-sessions, round 3"),
        ("closing", "closing", "16:15", "16:45", "Plenaire afsluiting", "Plenary closing"),
        ("drinks", "drinks", "16:45", "18:00", "Borrel", "Drinks"),
    ),
    topics=_TOPICS_2024,
    sessions={
        "opening": (("opening", "Plenaire zaal", None),),
        "panel": (("panel", "Plenaire zaal", None),),
        "round-1": (
            ("labour-mini-lecture", "Zaal 1", None),
            ("dispersal-act", "Zaal 2", None),
            ("civic-integration-act", "Zaal 3", None),
            ("housing-priority-groups", "Zaal 4", None),
            ("work-first", "Zaal 5", None),
            ("labour-care-welfare", "Zaal 6", None),
            ("newcomer-health", "Zaal 7", None),
            ("return-perspective", "Zaal 8", None),
        ),
        "round-2": (
            ("dispersal-act", "Zaal 1", None),
            ("ukraine", "Zaal 2", None),
            ("small-scale-reception", "Zaal 3", None),
            ("labour-impact-report", "Zaal 4", None),
            ("labour-public-private", "Zaal 5", None),
            ("volunteer-buddies", "Zaal 6", None),
            ("young-adults", "Zaal 7", 40),
            ("refugees-at-work-europe", "Zaal 8", 25),
        ),
        "round-3": (
            ("labour-mini-lecture", "Zaal 1", None),
            ("housing-priority-groups", "Zaal 2", None),
            ("work-first", "Zaal 3", None),
            ("civic-integration-act", "Zaal 4", None),
            ("small-scale-reception", "Zaal 5", None),
            ("ukraine", "Zaal 6", None),
            ("labour-care-welfare", "Zaal 7", None),
            ("labour-exploitation", "Zaal 8", None),
        ),
        "closing": (("closing", "Plenaire zaal", None),),
    },
)

# An upcoming edition that is open for registration, so a newcomer can try the whole flow:
# the next turn of the Ketenconferentie, led by the partner after DT&V, on the programme
# skeleton of 2018.
_PLENARY_2027 = (
    TopicSpec(
        key="opening",
        kind="keynote",
        title_nl="Opening: waar staat de keten in 2027?",
        title_en="Opening: where does the chain stand in 2027?",
        description_nl="Welkom door de organisatie in de lead en een blik op het jaar dat komt. Sprekers volgen.",
        description_en="A welcome by the lead organisation and a look at the year ahead. Speakers to be announced.",
        hosts=(),
    ),
    TopicSpec(
        key="talk-show",
        kind="talk_show",
        title_nl="Afsluitende talkshow",
        title_en="Closing talk show",
        description_nl="De top van de keten aan tafel over wat de dag heeft opgeleverd. Gasten volgen.",
        description_en="The heads of the chain at one table on what the day brought. Guests to be announced.",
        hosts=(),
    ),
)

KETENCONFERENTIE_2027 = replace(
    KETENCONFERENTIE_2018,
    topics=(
        *_PLENARY_2027,
        *(t for t in KETENCONFERENTIE_2018.topics if t.key not in {"opening", "talk-show"}),
    ),
    slug="ketenconferentie-2027",
    title_nl="Ketenconferentie 2027",
    title_en="Migration Chain Conference 2027",
    theme_nl="Van instroom tot toekomst: samen wendbaar in de keten",
    theme_en="From arrival to a future: an agile chain, together",
    description_nl=(
        "De volgende Ketenconferentie, voor iedereen die in de migratieketen werkt. Kies bij uw "
        "aanmelding welke workshops u het liefst volgt: ketenconf verdeelt de plaatsen zo dat "
        "iedereen zo goed mogelijk uitkomt, niet wie het eerst komt.\n\n"
        "Organisatie: de Kleine Keten (IND, COA en DT&V) en het ministerie van Justitie en "
        "Veiligheid; dit keer heeft het ministerie de leiding."
    ),
    description_en=(
        "The next Migration Chain Conference, for everyone who works along the migration chain. "
        "Rank the workshops you would most like to attend when you register: ketenconf shares "
        "out the seats so that everyone does as well as the rooms allow, not first come, first "
        "served.\n\n"
        "Organised by the Kleine Keten (IND, COA and DT&V) and the Ministry of Justice and "
        "Security; this time the ministry leads."
    ),
    day=date(2027, 4, 15),
    capacity=600,
    lead="J&V",
    status="registration_open",
)

EDITIONS: tuple[EditionSpec, ...] = (
    KETENCONFERENTIE_2018,
    VAN_MIGRATIE_TOT_PARTICIPATIE_2024,
    KETENCONFERENTIE_2027,
)
