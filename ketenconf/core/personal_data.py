"""What every part of ketenconf keeps about one participant: for the download of their own data,
and for the end of the retention period.

Each app registers, in its ``AppConfig.ready()``, what it keeps about a registration:

- a **section** of the download (:func:`personal_data_section_register`): a function taking the
  registration and returning a JSON-ready value, or ``None`` when it holds nothing about them,
  with the models whose rows it shows;
- an **anonymiser** (:func:`anonymiser_register`): a function that strips or deletes, for one
  edition whose retention period ended, what would still name or reach a person, with the
  models it handles;
- and, for a model related to a registration that is deliberately in neither, the reason
  (:func:`personal_data_exclude`, :func:`anonymisation_exclude`).

A test walks every model related to a registration and fails unless each is in a section or
excluded with its reason, and likewise for anonymisation: a new model cannot be forgotten. This
module imports no app; the apps import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model
from django.utils import timezone


@dataclass(frozen=True)
class PersonalDataSection:
    key: str  # the key in the download
    collect: Callable[..., Any]  # collect(registration=...) -> JSON-ready value or None
    models: tuple[type[Model], ...]  # the models whose rows about the registration it shows


@dataclass(frozen=True)
class Anonymiser:
    name: str
    anonymise: Callable[..., object]  # anonymise(edition=..., now=...)
    models: tuple[type[Model], ...]  # the models whose rows of the edition it strips or deletes


_sections: dict[str, PersonalDataSection] = {}
_anonymisers: dict[str, Anonymiser] = {}
_covered: dict[type[Model], str] = {}
_not_in_download: dict[type[Model], str] = {}
_not_anonymised: dict[type[Model], str] = {}


def personal_data_section_register(
    *, key: str, collect: Callable[..., Any], models: tuple[type[Model], ...]
) -> None:
    """Add a section to the participant's download (once per key; ``ready()`` may run twice)."""
    _sections[key] = PersonalDataSection(key=key, collect=collect, models=models)


def personal_data_covered(*, models: tuple[type[Model], ...]) -> None:
    """Models whose rows the registration's own part of the download shows (it comes first,
    before the sections)."""
    for model in models:
        _covered[model] = "the registration's own part"


def personal_data_exclude(*, model: type[Model], reason: str) -> None:
    """A model related to a registration whose rows are deliberately not in the download."""
    _not_in_download[model] = reason


def anonymiser_register(
    *, name: str, anonymise: Callable[..., object], models: tuple[type[Model], ...]
) -> None:
    """Add what runs when an edition's retention period ends (once per name)."""
    _anonymisers[name] = Anonymiser(name=name, anonymise=anonymise, models=models)


def anonymisation_exclude(*, model: type[Model], reason: str) -> None:
    """A model related to a registration whose rows are deliberately kept as they are when the
    edition is anonymised."""
    _not_anonymised[model] = reason


def personal_data_sections_registered() -> tuple[PersonalDataSection, ...]:
    return tuple(_sections.values())


def anonymisers_registered() -> tuple[Anonymiser, ...]:
    return tuple(_anonymisers.values())


def personal_data_excluded() -> dict[type[Model], str]:
    return dict(_not_in_download)


def personal_data_covered_models() -> set[type[Model]]:
    """Every model some part of the download shows."""
    return set(_covered) | {model for section in _sections.values() for model in section.models}


def anonymisation_excluded() -> dict[type[Model], str]:
    return dict(_not_anonymised)


def personal_data_sections(*, registration: Any) -> dict[str, Any]:
    """Every app's section about this registration; sections that hold nothing are left out."""
    found = {}
    for section in _sections.values():
        value = section.collect(registration=registration)
        if value is not None:
            found[section.key] = value
    return found


def anonymisers_run(*, edition: Any, now: datetime) -> None:
    """Every app's part of anonymising an edition (the registrations' own fields are the
    registration app's, which calls this)."""
    for anonymiser in _anonymisers.values():
        anonymiser.anonymise(edition=edition, now=now)


def when(value: datetime | None) -> str | None:
    """A moment as the download writes it: ISO 8601 in the site's time zone."""
    return timezone.localtime(value).isoformat() if value is not None else None
