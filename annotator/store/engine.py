"""Open a database: engine set-up, migrations on open, backups, and refusing a newer schema."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError

from annotator.core.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000


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


def make_engine(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            path = sqlite_path(url)
            if path is not None and not path.parent.is_dir():
                raise DatabaseError(
                    f"{path}: cannot create the database, folder {path.parent} does not exist"
                )
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _set_sqlite_pragmas)
            return engine
        engine = create_engine(url, pool_pre_ping=True)
        if engine.dialect.name == "postgresql":
            event.listen(engine, "after_cursor_execute", _keep_sequences_ahead)
        return engine
    except ArgumentError as exc:
        raise DatabaseError(f"{url}: not a database path or URL ({exc})") from None
    except ModuleNotFoundError as exc:
        raise DatabaseError(f"{url}: the database driver is not installed ({exc.name})") from None


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
    """Open the database at ``url``, migrate it to the head revision; the engine and notes."""
    engine = make_engine(url)
    notes: list[str] = []
    try:
        revision = current_revision(engine)
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
    except (SADatabaseError, OperationalError) as exc:
        engine.dispose()
        raise DatabaseError(f"{shown(url)}: cannot open the database: {_one_line(exc)}") from None
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
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        if revision is not None:
            notes.append(f"upgraded the schema from revision {revision} to {head}")
    return engine, notes
