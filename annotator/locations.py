"""Where the app keeps its files: the database it opens when none is named.

Shared by the command line and the window; no Qt, no database, no CLI.
"""

from __future__ import annotations

import json
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


# -- preferences shared by the window and the command line --------------------------------
# A small JSON file, not QSettings: the command line reads them too, and the core knows no Qt.

DAILY_BACKUPS = "daily_backups"


def config_file() -> Path:
    """The preferences file (``ANNOTATOR_CONFIG_DIR`` moves it, for tests and portable use)."""
    folder = os.environ.get("ANNOTATOR_CONFIG_DIR")
    if not folder:
        import platformdirs

        folder = platformdirs.user_config_dir("annotator", appauthor=False)
    return Path(folder) / "preferences.json"


def read_preference(name: str, default: int) -> int:
    """An integer preference; the default when unset or unreadable (a preference never stops
    the program)."""
    try:
        value = json.loads(config_file().read_text(encoding="utf-8")).get(name, default)
    except (OSError, ValueError, AttributeError):
        return default
    return value if isinstance(value, int) and value >= 0 else default


def write_preference(name: str, value: int) -> Path:
    """Set an integer preference; the file written."""
    path = config_file()
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(values, dict):
            values = {}
    except (OSError, ValueError):
        values = {}
    values[name] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.partial")
    temporary.write_text(json.dumps(values, indent=1) + "\n", encoding="utf-8")
    temporary.replace(path)
    return path
