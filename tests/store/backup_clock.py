"""The clock the daily backup reads, moved by the test (no mock of SQLite)."""

from __future__ import annotations

from datetime import datetime, timedelta


class Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 3, 1, 9, 30, 0)

    def __call__(self) -> datetime:
        return self.moment

    def next_day(self) -> None:
        self.moment += timedelta(days=1)
