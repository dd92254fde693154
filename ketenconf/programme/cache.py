"""The public programme's rendered fragment, cached per edition and language.

The cache key holds two version tokens: one per edition, changed whenever a block, session,
topic, host or room of that edition (or the edition itself) is saved or deleted, and one for
all editions, changed when an organisation is (hosts are shown with theirs). A change makes
a new key, so the next request renders afresh, in every language and in every process that
shares the cache.

The token is changed at once and again when the transaction commits. A reader takes the
tokens *before* it reads the database, so a page rendered from data read before the commit
is stored under the tokens of before the commit, which nobody asks for any more: a stale
fragment cannot outlive the change. ``TIMEOUT`` bounds it anyway, should a change ever bypass
``save()`` (a queryset ``update()``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

#: Seconds a rendered fragment is kept at most.
TIMEOUT = 15 * 60

_ALL = "programme:version:all"


def _edition_key(edition_id: int) -> str:
    return f"programme:version:{edition_id}"


def _tokens(edition_id: int) -> tuple[str, str]:
    keys = [_ALL, _edition_key(edition_id)]
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex[:12] for key in keys if key not in found}
    if missing:
        for key, token in missing.items():
            cache.add(key, token, timeout=None)
        found = {**found, **cache.get_many(list(missing))}
    return str(found.get(_ALL, "")), str(found.get(_edition_key(edition_id), ""))


def programme_fragment(*, edition_id: int, language: str, render: Callable[[], str]) -> str:
    """The fragment from the cache, or ``render()``-ed and stored. Call before reading data."""
    everything, edition = _tokens(edition_id)
    key = f"programme:fragment:{edition_id}:{language}:{everything}:{edition}"
    fragment = cache.get(key)
    if fragment is None:
        fragment = render()
        cache.set(key, fragment, timeout=TIMEOUT)
    return str(fragment)


def programme_cache_invalidate(*, edition_id: int | None) -> None:
    """The programme of one edition changed (``None``: of every edition)."""
    key = _ALL if edition_id is None else _edition_key(edition_id)

    def bump() -> None:
        cache.set(key, uuid.uuid4().hex[:12], timeout=None)

    bump()
    transaction.on_commit(bump, robust=True)


def _changed(sender: type, instance: Any, **kwargs: Any) -> None:
    from ketenconf.events.models import Edition, Organisation

    from .models import Host, Topic

    if kwargs.get("raw"):
        return  # loading fixtures
    if isinstance(instance, Organisation):
        programme_cache_invalidate(edition_id=None)
    elif isinstance(instance, Edition):
        programme_cache_invalidate(edition_id=instance.pk)
    elif isinstance(instance, Host):
        topic = Topic.objects.filter(pk=instance.topic_id).values_list("edition_id", flat=True)
        edition_id = topic.first()
        if edition_id is not None:  # else the topic is being deleted, and says so itself
            programme_cache_invalidate(edition_id=edition_id)
    else:
        programme_cache_invalidate(edition_id=instance.edition_id)


def connect() -> None:
    """Invalidate on every save and delete of what the programme page shows."""
    from ketenconf.events.models import Edition, Organisation, Room

    from .models import Block, Host, Session, Topic

    for model in (Block, Session, Topic, Host, Room, Edition, Organisation):
        uid = f"ketenconf.programme.cache.{model.__name__}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")
