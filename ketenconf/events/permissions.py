"""Who may edit what, for the admin and the services that check it: the roles per edition.

The rule itself is in :mod:`ketenconf.workspace.access` (one module for the workspace, the
API, the exports and the admin); these are its answers under the names the admin uses.
"""

from __future__ import annotations

from typing import Any

from .models import Edition


def editions_editable_by(*, user: Any) -> Any:
    from ketenconf.workspace.access import editions_editable_by as rule

    return rule(user=user)


def edition_is_editable_by(*, user: Any, edition: Edition) -> bool:
    return editions_editable_by(user=user).filter(pk=edition.pk).exists()


def topics_editable_by(*, user: Any) -> Any:
    from ketenconf.workspace.access import topics_editable_by as rule

    return rule(user=user)
