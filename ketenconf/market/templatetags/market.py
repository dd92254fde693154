"""``{% saved_stands_for registration as saved %}``: stands on a participant's programme."""

from __future__ import annotations

from django import template

from ketenconf.registration.models import Registration

from .. import selectors
from ..models import Stand

register = template.Library()


@register.simple_tag
def saved_stands_for(registration: Registration) -> list[Stand]:
    return selectors.saved_stands(registration=registration)
