"""The Qt front end, on the workspace. The only package that imports PySide6."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def create_main_window(db: str, *, seed: bool = False) -> MainWindow:
    """Open the database (creating and migrating it if needed) in a new main window, its first
    document shown.

    A QApplication must exist. ``seed`` imports the seed article into a brand-new database
    (what the default database gets).
    """
    from annotator.gui.main_window import MainWindow
    from annotator.workspace import Workspace

    workspace = Workspace.open(db, seed=seed)
    window = MainWindow(workspace)
    window.destroyed.connect(workspace.close)
    return window
