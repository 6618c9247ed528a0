"""What the CLI needs besides argument parsing: the default database, progress bars, output."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


@contextmanager
def progress_bar(
    description: str, enabled: bool | None = None
) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on a terminal; nothing (None) when stderr is not a terminal."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def table(rows: list[list[object]]) -> str:
    """Tab-separated lines: easy to read, easy to cut and grep."""
    return "\n".join("\t".join("" if cell is None else str(cell) for cell in row) for row in rows)
