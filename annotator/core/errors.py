"""Errors a user can cause: values with a message naming the file, line and reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Why one piece of input was refused (or a warning about it)."""

    file: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.reason}"


class AnnotatorError(Exception):
    """Base of the errors we raise on purpose; the CLI prints them without a traceback."""

    exit_code = 2


class InputError(AnnotatorError):
    """Bad input in a file; carries the Problem."""

    exit_code = 1

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class DatabaseError(AnnotatorError):
    """The database cannot be opened or used (too new, unreachable, corrupt)."""


class ReadOnlyDatabaseError(DatabaseError):
    """A change asked of a database this program may only read."""


class DatabaseLockedError(DatabaseError):
    """Another program held the database's write lock for longer than the wait allowed."""


class UsageError(AnnotatorError):
    """A request that makes no sense (unknown label, unknown document, ...)."""


class ExportError(AnnotatorError):
    """An export cannot be written (unwritable destination, text a format cannot hold)."""
