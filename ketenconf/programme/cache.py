"""The public programme, cached per edition and language: its rendered fragment, and the
whole page, which ``ProgrammePageMiddleware`` answers before the session, CSRF and locale
middleware run (the page is the same for everyone who asks in one language).

The cache key holds two version tokens: one per edition, changed whenever its programme
changes, and one for all editions, changed when an organisation or a venue is saved (hosts are
shown with their organisation). A change makes a new key, so the next request renders afresh,
in every language and in every process that shares the cache.

Blocks, topics, hosts and sessions are written only through :mod:`ketenconf.programme.services`,
which changes the edition's token explicitly (bulk writes send no signals). The models of the
events app the page shows (the edition, its rooms, venues, organisations) are saved from many
places, the admin and the registration among them; for those a ``post_save``/``post_delete``
signal changes the token (see :func:`connect`).

The token is changed at once and again when the transaction commits. A reader takes the
tokens *before* it reads the database, so a page rendered from data read before the commit
is stored under the tokens of before the commit, which nobody asks for any more: a stale
fragment cannot outlive the change. ``TIMEOUT`` bounds it anyway, should a change ever bypass
the services and ``save()`` (a queryset ``update()`` on an edition).

The whole page is kept under the edition's slug with the tokens it was rendered under, and
served only while both still hold; it also names the release (the static files' manifest
and the compiled translations), so a new release never serves a page of the old one.

Each process also keeps its own copy of the pages it served, and serves it for up to
``LOCAL_SECONDS`` before it asks the shared cache whether the tokens still hold: the crowd's
page then costs no round trip to Redis. A change clears the copies of the process that made
it at once; another app-server process shows it within ``LOCAL_SECONDS``.
"""

from __future__ import annotations

import functools
import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

#: Seconds a rendered fragment is kept at most.
TIMEOUT = 15 * 60

_ALL = "programme:version:all"


def _edition_key(edition_id: int) -> str:
    return f"programme:version:{edition_id}"


@dataclass(frozen=True)
class Versions:
    """The version tokens of one edition's programme, taken before its data is read."""

    edition_id: int
    everything: str
    edition: str


def programme_versions(*, edition_id: int) -> Versions:
    keys = [_ALL, _edition_key(edition_id)]
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex[:12] for key in keys if key not in found}
    if missing:
        for key, token in missing.items():
            cache.add(key, token, timeout=None)
        found = {**found, **cache.get_many(list(missing))}
    return Versions(
        edition_id=edition_id,
        everything=str(found.get(_ALL, "")),
        edition=str(found.get(_edition_key(edition_id), "")),
    )


def programme_fragment(
    *, edition_id: int, language: str, render: Callable[[], str], versions: Versions | None = None
) -> str:
    """The fragment from the cache, or ``render()``-ed and stored. Call before reading data,
    or pass the ``versions`` taken before."""
    versions = versions or programme_versions(edition_id=edition_id)
    key = f"programme:fragment:{edition_id}:{language}:{versions.everything}:{versions.edition}"
    fragment = cache.get(key)
    if fragment is None:
        fragment = render()
        cache.set(key, fragment, timeout=TIMEOUT)
    return str(fragment)


# The whole page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CachedPage:
    headers: list[tuple[str, str]]
    content: bytes


@dataclass(frozen=True)
class PageOffer:
    """Set on the request by the view: the page may be kept, under these versions."""

    slug: str
    language: str
    versions: Versions


#: The request attribute the view puts its ``PageOffer`` in.
PAGE_OFFER = "programme_page_offer"


@functools.cache
def _release() -> str:
    """What a page depends on besides the data: static file names, compiled translations."""
    digest = hashlib.sha256(str(getattr(staticfiles_storage, "manifest_hash", "")).encode())
    for folder in settings.LOCALE_PATHS:
        for path in sorted(Path(folder).glob("*/LC_MESSAGES/*.mo")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _page_key(slug: str, language: str) -> str:
    return f"programme:page:{slug}:{language}"


#: Seconds a process serves its own copy of a page without asking the shared cache.
LOCAL_SECONDS = 1.0


@dataclass
class _Held:
    """A page as this process last found it valid in the shared cache, and when."""

    page: CachedPage
    edition_id: int
    versions: tuple[Any, Any]
    checked: float


# (slug, language) -> the page. Replaced whole, never changed in place, so threads need no lock.
_held: dict[tuple[str, str], _Held] = {}


def _versions_hold(edition_id: int, versions: tuple[Any, Any]) -> bool:
    found = cache.get_many([_ALL, _edition_key(edition_id)])
    return (found.get(_ALL), found.get(_edition_key(edition_id))) == versions


def programme_page_get(*, slug: str, language: str) -> CachedPage | None:
    """The page as stored, if its edition and the programme have not changed since."""
    now = time.monotonic()
    held = _held.get((slug, language))
    if held is not None:
        if now - held.checked < LOCAL_SECONDS:
            return held.page
        if _versions_hold(held.edition_id, held.versions):
            _held[slug, language] = _Held(held.page, held.edition_id, held.versions, now)
            return held.page
        _held.pop((slug, language), None)
    entry = cache.get(_page_key(slug, language))
    if not isinstance(entry, dict) or entry.get("release") != _release():
        return None
    versions = tuple(entry["versions"])
    if not _versions_hold(entry["edition_id"], versions):
        return None
    page = CachedPage(headers=entry["headers"], content=entry["content"])
    _held[slug, language] = _Held(page, entry["edition_id"], versions, now)
    return page


def programme_page_offer(
    request: HttpRequest, *, slug: str, language: str, versions: Versions
) -> None:
    """The view's word that this response may be kept for everyone (see the middleware)."""
    setattr(request, PAGE_OFFER, PageOffer(slug=slug, language=language, versions=versions))


def programme_page_set(*, offer: PageOffer, headers: list[tuple[str, str]], content: bytes) -> None:
    entry = {
        "edition_id": offer.versions.edition_id,
        "versions": (offer.versions.everything, offer.versions.edition),
        "release": _release(),
        "headers": headers,
        "content": content,
    }
    cache.set(_page_key(offer.slug, offer.language), entry, timeout=TIMEOUT)


def programme_cache_invalidate(*, edition_id: int | None) -> None:
    """The programme of one edition changed (``None``: of every edition)."""
    key = _ALL if edition_id is None else _edition_key(edition_id)

    def bump() -> None:
        cache.set(key, uuid.uuid4().hex[:12], timeout=None)
        # All of this process's copies: a few pages, and a page's slug may name another edition
        # now than when it was kept.
        _held.clear()

    bump()
    transaction.on_commit(bump, robust=True)


def _changed(sender: type, instance: Any, **kwargs: Any) -> None:
    from ketenconf.events.models import Edition, Organisation, Venue

    if kwargs.get("raw"):
        return  # loading fixtures
    if isinstance(instance, Organisation | Venue):  # the page names the venue
        programme_cache_invalidate(edition_id=None)
    elif isinstance(instance, Edition):
        programme_cache_invalidate(edition_id=instance.pk)
    else:
        programme_cache_invalidate(edition_id=instance.edition_id)


def connect() -> None:
    """Invalidate on every save and delete of the events' models the programme page shows;
    the programme's own models are written through its services, which invalidate."""
    from ketenconf.events.models import Edition, Organisation, Room, Venue

    for model in (Room, Edition, Organisation, Venue):
        uid = f"ketenconf.programme.cache.{model.__name__}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")
