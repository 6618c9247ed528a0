"""Open a database: engine set-up, migrations on open, backups, and refusing a newer schema."""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote
from weakref import WeakKeyDictionary

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError

from annotator.core.errors import DatabaseError, ReadOnlyDatabaseError
from annotator.store import sqlite_access

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = sqlite_access.BUSY_TIMEOUT_MS


def to_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a file path or a URL given as is; PostgreSQL through psycopg 3."""
    text = str(target)
    if "://" in text:
        scheme, rest = text.split("://", 1)
        if scheme in ("postgresql", "postgres"):
            return f"postgresql+psycopg://{rest}"
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def is_postgresql(url: str) -> bool:
    return url.startswith(("postgresql", "postgres:"))


def shown(url: str) -> str:
    """The URL as a user should read it: no password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _one_line(exc: BaseException) -> str:
    """A driver's message on one line (psycopg's span several, with hints)."""
    message = str(getattr(exc, "orig", None) or exc).strip()
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    return "; ".join(lines) if lines else type(exc).__name__


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    if parsed.database.startswith("file:"):  # a URI filename: sqlite:///file:PATH?mode=ro&uri=true
        return Path(unquote(parsed.database[len("file:") :]))
    return Path(parsed.database)


def _set_sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # WAL + NORMAL survives a killed process (every commit is in the WAL file);
    # FULL also survives power loss, at the price of an fsync per action.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


# PostgreSQL takes ids from sequences, which an INSERT naming its ids (an import numbering its
# documents, an undo putting a row back under its old id) does not move: then the sequence is put
# past the table's largest id, never back, so an id is never handed out twice (SQLite's
# AUTOINCREMENT tables behave so by themselves).
_INSERT_COLUMNS = re.compile(r'^\s*INSERT INTO "?(\w+)"?\s*\(([^)]*)\)', re.IGNORECASE)
_SEQUENCE_AHEAD = (
    "SELECT setval(q.s, GREATEST(q.top, COALESCE(pg_sequence_last_value(q.s), 1))) "
    "FROM (SELECT pg_get_serial_sequence(%(table)s, 'id')::regclass AS s, "
    "(SELECT max(id) FROM {table}) AS top) AS q WHERE q.s IS NOT NULL AND q.top IS NOT NULL"
)


def _keep_sequences_ahead(conn, _cursor, statement, _parameters, _context, _many) -> None:
    found = _INSERT_COLUMNS.match(statement)
    if found is None:
        return
    columns = {name.strip().strip('"') for name in found.group(2).split(",")}
    if "id" in columns:
        table = found.group(1)
        conn.connection.driver_connection.execute(
            _SEQUENCE_AHEAD.format(table=f'"{table}"'), {"table": table}
        )


# The LockWait of each SQLite file engine (store/sqlite_access.py): its read-only state and how
# its writes wait for another writer.
_LOCK_WAITS: WeakKeyDictionary[Engine, sqlite_access.LockWait] = WeakKeyDictionary()


def lock_wait(engine: Engine) -> sqlite_access.LockWait | None:
    """How writes to this SQLite file wait for the lock, and whether it is read-only; None for
    other databases."""
    return _LOCK_WAITS.get(engine)


def make_engine(url: str, *, snapshot: bool = False) -> Engine:
    """An engine on ``url``; with ``snapshot``, a SQLite file opened immutable (a WAL database in
    a folder this program may not write, which SQLite cannot open otherwise)."""
    try:
        if url.startswith("sqlite"):
            path = sqlite_path(url)
            if path is not None and not path.parent.is_dir():
                raise DatabaseError(
                    f"{path}: cannot create the database, folder {path.parent} does not exist"
                )
            if path is not None and path.exists() and not path.is_file():
                kind = "a folder" if path.is_dir() else "a device or a pipe"
                raise DatabaseError(f"{path}: not a database file, it is {kind}")
            target = url
            if snapshot and path is not None:
                target = f"sqlite:///file:{quote(str(path))}?immutable=1&uri=true"
            engine = create_engine(target, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _set_sqlite_pragmas)
            if path is not None:
                _LOCK_WAITS[engine] = sqlite_access.install(engine, path)
                event.listen(engine, "handle_error", _sqlite_error)
            return engine
        engine = create_engine(url, pool_pre_ping=True)
        if engine.dialect.name == "postgresql":
            event.listen(engine, "after_cursor_execute", _keep_sequences_ahead)
        return engine
    except ArgumentError as exc:
        raise DatabaseError(f"{url}: not a database path or URL ({exc})") from None
    except ModuleNotFoundError as exc:
        raise DatabaseError(f"{url}: the database driver is not installed ({exc.name})") from None


def _sqlite_error(context) -> BaseException | None:
    """SQLite's refusals that no code path expects, said as what they are: the file is read-only,
    another program holds the lock, the disk is full (instead of a driver traceback)."""
    original = context.original_exception
    if not isinstance(original, sqlite3.OperationalError) or context.engine is None:
        return None
    policy = _LOCK_WAITS.get(context.engine)
    if policy is None:
        return None
    code = sqlite_access.result_code(original)
    if code == sqlite_access.SQLITE_READONLY:
        reason = policy.read_only or sqlite_access.why_read_only(policy.path)
        return ReadOnlyDatabaseError(f"{policy.path} is read-only ({reason}): nothing was changed")
    if code == sqlite_access.SQLITE_BUSY:
        return policy.refused(sqlite_access.lock_holder(policy.path), policy.limit_s)
    if code == sqlite_access.SQLITE_FULL:
        return DatabaseError(f"{policy.path}: the disk is full; this action changed nothing")
    return None


def _alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


# Alembic costs a fifth of every command's start-up; it is imported only to migrate. What
# opening a database needs (the revisions known, the database's own) is read without it.
_REVISION = re.compile(r"""^(down_revision|revision)\s*=\s*['"]?([^'"\s]*)['"]?""", re.MULTILINE)


def known_revisions() -> tuple[set[str], str]:
    """The revisions of the migration scripts, and the head (the one no script revises)."""
    known: set[str] = set()
    revised: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION.findall(script.read_text(encoding="utf-8")))
        if found.get("revision"):
            known.add(found["revision"])
            if found.get("down_revision") not in (None, "", "None"):
                revised.add(found["down_revision"])
    heads = known - revised
    return known, max(heads) if heads else ""


def head_revision() -> str:
    return known_revisions()[1]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _backup_file(path: Path, revision: str | None) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(
        f"{path.stem}.backup-{stamp}-rev{revision or 'none'}{path.suffix or '.sqlite'}"
    )
    copy_sqlite(path, target)
    return target


def _look(engine: Engine) -> tuple[str | None, set[str]]:
    """The schema revision and the tables (the first reads of a database, which open it)."""
    revision = current_revision(engine)
    with engine.connect() as conn:
        return revision, set(inspect(conn).get_table_names())


def _read_only(engine: Engine) -> str | None:
    """Why this SQLite file may not be written (None: it may, or it is not a SQLite file)."""
    policy = _LOCK_WAITS.get(engine)
    if policy is None:
        return None
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        policy.read_only = sqlite_access.read_only_reason(driver, policy.path)
    return policy.read_only


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's online backup API, safe while others write."""
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def prepare(url: str, *, upgrade: bool = True) -> tuple[Engine, list[str]]:
    """Open the database at ``url``, migrate it to the head revision; the engine and notes.

    A SQLite file this program may not write is opened read-only (``lock_wait(engine).read_only``
    says why), if its schema needs no upgrade.
    """
    engine = make_engine(url)
    notes: list[str] = []
    try:
        revision, tables = _look(engine)
    except (SADatabaseError, OperationalError, ReadOnlyDatabaseError) as exc:
        engine.dispose()
        path = sqlite_path(url)
        if path is None or not path.is_file() or os.access(path.parent, os.W_OK):
            raise DatabaseError(
                f"{shown(url)}: cannot open the database: {_one_line(exc)}"
            ) from None
        # A WAL database in a folder we may not write: SQLite cannot make its shared-memory
        # file, so it is read as an immutable snapshot.
        engine = make_engine(url, snapshot=True)
        try:
            revision, tables = _look(engine)
        except (SADatabaseError, OperationalError) as again:
            engine.dispose()
            raise DatabaseError(
                f"{shown(url)}: cannot open the database: {_one_line(again)}"
            ) from None
        notes.append(
            f"{path.parent} is not writable: the database is read as it is now (changes another "
            "program makes to it are not seen until it is opened again)"
        )
    known, head = known_revisions()
    if revision is not None and revision not in known:
        engine.dispose()
        raise DatabaseError(
            f"{shown(url)}: the database was written by a newer version of annotator "
            f"(schema revision {revision}, this program knows up to {head}); "
            "upgrade annotator to open it"
        )
    if revision is None and tables - {"alembic_version"}:
        engine.dispose()
        raise DatabaseError(
            f"{shown(url)}: not an annotator database "
            f"(it has tables {sorted(tables)[:5]} but no schema version)"
        )
    read_only = _read_only(engine) if "alembic_version" in tables else None
    if read_only is not None and revision != head:
        engine.dispose()
        raise DatabaseError(
            f"{shown(url)} is read-only ({read_only}) and its schema needs an upgrade "
            f"(revision {revision} to {head}), which writes to it: make it writable and open it "
            "once, or open it with the version of annotator that wrote it"
        )
    if revision != head:
        if not upgrade:
            engine.dispose()
            raise DatabaseError(
                f"{shown(url)}: the database needs an upgrade: run `annotator db upgrade`"
            )
        path = sqlite_path(url)
        if revision is not None and path is not None and path.exists():
            backup = _backup_file(path, revision)
            notes.append(f"backed up {path} to {backup} before upgrading its schema")
        from alembic import command

        config = _alembic_config(url)
        try:
            with engine.begin() as conn:
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
        except (SADatabaseError, OperationalError) as exc:
            engine.dispose()
            what = "create" if revision is None else "upgrade"
            raise DatabaseError(
                f"{shown(url)}: cannot {what} the database's schema: {_one_line(exc)}"
            ) from None
        if revision is not None:
            notes.append(f"upgraded the schema from revision {revision} to {head}")
    return engine, notes
