"""Automatic backups by engine: SQLite files get them; a PostgreSQL server does not (its
administrator backs it up), and asking for its list or a restore says so."""

from __future__ import annotations

import pytest

from annotator.core.errors import UsageError


def test_daily_backups_are_for_sqlite_files_and_postgresql_is_refused_with_the_reason(
    workspace,
):
    if workspace.store.path is not None:
        assert workspace.store.daily_backup is not None
        assert workspace.store.database.before_write is not None
        assert workspace.automatic_backups() == []
        return
    assert workspace.store.daily_backup is None
    assert workspace.store.database.before_write is None
    workspace.add_label("WRITES")  # writes go on without any backup
    for attempt in (workspace.automatic_backups, lambda: workspace.restore_backup("2026-01-01")):
        with pytest.raises(UsageError, match="SQLite files only.*administrator"):
            attempt()
