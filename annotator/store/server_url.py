"""A PostgreSQL server as the user types it (host, port, database, user, password): its URL, the
same URL safe to show (no password), and a test that it answers, with a clear reason when not."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from annotator.core.errors import DatabaseError

DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432
TEST_TIMEOUT_S = 5


def server_url(host: str, port: int, database: str, user: str, password: str = "") -> str:
    """The URL to open; refuses (DatabaseError) a form without host, database or user."""
    missing = [
        name
        for name, value in (("host", host), ("database", database), ("user", user))
        if not value.strip()
    ]
    if missing:
        raise DatabaseError(f"the server form needs: {', '.join(missing)}")
    return URL.create(
        DRIVER,
        username=user.strip(),
        password=password or None,
        host=host.strip(),
        port=port,
        database=database.strip(),
    ).render_as_string(hide_password=False)


def shown_url(url: str) -> str:
    """``url`` without its password (for the screen, logs and settings)."""
    try:
        return make_url(url)._replace(password=None).render_as_string(hide_password=False)
    except ArgumentError:
        return url


def probe_server(url: str) -> str:
    """Connect and ask the server its version: its answer, or DatabaseError with the reason."""
    try:
        engine = create_engine(url, connect_args={"connect_timeout": TEST_TIMEOUT_S})
    except (ArgumentError, ModuleNotFoundError) as exc:
        raise DatabaseError(f"{shown_url(url)}: not a usable URL ({exc})") from None
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar())
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        raise DatabaseError(
            f"cannot connect to {shown_url(url)}: {reason[0] if reason else 'no answer'}"
        ) from None
    finally:
        engine.dispose()
