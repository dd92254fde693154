"""Carry a request's id over to the tasks it enqueued, so the worker's logs name it too.

When a task is enqueued inside a request, the request id is put in the cache under the
task's id for a day; when the worker starts that task it takes the id back and its log
records carry it until the task finishes. One cache write per task and one read: cheap. It
reaches across processes only when the cache is shared (Redis); with the local-memory cache
the worker's records of such tasks carry no request id, and the task id still ties them to
the request's "task enqueued" line.
"""

from __future__ import annotations

import logging
from contextvars import Token
from typing import Any

from django.core.cache import cache
from django_tasks.signals import task_enqueued, task_finished, task_started

from .context import request_id_get, request_id_reset, request_id_set

logger = logging.getLogger("ketenconf.ops.tasks")

KEEP_FOR = 24 * 3600
_tokens: dict[str, Token[str]] = {}


def _key(task_id: str) -> str:
    return f"ketenconf:task-request:{task_id}"


def _enqueued(sender: Any, task_result: Any, **kwargs: Any) -> None:
    request_id = request_id_get()
    if not request_id:
        return
    try:
        cache.set(_key(str(task_result.id)), request_id, timeout=KEEP_FOR)
    except Exception:
        logger.warning("Could not keep the request id of task %s", task_result.id, exc_info=True)
    logger.debug("Task %s enqueued: %s", task_result.id, task_result.task.module_path)


def _started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    try:
        request_id = cache.get(_key(str(task_result.id)))
    except Exception:
        request_id = None
    if request_id:
        _tokens[str(task_result.id)] = request_id_set(str(request_id))


def _finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    token = _tokens.pop(str(task_result.id), None)
    if token is not None:
        request_id_reset(token)


def connect() -> None:
    task_enqueued.connect(_enqueued, dispatch_uid="ketenconf.ops.enqueued")
    task_started.connect(_started, dispatch_uid="ketenconf.ops.started")
    task_finished.connect(_finished, dispatch_uid="ketenconf.ops.finished")
