"""Which hosts a browser session may act for: set by using a host's personal link."""

from __future__ import annotations

from django.http import HttpRequest

from ketenconf.events.models import Edition

from .models import ProposalHost


def _key(edition: Edition) -> str:
    return f"ketenconf.proposals.{edition.pk}"


def session_login(request: HttpRequest, *, host: ProposalHost) -> None:
    """Add a host to this browser's hosts for the edition (a person may host several)."""
    edition = host.proposal.call.edition
    stored = [item for item in request.session.get(_key(edition), []) if item[0] != host.pk]
    request.session.cycle_key()
    request.session[_key(edition)] = [*stored, [host.pk, host.access_version]]


def session_logout(request: HttpRequest, *, edition: Edition) -> None:
    request.session.pop(_key(edition), None)


def session_hosts(request: HttpRequest, *, edition: Edition) -> list[ProposalHost]:
    """The hosts this browser opened with a personal link, as long as they still stand."""
    stored = request.session.get(_key(edition)) or []
    versions: dict[int, int] = {int(pk): int(version) for pk, version in stored}
    hosts = [
        host
        for host in ProposalHost.objects.select_related("proposal", "organisation").filter(
            pk__in=versions, proposal__call__edition=edition
        )
        if host.access_version == versions[host.pk]
    ]
    if len(hosts) != len(stored):
        request.session[_key(edition)] = [[host.pk, host.access_version] for host in hosts]
    return hosts
