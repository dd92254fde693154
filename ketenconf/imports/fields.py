"""What each kind of import takes: its fields, the headers they are recognised by (Dutch and
English, as people write them), and the reading of yes/no, language and choice values."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override


@dataclass(frozen=True)
class ImportField:
    name: str
    label: str | Promise
    required: bool = False
    aliases: tuple[str, ...] = ()


def normalise(text: str) -> str:
    """``E-mailadres`` → ``emailadres``, ``Organisatie (naam)`` → ``organisatienaam``."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", plain.lower())


PARTICIPANT_FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "name",
        gettext_lazy("name"),
        aliases=("naam", "volledige naam", "naam deelnemer", "name", "full name", "participant"),
    ),
    ImportField(
        "first_name",
        gettext_lazy("first name"),
        aliases=("voornaam", "roepnaam", "first name", "given name", "firstname"),
    ),
    ImportField(
        "name_prefix",
        gettext_lazy("name prefix (van, de, ...)"),
        aliases=("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "prefix", "infix"),
    ),
    ImportField(
        "last_name",
        gettext_lazy("last name"),
        aliases=("achternaam", "familienaam", "last name", "surname", "family name", "lastname"),
    ),
    ImportField(
        "email",
        gettext_lazy("email address"),
        required=True,
        aliases=(
            "email",
            "e-mail",
            "emailadres",
            "e-mailadres",
            "mailadres",
            "mail",
            "email address",
        ),
    ),
    ImportField(
        "organisation",
        gettext_lazy("organisation"),
        required=True,
        aliases=(
            "organisatie",
            "organisation",
            "organization",
            "werkgever",
            "employer",
            "instantie",
            "instelling",
            "bedrijf",
            "company",
        ),
    ),
    ImportField(
        "job_title",
        gettext_lazy("job title"),
        aliases=("functie", "functietitel", "job title", "job", "position", "rol", "role"),
    ),
    ImportField(
        "dietary_needs",
        gettext_lazy("dietary needs"),
        aliases=(
            "dieet",
            "dieetwensen",
            "allergieen",
            "dietary needs",
            "dietary requirements",
            "diet",
        ),
    ),
    ImportField(
        "accessibility_needs",
        gettext_lazy("accessibility needs"),
        aliases=(
            "toegankelijkheid",
            "toegankelijkheidswensen",
            "accessibility",
            "accessibility needs",
        ),
    ),
    ImportField(
        "needs_step_free",
        gettext_lazy("needs step-free rooms (yes/no)"),
        aliases=(
            "rolstoel",
            "drempelvrij",
            "traploos",
            "rolstoeltoegankelijk",
            "step-free",
            "wheelchair",
        ),
    ),
    ImportField(
        "networking_consent",
        gettext_lazy("visible for networking (yes/no)"),
        aliases=("netwerken", "zichtbaar voor netwerken", "networking", "networking consent"),
    ),
    ImportField(
        "language",
        gettext_lazy("language (nl/en)"),
        aliases=("taal", "voertaal", "language", "lang"),
    ),
)

ORGANISATION_FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "name",
        gettext_lazy("name"),
        required=True,
        aliases=("naam", "organisatie", "naam organisatie", "name", "organisation", "organization"),
    ),
    ImportField(
        "short_name",
        gettext_lazy("short name"),
        aliases=("afkorting", "korte naam", "short name", "abbreviation", "acronym"),
    ),
    ImportField(
        "kind",
        gettext_lazy("kind"),
        aliases=("soort", "type", "soort organisatie", "kind", "category", "categorie"),
    ),
    ImportField(
        "chain_links",
        gettext_lazy("links of the chain"),
        aliases=("ketenschakels", "schakels", "keten", "chain links", "chain"),
    ),
)

SESSION_FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "title",
        gettext_lazy("title (Dutch)"),
        required=True,
        aliases=("titel", "onderwerp", "workshop", "sessie", "title", "session", "topic"),
    ),
    ImportField(
        "title_en",
        gettext_lazy("title (English)"),
        aliases=("titel engels", "engelse titel", "title en", "english title", "title english"),
    ),
    ImportField(
        "kind",
        gettext_lazy("kind"),
        aliases=("soort", "vorm", "werkvorm", "type", "kind", "format"),
    ),
    ImportField(
        "description",
        gettext_lazy("description"),
        aliases=("beschrijving", "omschrijving", "description", "abstract", "samenvatting"),
    ),
    ImportField("theme", gettext_lazy("theme"), aliases=("thema", "theme", "track")),
    ImportField("language", gettext_lazy("language (nl/en)"), aliases=("taal", "language")),
    ImportField(
        "block",
        gettext_lazy("block (its title or start time)"),
        required=True,
        aliases=(
            "ronde",
            "blok",
            "tijdslot",
            "tijd",
            "aanvang",
            "round",
            "block",
            "slot",
            "time",
            "start",
        ),
    ),
    ImportField(
        "room",
        gettext_lazy("room"),
        required=True,
        aliases=("zaal", "ruimte", "lokaal", "room", "location"),
    ),
    ImportField(
        "capacity",
        gettext_lazy("capacity"),
        aliases=("capaciteit", "plaatsen", "max deelnemers", "capacity", "seats"),
    ),
    ImportField(
        "hosts",
        gettext_lazy("hosts (Name (Organisation); ...)"),
        aliases=("sprekers", "spreker", "begeleiders", "host", "hosts", "speakers", "speaker"),
    ),
)

FIELDS: dict[str, tuple[ImportField, ...]] = {
    "participants": PARTICIPANT_FIELDS,
    "organisations": ORGANISATION_FIELDS,
    "sessions": SESSION_FIELDS,
}


def guess_mapping(*, kind: str, headers: Sequence[str]) -> dict[int, str]:
    """Column index → field, from the headers: exact names first, then the longest known name
    within a header ("E-mailadres deelnemer" → email). Each field is guessed once."""
    fields = FIELDS[kind]
    aliases = {field.name: {normalise(a) for a in (*field.aliases, field.name)} for field in fields}
    mapping: dict[int, str] = {}
    used: set[str] = set()
    plain = [normalise(header) for header in headers]
    for index, header in enumerate(plain):
        for field in fields:
            if field.name not in used and header in aliases[field.name]:
                mapping[index] = field.name
                used.add(field.name)
                break
    for index, header in enumerate(plain):
        if index in mapping or not header:
            continue
        best: tuple[int, str] | None = None
        for field in fields:
            if field.name in used:
                continue
            for alias in aliases[field.name]:
                if len(alias) >= 4 and alias in header and (best is None or len(alias) > best[0]):
                    best = (len(alias), field.name)
        if best is not None:
            mapping[index] = best[1]
            used.add(best[1])
    return mapping


def mapping_errors(*, kind: str, fields: Iterable[str]) -> list[str]:
    """What a mapping lacks: a required field, or a participant's name in any form."""
    chosen = list(fields)
    errors = []
    for field in FIELDS[kind]:
        if field.required and field.name not in chosen:
            errors.append(_("Choose the column with the %(field)s.") % {"field": field.label})
    if (
        kind == "participants"
        and "name" not in chosen
        and not ("first_name" in chosen and "last_name" in chosen)
    ):
        errors.append(_("Choose the column with the name, or those with first and last name."))
    for name in sorted({name for name in chosen if chosen.count(name) > 1}):
        label = next(f.label for f in FIELDS[kind] if f.name == name)
        errors.append(_("Two columns are chosen for the %(field)s.") % {"field": label})
    return errors


# Values -------------------------------------------------------------------------------------

YES = {"ja", "j", "yes", "y", "1", "true", "waar", "x", "v"}
NO = {"nee", "n", "no", "0", "false", "onwaar", "-"}
LANGUAGES = {
    "nl": {"nl", "nederlands", "dutch", "ned", "nld"},
    "en": {"en", "engels", "english", "eng"},
}


class BadValue(ValueError):
    """The value cannot be read; ``str()`` says what is expected."""


def yes_no(value: str) -> bool:
    plain = normalise(value)
    if not plain or plain in NO:
        return False
    if plain in YES:
        return True
    raise BadValue(_("Give yes or no (ja or nee), not %(value)s.") % {"value": value})


def language(value: str) -> str:
    plain = normalise(value)
    if not plain:
        return "nl"
    for code, names in LANGUAGES.items():
        if plain in names:
            return code
    raise BadValue(_("Give the language as nl or en, not %(value)s.") % {"value": value})


@cache
def _choice_names(choices: type[models.TextChoices]) -> dict[str, str]:
    names = {}
    for member in choices:
        names[normalise(member.value)] = member.value
        for code in ("nl", "en"):
            with override(code):
                names[normalise(str(member.label))] = member.value
    return names


def choice(value: str, choices: type[models.TextChoices], *, default: str) -> str:
    """A choice by its value or its label in Dutch or English (``gemeente``, ``municipality``)."""
    plain = normalise(value)
    if not plain:
        return default
    found = _choice_names(choices).get(plain)
    if found is not None:
        return found
    labels = ", ".join(str(member.label) for member in choices)
    raise BadValue(_("%(value)s is not one of: %(choices)s.") % {"value": value, "choices": labels})


def whole_number(value: str) -> int | None:
    text = value.strip()
    if not text:
        return None
    if not text.isdigit():
        raise BadValue(_("Give a whole number, not %(value)s.") % {"value": value})
    return int(text)
