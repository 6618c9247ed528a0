"""Backing up a PostgreSQL database: ``pg_dump`` in its custom format when it is on PATH (what
``pg_restore`` reads back), else a logical JSONL export of what the annotation work is (documents,
labels, annotators, spans, rules; one JSON object a line, ``{"table": ..., "row": {...}}``).

Either way the backup is written beside the target and moved onto it only when complete.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine, make_url

from annotator.core.errors import DatabaseError, UsageError
from annotator.store.schema import AnnotatorRow, Base, DocumentRow, LabelRow, RuleRow, SpanRow

PG_DUMP = "pg_dump (custom format; restore with pg_restore)"
JSONL = "a JSONL export of documents, labels, annotators, spans and rules (no pg_dump on PATH)"
# Parents before children, so a reader can load them in this order.
EXPORTED = (LabelRow, AnnotatorRow, DocumentRow, SpanRow, RuleRow)


def backup_kind() -> str:
    """What ``backup`` writes on this machine."""
    return PG_DUMP if shutil.which("pg_dump") else JSONL


def backup(engine: Engine, target: Path) -> Path:
    """Write a backup of the database to ``target`` (see the module's docstring)."""
    if not target.parent.is_dir():
        raise UsageError(f"{target}: folder {target.parent} does not exist")
    temporary = target.with_name(f".{target.name}.partial")
    temporary.unlink(missing_ok=True)
    try:
        dump = shutil.which("pg_dump")
        if dump:
            _pg_dump(dump, engine, temporary)
        else:
            _jsonl(engine, temporary)
        temporary.replace(target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise UsageError(f"{target}: cannot write the backup ({exc.strerror or exc})") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def _pg_dump(program: str, engine: Engine, target: Path) -> None:
    url = make_url(engine.url).set(drivername="postgresql")
    command = [program, "--format=custom", f"--file={target}", "--no-password"]
    env = None
    if url.password:
        # The password goes in the environment, never on a command line others can list.
        import os

        env = {**os.environ, "PGPASSWORD": str(url.password)}
        url = url.set(password=None)
    command.append(url.render_as_string(hide_password=False))
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise DatabaseError(f"pg_dump failed: {reason}")


def _jsonl(engine: Engine, target: Path) -> None:
    with engine.connect() as connection, target.open("w", encoding="utf-8") as out:
        for row_type in EXPORTED:
            table = Base.metadata.tables[row_type.__tablename__]
            result = connection.execution_options(yield_per=1000).execute(
                select(table).order_by(*table.primary_key.columns)
            )
            for row in result.mappings():
                record: dict[str, Any] = {"table": table.name, "row": dict(row)}
                out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


# Parents before children (foreign keys); alembic_version and search_index are the copy's own.
COPIED = (
    "annotators",
    "labels",
    "documents",
    "rules",
    "rule_blobs",
    "undo_steps",
    "spans",
    "suggestions",
    "change_log",
    "assignments",
)


def copy_to_sqlite(engine: Engine, target: Path) -> Path:
    """The whole database as a new SQLite file at ``target`` (``export sqlite`` from PostgreSQL):
    a migrated file, every row copied under its id; its full-text index is caught up by its
    first search."""
    from annotator.store.engine import prepare, to_url

    if not target.parent.is_dir():
        raise UsageError(f"{target}: folder {target.parent} does not exist")
    temporary = target.with_name(f".{target.name}.partial")
    temporary.unlink(missing_ok=True)
    copy, _ = prepare(to_url(temporary))
    try:
        with engine.connect() as source, copy.begin() as sink:
            for name in COPIED:
                table = Base.metadata.tables[name]
                rows = source.execution_options(yield_per=2000).execute(
                    select(table).order_by(*table.primary_key.columns)
                )
                for chunk in rows.mappings().partitions():
                    sink.execute(table.insert(), [dict(row) for row in chunk])
        copy.dispose()
        temporary.replace(target)
    except BaseException:
        copy.dispose()
        temporary.unlink(missing_ok=True)
        raise
    return target
