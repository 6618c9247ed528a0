"""Where the shipped data lives: inside the installed package, or beside it in a checkout."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from annotator.core.model import Label

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    # The wheel carries resources/ and seeds/ inside the package; a checkout has them beside it.
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"annotator's {name}/ folder is missing from {_PACKAGE}")


def resources_dir() -> Path:
    return _find("resources")


def seeds_dir() -> Path:
    return _find("seeds")


def checkout_root() -> Path | None:
    """The source checkout this package runs from, or None when installed."""
    root = _PACKAGE.parent
    return root if (root / "pyproject.toml").is_file() and (root / "seeds").is_dir() else None


@cache
def _label_schema() -> dict[str, Any]:
    with open(resources_dir() / "labels" / "default.json", encoding="utf-8") as f:
        schema: dict[str, Any] = json.load(f)
    return schema


def default_labels() -> list[Label]:
    """The default label schema, in number-key order."""
    return [
        Label(
            name=entry["name"],
            colour=entry["colour"],
            hotkey=entry.get("hotkey"),
            description=entry.get("description", ""),
            order=i,
        )
        for i, entry in enumerate(_label_schema()["labels"])
    ]


def extra_colours() -> list[str]:
    """Colours for labels that imports add, after the default labels' own."""
    return list(_label_schema()["extra_colours"])
