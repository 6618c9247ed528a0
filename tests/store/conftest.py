"""What the store tests share: a preferences file of the test's own (the daily backup reads the
count it keeps there, never from the user's), and the backup tests' clock."""

from __future__ import annotations

import pytest

from tests.store.backup_clock import Clock


@pytest.fixture(autouse=True)
def preferences(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def clock():
    return Clock()
