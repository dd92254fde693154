"""What every part of ketenconf stores about one participant, for the download of their own data.

Each app that keeps something about a registration names a function here (dotted path, so that
this module imports no app): it takes the registration and returns a JSON-ready value, or
``None`` when it holds nothing about them. The registration's own details come first, from
``registration.selectors.registration_personal_data``, which adds these sections.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string

#: (key in the download, function(registration) -> JSON-ready value or None)
SECTIONS: tuple[tuple[str, str], ...] = (
    ("workshop_seats", "ketenconf.allocation.selectors.personal_data"),
    ("networking", "ketenconf.networking.selectors.personal_data"),
    ("check_ins", "ketenconf.checkin.selectors.personal_data"),
    ("survey", "ketenconf.evaluation.selectors.personal_data"),
)


def personal_data_sections(*, registration: Any) -> dict[str, Any]:
    """Every app's section about this registration; sections that hold nothing are left out."""
    found = {}
    for key, path in SECTIONS:
        value = import_string(path)(registration=registration)
        if value is not None:
            found[key] = value
    return found


def when(value: datetime | None) -> str | None:
    """A moment as the download writes it: ISO 8601 in the site's time zone."""
    return timezone.localtime(value).isoformat() if value is not None else None
