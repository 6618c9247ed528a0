"""Where the app keeps its files: the database it opens when none is named.

Shared by the command line and the window; no Qt, no database, no CLI.
"""

from __future__ import annotations

import os
from pathlib import Path

from annotator.shipped_data import checkout_root


def database_target(arg: str | None) -> tuple[str, bool]:
    """The database to open and whether it is the default one (which gets the seed article)."""
    if arg:
        return arg, False
    if os.environ.get("ANNOTATOR_DB"):
        return os.environ["ANNOTATOR_DB"], False
    if os.environ.get("ANNOTATOR_DEFAULT_DB"):
        return os.environ["ANNOTATOR_DEFAULT_DB"], True
    root = checkout_root()
    if root is not None:
        folder = root / "db"
    else:
        import platformdirs

        folder = Path(platformdirs.user_data_dir("annotator", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / "annotator.sqlite"), True
