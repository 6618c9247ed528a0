"""Alembic environment: run with the connection the store hands over (see store.engine)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from annotator.store.schema import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    # Batch mode lets SQLite alter tables by copy-and-move.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        _run(conn)
