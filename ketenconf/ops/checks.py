"""What `/ready` and `ketenconf doctor` check: each check says what it found and what to do.

Every check is a function returning :class:`Check`; none raises. ``ready_checks`` are the
cheap ones a probe may run every few seconds (database, cache, migrations);
``ketenconf doctor`` runs those and the rest (configuration, mail server, worker).
"""

from __future__ import annotations

import os
import smtplib
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Literal
from urllib.parse import urlsplit

import dj_email_url
from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

Level = Literal["ok", "warning", "error"]


@dataclass(frozen=True)
class Check:
    name: str
    level: Level
    detail: str
    fix: str = ""

    @property
    def ok(self) -> bool:
        return self.level != "error"

    def to_dict(self) -> dict[str, str | bool]:
        return {**asdict(self), "ok": self.ok}


def _error(name: str, detail: str, fix: str) -> Check:
    return Check(name, "error", detail, fix)


def _problem(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}".strip()[:300]


# --- Database, cache, migrations: /ready and the doctor -----------------------------------


def check_database() -> Check:
    try:
        started = time.perf_counter()
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        ms = (time.perf_counter() - started) * 1000
    except Exception as error:
        return _error(
            "database",
            f"cannot reach the database: {_problem(error)}",
            "Check KETENCONF_DATABASE_URL and that the database server runs and lets us in.",
        )
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    return Check("database", "ok", f"{vendor} answers ({ms:.1f} ms)")


_applied_when_complete: int | None = None


def check_migrations(*, remember: bool = False) -> Check:
    """Every migration of the code applied.

    With ``remember``, once all were found applied, later calls only count the rows of
    ``django_migrations`` (one cheap query) and read the migration graph again only when
    that count changed: for a probe that runs every few seconds.
    """
    global _applied_when_complete
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        applied = MigrationRecorder(connection).migration_qs.count()
        if remember and applied == _applied_when_complete:
            return Check("migrations", "ok", "all applied")
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:
        return _error(
            "migrations",
            f"cannot read the migrations: {_problem(error)}",
            "Check the database first; then run `ketenconf migrate`.",
        )
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
        return _error(
            "migrations",
            f"{len(plan)} not applied: {names}{more}",
            "Run `ketenconf migrate` (see Upgrading in docs/deployment.md).",
        )
    _applied_when_complete = applied
    return Check("migrations", "ok", "all applied")


def check_cache() -> Check:
    backend = str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]
    key = f"ketenconf:probe:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        found = cache.get(key)
        cache.delete(key)
    except Exception as error:
        return _error(
            "cache",
            f"{backend}: {_problem(error)}",
            "Check KETENCONF_CACHE_URL (or KETENCONF_REDIS_URL) and that Redis runs.",
        )
    if found != "ok":
        return _error(
            "cache",
            f"{backend}: a value set was not read back",
            "Check that Redis has memory left and is not read-only.",
        )
    if backend == "LocMemCache":
        return Check(
            "cache",
            "warning",
            "local memory: each process has its own (sessions, rate limits and cached pages "
            "are not shared between app-server processes)",
            "Set KETENCONF_CACHE_URL=redis://127.0.0.1:6379/0 when running more than one process.",
        )
    return Check("cache", "ok", f"{backend} answers")


def ready_checks() -> list[Check]:
    return [check_database(), check_cache(), check_migrations(remember=True)]


# --- Configuration ---------------------------------------------------------------------------


def check_configuration() -> list[Check]:
    checks: list[Check] = []
    if os.environ.get("KETENCONF_SECRET_KEY"):
        if len(settings.SECRET_KEY) < 50 or len(set(settings.SECRET_KEY)) < 5:
            checks.append(
                _error(
                    "secret key",
                    "KETENCONF_SECRET_KEY is short or repetitive",
                    "Use 50 or more random characters: "
                    "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
                )
            )
        else:
            checks.append(Check("secret key", "ok", "set by KETENCONF_SECRET_KEY"))
    else:
        checks.append(
            Check(
                "secret key",
                "warning",
                "generated into var/secret_key: fine for one machine, different on every other",
                "Set KETENCONF_SECRET_KEY (the same on every app server and worker).",
            )
        )
    if settings.DEBUG:
        checks.append(
            _error(
                "debug",
                "KETENCONF_DEBUG is on: error pages show settings and code to anyone",
                "Set KETENCONF_DEBUG=false.",
            )
        )
    else:
        checks.append(Check("debug", "ok", "off"))

    base = urlsplit(settings.BASE_URL)
    hosts = list(settings.ALLOWED_HOSTS)
    if "*" in hosts:
        checks.append(
            _error(
                "allowed hosts",
                "KETENCONF_ALLOWED_HOSTS contains '*'",
                "List the host names the site answers to, e.g. conferentie.example.nl.",
            )
        )
    elif base.hostname and not _host_allowed(base.hostname, hosts):
        checks.append(
            _error(
                "allowed hosts",
                f"the host of KETENCONF_BASE_URL ({base.hostname}) is not in "
                f"KETENCONF_ALLOWED_HOSTS ({', '.join(hosts)})",
                f"Add {base.hostname} to KETENCONF_ALLOWED_HOSTS, or correct KETENCONF_BASE_URL.",
            )
        )
    else:
        checks.append(Check("allowed hosts", "ok", ", ".join(hosts)))

    https = bool(getattr(settings, "HTTPS", False))
    if base.scheme not in {"http", "https"} or not base.hostname:
        checks.append(
            _error(
                "base URL",
                f"KETENCONF_BASE_URL={settings.BASE_URL!r} is not an http(s) address",
                "Set it to the address people reach the site at, e.g. https://conferentie.example.nl.",
            )
        )
    elif https and base.scheme != "https":
        checks.append(
            _error(
                "base URL",
                f"KETENCONF_HTTPS is on but KETENCONF_BASE_URL starts with {base.scheme}://",
                "Links in mails would point at plain HTTP: make KETENCONF_BASE_URL https://…",
            )
        )
    elif not https and base.scheme == "https":
        checks.append(
            Check(
                "base URL",
                "warning",
                "KETENCONF_BASE_URL is https:// but KETENCONF_HTTPS is off: no HSTS, no "
                "redirect to HTTPS and cookies are not marked Secure",
                "Set KETENCONF_HTTPS=true (and KETENCONF_BEHIND_PROXY=true behind nginx).",
            )
        )
    elif base.hostname in {"127.0.0.1", "localhost", "::1"} and not settings.DEBUG:
        checks.append(
            Check(
                "base URL",
                "warning",
                f"{settings.BASE_URL}: links in mails point at this machine",
                "Set KETENCONF_BASE_URL to the public address, e.g. https://conferentie.example.nl.",
            )
        )
    else:
        checks.append(Check("base URL", "ok", settings.BASE_URL))

    email_url = os.environ.get("KETENCONF_EMAIL_URL", "console://")
    try:
        dj_email_url.parse(email_url)
    except Exception as error:
        checks.append(
            _error(
                "email URL",
                f"KETENCONF_EMAIL_URL does not parse: {_problem(error)}",
                "Use e.g. smtp://user:password@mail.example.nl:587/?tls=True",
            )
        )
    else:
        if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
            checks.append(
                Check("email URL", "ok", f"SMTP at {settings.EMAIL_HOST}:{settings.EMAIL_PORT}")
            )
        else:
            checks.append(
                Check(
                    "email URL",
                    "warning",
                    f"mail goes to {settings.EMAIL_BACKEND.rsplit('.', 2)[-2]}, not to people",
                    "Set KETENCONF_EMAIL_URL=smtp://… to send mail.",
                )
            )
    return checks


def _host_allowed(host: str, allowed: list[str]) -> bool:
    from django.utils.http import is_same_domain

    return any(is_same_domain(host, pattern) for pattern in allowed)


# --- Mail server, worker, outbox ---------------------------------------------------------------


def check_smtp() -> Check:
    """Connect and say EHLO (and log in, and STARTTLS, as configured); send nothing."""
    if not settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
        return Check("mail server", "warning", "no SMTP server configured", "")
    connection = get_connection(fail_silently=False, timeout=10)
    try:
        connection.open()
        connection.close()
    except (OSError, smtplib.SMTPException) as error:
        return _error(
            "mail server",
            f"cannot connect to {settings.EMAIL_HOST}:{settings.EMAIL_PORT}: {_problem(error)}",
            "Check KETENCONF_EMAIL_URL (host, port, user, password, tls/ssl) and the firewall.",
        )
    return Check("mail server", "ok", f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT} answers")


#: A task due for longer than this while a worker is alive means that worker is stuck (or busy
#: with one long task while mail waits).
STUCK_AFTER = timedelta(minutes=1)


def check_worker(*, max_age: timedelta) -> Check:
    from .selectors import tasks_waiting, worker_heartbeats

    beats = worker_heartbeats()
    now = timezone.now()
    alive = [beat for beat in beats if now - beat.seen_at <= max_age]
    if alive:
        names = ", ".join(beat.worker for beat in alive)
        waiting = tasks_waiting(longer_than=STUCK_AFTER)
        if waiting:
            return _error(
                "worker",
                f"{len(alive)} alive ({names}), but {waiting} tasks have waited longer than "
                f"{int(STUCK_AFTER.total_seconds())} s: stuck, or busy with a long task",
                "Read the worker's log; restart a worker that hangs, or start one more.",
            )
        return Check("worker", "ok", f"{len(alive)} alive: {names}")
    if beats:
        last = max(beat.seen_at for beat in beats)
        return _error(
            "worker",
            f"no worker seen for {_ago(now - last)} (last heartbeat {last:%Y-%m-%d %H:%M:%S %Z})",
            "Start `ketenconf worker` (see the systemd unit in docs/deployment.md) and read its log.",
        )
    return _error(
        "worker",
        "no worker has ever run against this database",
        "Start `ketenconf worker`: without it no mail goes out.",
    )


def check_outbox(*, older_than: timedelta) -> Check:
    from .selectors import outbox_waiting

    waiting = outbox_waiting(older_than=older_than)
    minutes = int(older_than.total_seconds() // 60)
    if waiting.stale:
        return _error(
            "outbox",
            f"{waiting.stale} mails waiting longer than {minutes} minutes "
            f"(the oldest since {waiting.oldest:%Y-%m-%d %H:%M %Z}); {waiting.failed} failed",
            "Is the worker running and can it reach the mail server? See the checks above "
            "and the outbox in the admin.",
        )
    if waiting.failed:
        return Check(
            "outbox",
            "warning",
            f"{waiting.pending} waiting; {waiting.failed} failed for good",
            "Read the failed mails' last error in the admin (Outgoing mail, status failed).",
        )
    return Check("outbox", "ok", f"{waiting.pending} waiting, none for long")


def _ago(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} minutes"
    return f"{seconds // 3600} hours"
