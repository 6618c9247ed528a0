"""Open a database: engine set-up, migrations on open, backups, and refusing a newer schema."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError

from annotator.core.errors import DatabaseError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000


def to_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a file path or a URL given as is."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


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
        return create_engine(url, pool_pre_ping=True)
    except ArgumentError as exc:
        raise DatabaseError(f"{url}: not a database path or URL ({exc})") from None
    except ModuleNotFoundError as exc:
        raise DatabaseError(f"{url}: the database driver is not installed ({exc.name})") from None


def _alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config("sqlite://")).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


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
        raise DatabaseError(
            f"{url}: cannot open the database: {getattr(exc, 'orig', exc)}"
        ) from None
    script = ScriptDirectory.from_config(_alembic_config(url))
    known = {rev.revision for rev in script.walk_revisions()}
    if revision is not None and revision not in known:
        engine.dispose()
        raise DatabaseError(
            f"{url}: the database was written by a newer version of annotator "
            f"(schema revision {revision}, this program knows up to {script.get_current_head()}); "
            "upgrade annotator to open it"
        )
    if revision is None and tables - {"alembic_version"}:
        engine.dispose()
        raise DatabaseError(
            f"{url}: not an annotator database "
            f"(it has tables {sorted(tables)[:5]} but no schema version)"
        )
    if revision != script.get_current_head():
        if not upgrade:
            engine.dispose()
            raise DatabaseError(f"{url}: the database needs an upgrade: run `annotator db upgrade`")
        path = sqlite_path(url)
        if revision is not None and path is not None and path.exists():
            backup = _backup_file(path, revision)
            notes.append(f"backed up {path} to {backup} before upgrading its schema")
        config = _alembic_config(url)
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        if revision is not None:
            notes.append(
                f"upgraded the schema from revision {revision} to {script.get_current_head()}"
            )
    return engine, notes
