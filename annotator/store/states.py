"""The words the store writes into its own tables: undo step states and change-log entries.

Their values are the strings already in users' databases: never change one.
"""

from __future__ import annotations

from enum import StrEnum


class StepState(StrEnum):
    """An undo step: done -> undone -> done ...; a new action discards what was undone."""

    DONE = "done"
    UNDONE = "undone"
    DISCARDED = "discarded"


class Entity(StrEnum):
    """What a change-log entry is about."""

    DOCUMENT = "document"
    SPAN = "span"
    SUGGESTION = "suggestion"
    RULE = "rule"
    LABEL = "label"
    ANNOTATOR = "annotator"
    ASSIGNMENT = "assignment"


class Action(StrEnum):
    """What a change-log entry says was done."""

    ADD = "add"
    EDIT = "edit"
    DELETE = "delete"
    SAVE = "save"  # a rule new to the database
    IMPORT = "import"
    STATUS = "status"
    SUGGEST = "suggest"
    ACCEPTED = "accepted"
    CORRECTED = "corrected"
    REJECTED = "rejected"
    DROP = "drop"  # a pending suggestion removed by a "reject everywhere"
    UNDO = "undo"
    REDO = "redo"
