"""Fast executemany for imports: the dialect's own INSERT, compiled once, with bind
processing only on the columns that need it (dates, JSON) and memoised for repeated values.

SQLAlchemy's per-row parameter handling costs more than SQLite's insert itself at
200,000 spans; this keeps the SQL portable while skipping that work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Table, bindparam
from sqlalchemy.engine import Connection


def _memoised(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    memo: dict[Any, Any] = {}

    def run(value: Any) -> Any:
        if isinstance(value, dict):
            if value:
                return process(value)
            if "{}" not in memo:
                memo["{}"] = process({})
            return memo["{}"]
        try:
            return memo[value]
        except KeyError:
            memo[value] = result = process(value)
            return result
        except TypeError:  # unhashable
            return process(value)

    return run


_COMPILED: dict[tuple[str, tuple[str, ...], str], Any] = {}


def _compiled(table: Table, columns: tuple[str, ...], dialect: Any) -> Any:
    # Compiling the INSERT costs more than inserting a document's few rows: do it once.
    key = (table.name, columns, dialect.name)
    if key not in _COMPILED:
        _COMPILED[key] = (
            table.insert()
            .values({name: bindparam(name) for name in columns})
            .compile(dialect=dialect)
        )
    return _COMPILED[key]


def bulk_insert(
    connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table`` in one executemany."""
    rows = list(rows)
    if not rows:
        return
    dialect = connection.dialect
    compiled = _compiled(table, tuple(columns), dialect)
    processors: list[Callable[[Any], Any] | None] = []
    for name in columns:
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        processors.append(_memoised(process) if process else None)
    active = [(i, p) for i, p in enumerate(processors) if p is not None]

    def prepared(row: Sequence[Any]) -> tuple[Any, ...]:
        values = list(row)
        for i, process in active:
            values[i] = process(values[i])
        return tuple(values)

    params: list[Any]
    if compiled.positional and list(compiled.positiontup or ()) == list(columns):
        params = [prepared(row) for row in rows] if active else [tuple(row) for row in rows]
    elif compiled.positional:
        order = [columns.index(name) for name in compiled.positiontup or ()]
        params = [tuple(values[i] for i in order) for values in map(prepared, rows)]
    else:
        params = [dict(zip(columns, values, strict=True)) for values in map(prepared, rows)]
    connection.exec_driver_sql(str(compiled), params)


# Column lists of the bulk inserts, in the order their rows are built.
LOG_COLUMNS = (
    "action",
    "entity",
    "entity_id",
    "document_id",
    "annotator_id",
    "at",
    "before",
    "after",
    "step_id",
)
NEW_SUGGESTION_COLUMNS = (
    "document_id",
    "start",
    "end",
    "label_id",
    "text",
    "rule",
    "rule_version",
    "explanation",
    "state",
    "created_at",
)
# A suggestion put back by an undo keeps its id.
RESTORED_SUGGESTION_COLUMNS = ("id", *NEW_SUGGESTION_COLUMNS)


def insert_bound(
    connection: Connection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert rows already in their database form (dates, JSON converted by the caller, which
    converts the values every row repeats once) in one executemany, with no per-row work here."""
    if not rows:
        return
    compiled = _compiled(table, tuple(columns), connection.dialect)
    if compiled.positional and list(compiled.positiontup or ()) == list(columns):
        connection.exec_driver_sql(str(compiled), rows)
    elif compiled.positional:
        order = [columns.index(name) for name in compiled.positiontup or ()]
        connection.exec_driver_sql(str(compiled), [tuple(row[i] for i in order) for row in rows])
    else:
        connection.exec_driver_sql(
            str(compiled), [dict(zip(columns, row, strict=True)) for row in rows]
        )


def _processor(table: Table, name: str, dialect: Any) -> Callable[[Any], Any] | None:
    process: Callable[[Any], Any] | None = (
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    )
    return process


def bulk_insert_sharing(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    shared: dict[str, Any],
) -> None:
    """``bulk_insert`` of rows that end with the same values (``shared``: column -> value, a
    date or a state): those are converted once, and the rows go to the driver as they are when
    none of ``columns`` needs converting (a per-row conversion costs more than SQLite's insert)."""
    rows = list(rows)
    if not rows:
        return
    dialect = connection.dialect
    names = (*columns, *shared)
    if any(_processor(table, name, dialect) for name in columns):
        tail = tuple(shared.values())
        bulk_insert(connection, table, names, [row + tail for row in rows])
        return
    tail = tuple(
        process(value) if (process := _processor(table, name, dialect)) else value
        for name, value in shared.items()
    )
    compiled = _compiled(table, names, dialect)
    params: list[Any]
    if compiled.positional and list(compiled.positiontup or ()) == list(names):
        params = [row + tail for row in rows]
    elif compiled.positional:
        order = [names.index(name) for name in compiled.positiontup or ()]
        params = [tuple((row + tail)[i] for i in order) for row in rows]
    else:
        params = [dict(zip(names, row + tail, strict=True)) for row in rows]
    connection.exec_driver_sql(str(compiled), params)
