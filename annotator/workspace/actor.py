"""Who acts on which database: the one thing every part of the workspace shares."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

from annotator.core.errors import UsageError
from annotator.core.model import MAIN_LAYER
from annotator.store.store import Store


def default_annotator() -> str:
    return os.environ.get("ANNOTATOR_NAME") or getpass.getuser() or "analyst"


@dataclass
class Actor:
    """The open store and the annotator's name (which the window may change mid-session)."""

    store: Store
    annotator: str

    def layer_for(self, doc_id: int) -> int:
        """The layer the annotator works in on a document: their own on a document assigned to
        them (unless they curate), the main layer everywhere else. Read each time (one indexed
        read): a lead may assign the document from another process at any moment."""
        return self.store.team.layer_of(self.annotator, doc_id)

    def check_main_layer(self, doc_id: int) -> None:
        """Suggestions are the main layer's: refuse deciding them in an annotator's own layer."""
        if self.layer_for(doc_id) != MAIN_LAYER:
            raise UsageError(
                f"document {doc_id} is assigned to {self.annotator}, who annotates it in their "
                "own layer, blind and without rule suggestions (those are the main layer's)"
            )
