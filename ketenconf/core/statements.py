"""Fixed statements for a hot path: rows read and written without the ORM building SQL each time.

What it buys: the ORM builds a statement's SQL anew on every call, and for the short
statements of a registration that costs more CPU than the database spends on them; a rush of
registrations is bound by that CPU. Made once, the same statements cost a fraction (how much,
on which machine: ``bench/README.md``, the registration rush). The price is a second way to
read and write a few rows, which ``tests/core/test_statements.py`` holds to the ORM's results.
Only the registration hot path uses it (``ketenconf.registration.hot_path``, and the outbox
row each registration writes); everything else stays on the ORM.

For those few statements this module makes the SQL once per model and database vendor, from
the model's own fields, and leaves the values to those fields' conversions, so that a row reads
and writes as it does through the ORM:

- :func:`select` -- instances from ``SELECT <every column> FROM <table> WHERE <where>``,
  each value passed through the converters the ORM would apply (dates and booleans on
  SQLite, JSON on both);
- :func:`count` -- ``SELECT COUNT(*) FROM <table> WHERE <where>``;
- :func:`update` -- ``UPDATE <table> SET <assignments> WHERE <where>``, the count of rows;
- :func:`insert` -- ``INSERT`` of one new instance: each field's ``pre_save()`` runs
  (``auto_now_add``), values are prepared by their fields, the key is set on the instance.

The SQL is made of the model's own names and the caller's fixed text; values travel only as
parameters. The ``pre_save``/``post_save`` signals are not sent, so :func:`insert` refuses a
model that has receivers for them. Keep everything off the hot path on the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=Model)

Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


@dataclass(frozen=True)
class _Read:
    columns: str
    attnames: list[str]
    #: Per column, what the ORM would pass the value through, with the column expression.
    converters: list[tuple[int, Any, list[Converter]]]


@dataclass(frozen=True)
class _Write:
    sql: str
    fields: list[Field[Any, Any]]
    #: ``RETURNING`` the key (PostgreSQL, SQLite 3.35+); else the cursor's ``lastrowid``.
    returns_pk: bool


def _connection(using: str) -> BaseDatabaseWrapper:
    return connections[using]


def _column(field: Field[Any, Any]) -> str:
    if field.column is None:  # concrete fields always have one
        raise TypeError(f"{field} has no column.")
    return field.column


@cache
def _read(model: type[Model], using: str, vendor: str) -> _Read:
    connection = _connection(using)
    meta = model._meta
    quote = connection.ops.quote_name
    columns: list[str] = []
    attnames: list[str] = []
    converters: list[tuple[int, Any, list[Converter]]] = []
    for index, field in enumerate(meta.concrete_fields):
        columns.append(f"{quote(meta.db_table)}.{quote(_column(field))}")
        attnames.append(field.attname)
        column = field.get_col(meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((index, column, found))
    return _Read(columns=", ".join(columns), attnames=attnames, converters=converters)


@cache
def _write(model: type[Model], using: str, vendor: str) -> _Write:
    connection = _connection(using)
    meta = model._meta
    if meta.parents:
        raise TypeError(f"{model.__name__}: models with parents are not supported.")
    quote = connection.ops.quote_name
    fields = [
        field
        for field in meta.local_concrete_fields
        if field is not meta.auto_field and not getattr(field, "generated", False)
    ]
    columns = ", ".join(quote(_column(field)) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    auto_field = meta.auto_field
    returns_pk = auto_field is not None and connection.features.can_return_columns_from_insert
    if auto_field is not None and returns_pk:
        sql += f" RETURNING {quote(_column(auto_field))}"
    return _Write(sql=sql, fields=fields, returns_pk=returns_pk)


def select(
    model: type[M], where: str, params: Sequence[Any], *, using: str = DEFAULT_DB_ALIAS
) -> list[M]:
    """The instances of ``model`` whose rows match ``where`` (SQL with ``%s`` placeholders).

    Columns in ``where`` are written as the table's own (``model._meta.db_table``), quoted as
    the database wants them; an ORDER BY or LIMIT may follow the condition.
    """
    connection = _connection(using)
    read = _read(model, using, connection.vendor)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {read.columns} FROM {table} WHERE {where}", params)  # noqa: S608
        rows = cursor.fetchall()
    found: list[M] = []
    for row in rows:
        values = list(row)
        for index, column, converters in read.converters:
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        found.append(model.from_db(using, read.attnames, values))
    return found


def count(
    model: type[Model], where: str, params: Sequence[Any], *, using: str = DEFAULT_DB_ALIAS
) -> int:
    """How many rows of ``model`` match ``where`` (written as for :func:`select`)."""
    connection = _connection(using)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)  # noqa: S608
        return int(cursor.fetchone()[0])


def update(
    model: type[Model],
    assignments: str,
    where: str,
    params: Sequence[Any],
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """``UPDATE`` the rows of ``model`` matching ``where``; how many were changed."""
    connection = _connection(using)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {assignments} WHERE {where}", params)  # noqa: S608
        return int(cursor.rowcount)


def insert(instance: Model, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Write ``instance`` as a new row, as ``save(force_insert=True)`` would.

    Refuses a model something listens to (``pre_save``/``post_save``): the listener would
    silently not run.
    """
    model = type(instance)
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        raise TypeError(f"{model.__name__} has save signal receivers: save it through the ORM.")
    connection = _connection(using)
    write = _write(model, using, connection.vendor)
    values = []
    for field in write.fields:
        value = field.pre_save(instance, add=True)
        if hasattr(value, "resolve_expression"):
            raise TypeError(f"{model.__name__}.{field.name}: expressions are not supported.")
        values.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(write.sql, values)
        auto_field = model._meta.auto_field
        if auto_field is not None:
            pk = cursor.fetchone()[0] if write.returns_pk else cursor.lastrowid
            setattr(instance, auto_field.attname, pk)
    instance._state.adding = False
    instance._state.db = using
