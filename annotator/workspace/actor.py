"""Who acts on which database: the one thing every part of the workspace shares."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

from annotator.store.store import Store


def default_annotator() -> str:
    return os.environ.get("ANNOTATOR_NAME") or getpass.getuser() or "analyst"


@dataclass
class Actor:
    """The open store and the annotator's name (which the window may change mid-session)."""

    store: Store
    annotator: str
