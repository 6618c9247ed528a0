"""Start the application: one QApplication, the main window on a database, the event loop."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def run(db: str | None = None, *, check: bool = False) -> int:
    """Open the window on ``db`` (or the default database); returns the exit code.

    With ``check``, print what the window shows once it has painted, and quit.
    """
    from PySide6.QtWidgets import QApplication, QMessageBox

    from annotator.gui import create_main_window
    from annotator.locations import database_target

    if (
        not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and os.environ.get("QT_QPA_PLATFORM", "") not in ("offscreen", "minimal", "vnc")
        and sys.platform.startswith("linux")
    ):
        print(
            "annotator: no display: run it on a desktop, or with QT_QPA_PLATFORM=offscreen "
            "for a headless check",
            file=sys.stderr,
        )
        return 1
    running = QApplication.instance()
    app = running if isinstance(running, QApplication) else QApplication(sys.argv[:1])
    from annotator.gui.error_report import install_error_report

    install_error_report(app)
    app.setApplicationName("annotator")
    app.setOrganizationName("annotator")
    app.setDesktopFileName(
        "annotator"
    )  # Wayland matches the window to the installed launcher and icon
    from PySide6.QtGui import QIcon

    from annotator.shipped_data import resources_dir

    icon = resources_dir() / "icons" / "annotator.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    target, is_default = database_target(db)
    try:
        window = create_main_window(str(target), seed=is_default)
    except AnnotatorError as exc:
        QMessageBox.critical(None, "annotator", str(exc))
        print(f"annotator: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - opening failed in a way no check foresaw: one line, the log
        from annotator import crash_log

        line = crash_log.report(exc, context=f"opening {target}")
        QMessageBox.critical(None, "annotator", line)
        print(f"annotator: error: {line}", file=sys.stderr)
        return 2
    window.show()
    if check:
        from PySide6.QtCore import QTimer

        def report_when_ready(waited_ms: int = 0) -> None:
            # The open document's suggestions are made off the GUI thread: say what the analyst sees
            # once they are shown (or after 60 s).
            if window.making_suggestions() and waited_ms < 60_000:
                QTimer.singleShot(20, lambda: report_when_ready(waited_ms + 20))
                return
            print(describe(window))
            window.close()

        QTimer.singleShot(0, report_when_ready)
    return app.exec()


def describe(window: MainWindow) -> str:
    """One line on what the window shows: database, documents, the open one and its marks."""
    overlay = window.view.overlay
    doc = window.doc
    shown = f"{doc.title!r}" if doc is not None else "no document"
    count = len(window.navigator.ordered_ids())
    return (
        f"annotator window on {window.workspace.location}: "
        f"{count} document{'s' if count != 1 else ''}; showing {shown} with "
        f"{overlay.span_count()} spans and {overlay.pending_count()} pending suggestions"
    )
