"""Nothing kept about a participant can be forgotten: every model related to a registration is
in their download or excluded with a reason, and is anonymised at the end of the retention
period or kept with a reason. A new model fails here until its app says which."""

from __future__ import annotations

from django.db.models import Model

from ketenconf.core.personal_data import (
    anonymisation_excluded,
    anonymisers_registered,
    personal_data_covered_models,
    personal_data_excluded,
)
from ketenconf.registration.models import Registration


def related_to_registration() -> set[type[Model]]:
    """Every model that points at a registration, or at such a model, recursively. Relations
    hidden with ``related_name="+"`` count too (``include_hidden``), which
    ``_meta.related_objects`` leaves out."""
    found: set[type[Model]] = set()
    todo: list[type[Model]] = [Registration]
    while todo:
        model = todo.pop()
        for field in model._meta.get_fields(include_hidden=True):
            if not (field.auto_created and field.is_relation and not field.concrete):
                continue  # only the reverse side of a relation pointing here
            related = field.related_model
            if related is None or related in found or related is Registration:
                continue
            if related._meta.auto_created:  # a many-to-many table of Registration's own field
                continue
            found.add(related)
            todo.append(related)
    return found


def names(models: set[type[Model]]) -> list[str]:
    return sorted(model._meta.label for model in models)


def test_the_walk_finds_the_models_that_point_at_a_registration() -> None:
    found = names(related_to_registration())
    # A few it must find, hidden reverse relations (a meeting's two people) among them.
    assert {"networking.Meeting", "exports.CalendarFeed", "market.SavedStand"} <= set(found)


def test_every_model_about_a_registration_is_in_the_download_or_excluded_with_a_reason() -> None:
    covered = personal_data_covered_models()
    excluded = personal_data_excluded()
    assert all(reason.strip() for reason in excluded.values())
    assert names(related_to_registration() - covered - set(excluded)) == []
    assert names(covered & set(excluded)) == []  # never both


def test_every_model_about_a_registration_is_anonymised_or_kept_with_a_reason() -> None:
    anonymised = {model for part in anonymisers_registered() for model in part.models}
    kept = anonymisation_excluded()
    assert all(reason.strip() for reason in kept.values())
    assert names(related_to_registration() - anonymised - set(kept)) == []
    assert names(anonymised & set(kept)) == []
