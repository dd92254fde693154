"""Every write of an import: upload, map the columns, check or import.

Checking and importing are the same run over the rows: every row goes through the service that
writes such a thing anyway (participants through ``registration_create``, so seats and the
waiting list count as for anyone), all in one transaction. A check rolls that transaction back
at the end; so does an import with one bad row. What a check reports is therefore exactly
what the import will do, as things stand.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ketenconf.accounts.models import Actor, actor_user
from ketenconf.audit.context import acting_for
from ketenconf.core.validators import normalise_email
from ketenconf.events.models import ChainLink, Edition, Organisation, OrganisationKind, Room
from ketenconf.events.permissions import topics_editable_by
from ketenconf.programme import services as programme_services
from ketenconf.programme.models import Block, Language, Session, SessionKind, Topic
from ketenconf.questions import services as question_services
from ketenconf.questions.models import DEFAULT_KEYS
from ketenconf.registration import services as registration_services
from ketenconf.registration.models import Registration

from . import fields
from .models import ImportJob, ImportKind, ImportStatus
from .progress import ProgressReporter
from .reading import UnreadableFile, column_letter, read_sheet

logger = logging.getLogger(__name__)

#: Up to this many rows a check or an import runs in the request; larger files go to the worker.
INLINE_ROW_LIMIT = 500
#: Rows shown in the outcome, and errors kept (their total is counted all the same).
ROWS_SHOWN = 100
#: Rows kept at upload to show beside each column.
SAMPLE_ROWS = 3
ERRORS_KEPT = 500
MAX_FILE_BYTES = 20 * 1024 * 1024
#: An uploaded file, and the rows an outcome shows, are kept this long (they hold personal data).
KEEP_UPLOADS = timedelta(days=7)


class ImportError_(Exception):
    """Raised inside the transaction to roll it back: a check, or rows with errors."""


# Upload and mapping -------------------------------------------------------------------------


def import_job_create(
    *, edition: Edition, kind: str, filename: str, content: bytes, by: Actor
) -> ImportJob:
    """Keep an uploaded file with its columns and a guessed mapping. Raises ``ValidationError``
    when the file cannot be read, and keeps nothing then."""
    if kind not in ImportKind.values:
        raise ValidationError({"kind": [_("Choose what the file holds.")]})
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(
            {"file": [_("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES >> 20}]}
        )
    try:
        sheet = read_sheet(filename=filename, content=content)
    except UnreadableFile as error:
        raise ValidationError({"file": [str(error)]}) from error
    mapping = fields.guess_mapping(kind=kind, headers=sheet.headers)
    return ImportJob.objects.create(
        edition=edition,
        kind=kind,
        created_by=actor_user(by),
        filename=filename[:255],
        content=content,
        headers=sheet.headers,
        samples=[row for row in sheet.rows if row][:SAMPLE_ROWS],
        row_count=sum(1 for row in sheet.rows if row),
        mapping={str(index): name for index, name in mapping.items()},
    )


def import_job_map(
    *, job: ImportJob, mapping: Mapping[int, str], notify: bool = False
) -> ImportJob:
    """Set which column holds which field (others are left out). Raises ``ValidationError``."""
    if job.is_under_way:
        raise ValidationError(_("This import is under way; wait until it has finished."))
    if job.status == ImportStatus.DONE:
        raise ValidationError(_("This file has been imported already."))
    known = {f.name for f in fields.FIELDS[job.kind]}
    columns = len(job.headers)
    clean: dict[str, str] = {}
    for index, name in mapping.items():
        if not name:
            continue
        if name not in known or not 0 <= index < columns:
            raise ValidationError(_("Unknown column or field: %(field)s.") % {"field": name})
        clean[str(index)] = name
    errors = fields.mapping_errors(kind=job.kind, fields=clean.values())
    if errors:
        raise ValidationError(errors)
    job.mapping = clean
    job.notify = notify
    job.status = ImportStatus.UPLOADED
    job.result = None
    job.save(update_fields=["mapping", "notify", "status", "result"])
    return job


def import_job_start(*, job: ImportJob, commit: bool, background: bool | None = None) -> ImportJob:
    """Check (``commit=False``) or import the file. Small files run at once; larger ones (or
    ``background=True``) go to the worker after this transaction commits."""
    errors = fields.mapping_errors(kind=job.kind, fields=job.mapping.values())
    if errors:
        raise ValidationError(errors)
    if background is None:
        background = job.row_count > INLINE_ROW_LIMIT
    with transaction.atomic():
        queued = ImportJob.objects.filter(
            pk=job.pk,
            status__in=[
                ImportStatus.UPLOADED,
                ImportStatus.CHECKED,
                ImportStatus.REJECTED,
                ImportStatus.FAILED,
            ],
        ).update(
            status=ImportStatus.QUEUED,
            commit=commit,
            rows_done=0,
            result=None,
            error="",
            started_at=None,
            finished_at=None,
            language=translation.get_language() or "nl",
        )
        if not queued:
            raise ValidationError(
                _("This import is under way or done already; it cannot start again.")
            )
        if background:
            from .tasks import execute_import

            transaction.on_commit(partial(execute_import.enqueue, job.pk), robust=True)
    if not background:
        import_job_execute(job_id=job.pk)
    job.refresh_from_db()
    return job


# Running ------------------------------------------------------------------------------------


@dataclass
class RowError(Exception):
    messages: dict[str, list[str]]  # field name (or "" for the row) → messages


@dataclass
class Outcome:
    action: str  # created, changed, unchanged
    text: str
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Context:
    job: ImportJob
    edition: Edition
    by: Actor  # the organiser who uploaded; None for the operator at the command line
    values_of: Callable[[list[str]], dict[str, str]]
    seen: dict[str, int] = field(default_factory=dict)  # a key in the file → its first row
    cache: dict[str, Any] = field(default_factory=dict)


def _column_names(job: ImportJob) -> dict[str, str]:
    """Field → "C (E-mailadres)": where an organiser finds it in the file."""
    names = {
        name: f"{column_letter(int(index))} ({job.headers[int(index)]})"
        for index, name in job.mapping.items()
    }
    if "name" not in names and "first_name" in names:
        names["name"] = names["first_name"]
    return names


def import_job_execute(*, job_id: int) -> str:
    """Run a queued check or import; called inline or by the worker. Returns the status.

    The claim (queued → running) is one conditional UPDATE, so a job runs once.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    job = ImportJob.objects.select_related("edition", "created_by").get(pk=job_id)
    with translation.override(job.language):
        try:
            # The rows are the organiser's who uploaded the file, in the worker too.
            with acting_for(job.created_by, f"import {job.filename}"):
                status, result = _execute(job)
        except Exception as exc:
            logger.exception("Import %s failed", job_id)
            ImportJob.objects.filter(pk=job_id).update(
                status=ImportStatus.FAILED,
                error=f"{type(exc).__name__}: {exc}"[:2000],
                finished_at=timezone.now(),
            )
            return ImportStatus.FAILED
    update: dict[str, Any] = {
        "status": status,
        "result": result,
        "rows_done": job.row_count,
        "finished_at": timezone.now(),
    }
    if status == ImportStatus.DONE:
        update["samples"] = []
        update["content"] = b""  # imported: the personal data lives in the registrations now
    ImportJob.objects.filter(pk=job_id).update(**update)
    return status


def _execute(job: ImportJob) -> tuple[str, dict[str, Any]]:
    sheet = read_sheet(filename=job.filename, content=bytes(job.content))
    columns = {int(index): name for index, name in job.mapping.items()}

    def values_of(row: list[str]) -> dict[str, str]:
        return {name: row[index].strip() for index, name in columns.items()}

    context = Context(job=job, edition=job.edition, by=job.created_by, values_of=values_of)
    handler = ROW_HANDLERS[job.kind]
    names = _column_names(job)
    counts: dict[str, int] = {"created": 0, "changed": 0, "unchanged": 0}
    shown: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    error_count = 0
    reporter = ProgressReporter(job_id=job.pk)
    done = 0
    try:
        with transaction.atomic():
            for number, row in enumerate(sheet.rows, start=2):
                if not row:
                    continue
                try:
                    with transaction.atomic():
                        outcome = handler(context, values_of(row), number)
                except RowError as error:
                    for name, messages in error.messages.items():
                        for message in messages:
                            error_count += 1
                            if len(errors) < ERRORS_KEPT:
                                errors.append(
                                    {
                                        "row": number,
                                        "column": names.get(name, ""),
                                        "message": message,
                                    }
                                )
                else:
                    counts[outcome.action] += 1
                    for key, value in outcome.counts.items():
                        counts[key] = counts.get(key, 0) + value
                    if len(shown) < ROWS_SHOWN:
                        shown.append(
                            {"row": number, "action": outcome.action, "text": outcome.text}
                        )
                done += 1
                reporter.report(done)
            if error_count or not job.commit:
                raise ImportError_
    except ImportError_:
        pass
    finally:
        reporter.close()
    result = {"counts": counts, "rows": shown, "errors": errors, "error_count": error_count}
    if error_count:
        return ImportStatus.REJECTED, result
    return (ImportStatus.DONE if job.commit else ImportStatus.CHECKED), result


def _messages(
    error: ValidationError, *, rename: Mapping[str, str] | None = None
) -> dict[str, list[str]]:
    rename = rename or {}
    if hasattr(error, "error_dict"):
        return {
            rename.get(name, "" if name == "__all__" else name): [str(m) for m in messages]
            for name, messages in error.message_dict.items()
        }
    return {"": [str(m) for m in error.messages]}


def _label(model: type[Model], name: str) -> Any:
    return getattr(model._meta.get_field(name), "verbose_name", name)


def _read(
    values: dict[str, str], name: str, reader: Callable[[str], Any], errors: dict[str, list[str]]
) -> Any:
    try:
        return reader(values.get(name, ""))
    except fields.BadValue as bad:
        errors.setdefault(name, []).append(str(bad))
        return None


def _first_seen(context: Context, key: str, number: int, name: str) -> None:
    first = context.seen.setdefault(key, number)
    if first != number:
        raise RowError({name: [_("This is in row %(row)s of the file already.") % {"row": first}]})


# Participants -------------------------------------------------------------------------------


def _registered_emails(context: Context) -> set[str]:
    """The addresses registered for the edition before the import: one query, not one a row."""
    if "emails" not in context.cache:
        context.cache["emails"] = set(
            Registration.objects.filter(edition=context.edition).values_list("email", flat=True)
        )
    emails: set[str] = context.cache["emails"]
    return emails


def _organisations(context: Context) -> dict[str, Organisation]:
    """Organisations by lower-case name and short name, as ``organisation_for_registration``
    matches them (a name before a short name), loaded once."""
    if "organisations" not in context.cache:
        by_name: dict[str, Organisation] = {}
        everything = list(Organisation.objects.order_by("pk"))
        for organisation in everything:
            if organisation.short_name:
                by_name.setdefault(organisation.short_name.lower(), organisation)
        for organisation in everything:
            by_name[organisation.name.lower()] = organisation
        context.cache["organisations"] = by_name
    organisations: dict[str, Organisation] = context.cache["organisations"]
    return organisations


def _known_organisation(context: Context, name: str) -> Organisation | None:
    return _organisations(context).get(" ".join(name.split()).lower())


def _remember_organisation(context: Context, organisation: Organisation) -> None:
    _organisations(context).setdefault(organisation.name.lower(), organisation)


def _participant_row(context: Context, values: dict[str, str], number: int) -> Outcome:
    errors: dict[str, list[str]] = {}
    name = values.get("name") or " ".join(
        part
        for part in (values.get("first_name"), values.get("name_prefix"), values.get("last_name"))
        if part
    )
    if not name:
        errors["name"] = [_("The name is empty.")]
    email = normalise_email(values.get("email", ""))
    if not email:
        errors["email"] = [_("The email address is empty.")]
    else:
        try:
            validate_email(email)
        except ValidationError as error:
            errors["email"] = [str(m) for m in error.messages]
    if not values.get("organisation"):
        errors["organisation"] = [_("The organisation is empty.")]
    step_free = _read(values, "needs_step_free", fields.yes_no, errors)
    consent = _read(values, "networking_consent", fields.yes_no, errors)
    language = _read(values, "language", fields.language, errors)
    if errors:
        raise RowError(errors)
    _first_seen(context, f"email:{email}", number, "email")
    existing = None
    if email in _registered_emails(context):
        existing = (
            Registration.objects.filter(edition=context.edition, email=email).order_by().first()
        )
    try:
        if existing is not None and existing.is_active:
            return _participant_update(
                existing, values, name=name, step_free=step_free, consent=consent, language=language
            )
        outcome = registration_services.registration_create(
            edition=context.edition,
            name=name,
            email=email,
            organisation=_known_organisation(context, values["organisation"]),
            organisation_name=values["organisation"],
            job_title=values.get("job_title", ""),
            answers=question_services.answers_known(
                edition_id=context.edition.pk,
                raw={key: values.get(key, "") for key in DEFAULT_KEYS},
            ),
            needs_step_free=bool(step_free),
            networking_consent=bool(consent),
            language=language,
            even_if_closed=True,
            notify=context.job.notify,
            confirmed=True,
        )
    except ValidationError as error:
        raise RowError(_messages(error)) from error
    registration = outcome.registration
    _remember_organisation(context, registration.organisation)
    if registration.has_seat:
        return Outcome("created", _("%(name)s: a seat") % {"name": registration.name}, {"seats": 1})
    return Outcome(
        "created",
        _("%(name)s: on the waiting list") % {"name": registration.name},
        {"waitlisted": 1},
    )


def _participant_update(
    registration: Registration,
    values: dict[str, str],
    *,
    name: str,
    step_free: bool | None,
    consent: bool | None,
    language: str,
) -> Outcome:
    """A participant registered already: their details as in the file, where it has them."""
    details: dict[str, Any] = {
        "name": " ".join(name.split()),
        "job_title": values.get("job_title", registration.job_title).strip(),
        "needs_step_free": step_free
        if "needs_step_free" in values
        else registration.needs_step_free,
        "networking_consent": consent
        if "networking_consent" in values
        else registration.networking_consent,
        "language": language if "language" in values else registration.language,
    }
    changed = [key for key, value in details.items() if getattr(registration, key) != value]
    if changed:
        registration_services.registration_update_details(registration=registration, **details)
    labels = [str(_label(Registration, key)) for key in changed]
    answered = question_services.registration_answers_update(
        registration=registration,
        raw=question_services.answers_known(
            edition_id=registration.edition_id,
            raw={key: values[key] for key in DEFAULT_KEYS if values.get(key, "").strip()},
        ),
        language=registration.language,
    )
    labels += [q.text(get_language() or "nl") for q in answered]
    if not labels:
        return Outcome("unchanged", _("%(name)s: registered already") % {"name": registration.name})
    return Outcome(
        "changed",
        _("%(name)s: registered already; changed: %(fields)s")
        % {"name": registration.name, "fields": ", ".join(labels)},
    )


# Organisations ------------------------------------------------------------------------------


def _chain_links(value: str) -> list[str]:
    links = []
    for part in re.split(r"[;,]", value):
        if part.strip():
            found = fields.choice(part.strip(), ChainLink, default="")
            if found not in links:
                links.append(found)
    return links


def _organisation_row(context: Context, values: dict[str, str], number: int) -> Outcome:
    errors: dict[str, list[str]] = {}
    name = " ".join(values.get("name", "").split())
    if not name:
        errors["name"] = [_("The name is empty.")]
    kind = _read(values, "kind", lambda v: fields.choice(v, OrganisationKind, default=""), errors)
    links = _read(values, "chain_links", _chain_links, errors)
    if errors:
        raise RowError(errors)
    _first_seen(context, f"organisation:{name.lower()}", number, "name")
    wanted: dict[str, Any] = {}
    if "short_name" in values:
        wanted["short_name"] = values["short_name"]
    if kind:
        wanted["kind"] = kind
    if "chain_links" in values:
        wanted["chain_links"] = links
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing is None:
        organisation = Organisation(name=name, **{"kind": OrganisationKind.OTHER, **wanted})
        try:
            organisation.full_clean()
        except ValidationError as error:
            raise RowError(_messages(error)) from error
        organisation.save()
        return Outcome("created", organisation.name)
    changed = [key for key, value in wanted.items() if getattr(existing, key) != value]
    if not changed:
        return Outcome("unchanged", existing.name)
    if context.by is not None and not context.by.is_superuser:
        # Organisations are shared by every edition: only administrators change them.
        return Outcome(
            "unchanged",
            _("%(name)s: exists already; only administrators change organisations")
            % {"name": existing.name},
        )
    for key, value in wanted.items():
        setattr(existing, key, value)
    try:
        existing.full_clean()
    except ValidationError as error:
        raise RowError(_messages(error)) from error
    existing.save()
    labels = ", ".join(str(_label(Organisation, key)) for key in changed)
    return Outcome(
        "changed", _("%(name)s: changed: %(fields)s") % {"name": existing.name, "fields": labels}
    )


# Sessions -----------------------------------------------------------------------------------


def _blocks(context: Context) -> list[Block]:
    if "blocks" not in context.cache:
        context.cache["blocks"] = list(
            Block.objects.filter(edition=context.edition).order_by("start")
        )
    return context.cache["blocks"]


def _find_block(context: Context, value: str) -> Block:
    from .fields import normalise

    text = value.strip()
    blocks = _blocks(context)
    found = [
        b
        for b in blocks
        if normalise(text)
        in {
            normalise(getattr(b, "title_nl", "") or ""),
            normalise(getattr(b, "title_en", "") or ""),
        }
    ]
    if not found:
        moment = re.fullmatch(r"(?:(\d{4}-\d{2}-\d{2})[ T])?(\d{1,2})[:.](\d{2})(?::\d{2})?", text)
        if moment:
            day, hour, minute = moment.groups()
            found = [
                b
                for b in blocks
                if (timezone.localtime(b.start).hour, timezone.localtime(b.start).minute)
                == (int(hour), int(minute))
                and (day is None or timezone.localtime(b.start).date().isoformat() == day)
            ]
    if len(found) == 1:
        return found[0]
    if not text:
        raise fields.BadValue(_("The block is empty."))
    if found:
        raise fields.BadValue(
            _("%(value)s fits more than one block; give the start time with the date.")
            % {"value": value}
        )
    known = ", ".join(f"{b} ({timezone.localtime(b.start):%H:%M})" for b in blocks) or "—"
    raise fields.BadValue(
        _("There is no block %(value)s. The blocks are: %(blocks)s.")
        % {"value": value, "blocks": known}
    )


def _find_room(context: Context, value: str) -> Room:
    rooms = context.cache.setdefault(
        "rooms", {room.name.lower(): room for room in Room.objects.filter(edition=context.edition)}
    )
    room = rooms.get(value.strip().lower())
    if room is None:
        known = ", ".join(sorted(r.name for r in rooms.values())) or "—"
        raise fields.BadValue(
            _("There is no room %(value)s in this edition. The rooms are: %(rooms)s.")
            % {"value": value, "rooms": known}
        )
    return room


def _hosts(value: str) -> list[tuple[str, str]]:
    """``Anna de Vries (IND); Bram`` → [("Anna de Vries", "IND"), ("Bram", "")]."""
    hosts = []
    for part in value.split(";"):
        text = part.strip()
        if not text:
            continue
        found = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", text)
        hosts.append((found.group(1).strip(), found.group(2).strip()) if found else (text, ""))
    return hosts


def _same_hosts(topic: Topic, hosts: list[tuple[str, str]]) -> bool:
    before = list(topic.hosts.select_related("organisation").order_by("order", "pk"))
    if len(before) != len(hosts):
        return False
    for host, (name, organisation) in zip(before, hosts, strict=True):
        names = (
            {host.organisation.name.lower(), host.organisation.short_name.lower()}
            if host.organisation
            else {""}
        )
        if host.name != name or organisation.lower() not in names:
            return False
    return True


def _session_row(context: Context, values: dict[str, str], number: int) -> Outcome:
    errors: dict[str, list[str]] = {}
    title = " ".join(values.get("title", "").split())
    if not title:
        errors["title"] = [_("The title is empty.")]
    kind = _read(
        values,
        "kind",
        lambda v: fields.choice(v, SessionKind, default=SessionKind.WORKSHOP),
        errors,
    )
    language = _read(
        values, "language", lambda v: fields.choice(v, Language, default=Language.DUTCH), errors
    )
    block = _read(values, "block", lambda v: _find_block(context, v), errors)
    room = _read(values, "room", lambda v: _find_room(context, v), errors)
    capacity = _read(values, "capacity", fields.whole_number, errors)
    hosts = _hosts(values.get("hosts", ""))
    if errors:
        raise RowError(errors)
    _first_seen(context, f"session:{title.lower()}:{block.pk}", number, "title")
    topic = (
        Topic.objects.filter(edition=context.edition)
        .filter(Q(title_nl__iexact=title) | Q(title_en__iexact=title))
        .first()
    )
    changed: list[str] = []
    created = topic is None
    if topic is None:
        topic = Topic(edition=context.edition, kind=kind, title_nl=title, language=language)
    elif (
        context.by is not None
        and not topics_editable_by(user=context.by).filter(pk=topic.pk).exists()
    ):
        raise RowError({"title": [_("You may not change the topic %(title)s.") % {"title": title}]})
    wanted: dict[str, Any] = {}
    if "kind" in values:
        wanted["kind"] = kind
    if "language" in values:
        wanted["language"] = language
    for name, attribute in (
        ("title_en", "title_en"),
        ("description", "description_nl"),
        ("theme", "theme_nl"),
    ):
        if name in values:
            wanted[attribute] = values[name]
    for attribute, value in wanted.items():
        if getattr(topic, attribute) != value:
            setattr(topic, attribute, value)
            changed.append(attribute)
    try:
        if created or changed:
            programme_services.topic_save(topic=topic)
        session = Session.objects.filter(topic=topic, block=block).first()
        session_created = session is None
        if session is None:
            session = Session(
                edition=context.edition, topic=topic, block=block, room=room, capacity=capacity
            )
        else:
            if session.room_id != room.pk:
                session.room = room
                changed.append("room")
            if "capacity" in values and session.capacity != capacity:
                session.capacity = capacity
                changed.append("capacity")
        if session_created or changed:
            programme_services.session_save(session=session)
    except ValidationError as error:
        raise RowError(
            _messages(
                error,
                rename={"title_nl": "title", "description_nl": "description", "theme_nl": "theme"},
            )
        ) from error
    if "hosts" in values and not _same_hosts(topic, hosts):
        written = []
        for host_name, organisation_name in hosts:
            organisation = None
            if organisation_name:
                try:
                    organisation = registration_services.organisation_for_registration(
                        organisation=None, organisation_name=organisation_name
                    )
                except ValidationError as error:
                    raise RowError({"hosts": [str(m) for m in error.messages]}) from error
            written.append(programme_services.HostIn(name=host_name, organisation=organisation))
        programme_services.topic_hosts_set(topic=topic, hosts=written)
        changed.append("hosts")
    text = f"{getattr(topic, 'title_nl', topic.title)} — {block}, {room.name}"
    if created or session_created:
        return Outcome("created", text)
    if changed:
        return Outcome("changed", text)
    return Outcome("unchanged", text)


ROW_HANDLERS: dict[str, Callable[[Context, dict[str, str], int], Outcome]] = {
    ImportKind.PARTICIPANTS: _participant_row,
    ImportKind.ORGANISATIONS: _organisation_row,
    ImportKind.SESSIONS: _session_row,
}


# Personal data kept no longer than needed ---------------------------------------------------


def _without_rows(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """An outcome with its counts only: the rows and errors quote the file."""
    if result is None:
        return None
    return {"counts": result.get("counts", {}), "error_count": result.get("error_count", 0)}


def imports_purge_stale(*, now: datetime | None = None) -> int:
    """Delete uploaded files and the rows quoted from them once they are ``KEEP_UPLOADS`` old,
    or once their edition's retention period ended. Run by the worker; returns the jobs purged.

    A file not imported by then is gone: its job says so and the organiser uploads it again.
    That holds for jobs in every state: one still queued or running a week after its upload
    belongs to a worker long gone (its task is released within minutes), and its file must go
    all the same.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    stale = Q(created_at__lt=now - KEEP_UPLOADS)
    for edition in Edition.objects.filter(import_jobs__isnull=False).distinct():
        if edition.end_date + timedelta(days=edition.retention_days) < today:
            stale |= Q(edition=edition)
    jobs = (
        ImportJob.objects.filter(stale)
        .exclude(status=ImportStatus.EXPIRED)
        .filter(~Q(status=ImportStatus.DONE) | Q(result__has_any_keys=["rows", "errors"]))
    )
    purged = 0
    for job in jobs.only("pk", "status", "result"):
        update: dict[str, Any] = {
            "content": b"",
            "samples": [],
            "result": _without_rows(job.result),
        }
        if job.status != ImportStatus.DONE:
            update.update(status=ImportStatus.EXPIRED, headers=[], mapping={})
        purged += ImportJob.objects.filter(pk=job.pk, status=job.status).update(**update)
    return purged
