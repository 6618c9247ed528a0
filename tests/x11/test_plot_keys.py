"""Under a real X server: Ctrl+Shift+G shows the Plots dock with the keyboard in it, Ctrl+S there
asks where to save the chart and Enter writes it; Ctrl+S in the article does nothing."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication


def _focus_in(widget) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and (focus is widget or widget.isAncestorOf(focus))


@pytest.mark.action("show_plots", "export_plot")
def test_the_plots_open_and_export_by_keys(window, keys, qtbot, tmp_path):
    panel = window.plots.panel
    keys.press_action("export_plot")  # in the article: not the dock's key
    assert panel.dialog is None

    keys.press_action("show_plots", until=lambda: window.plots.dock.isVisible())
    qtbot.waitUntil(lambda: panel.report is not None, timeout=20000)
    qtbot.waitUntil(lambda: _focus_in(panel))

    panel.folder = str(tmp_path)  # where the dialog starts (the last folder exported to)
    # The chart's size when it was written (the dock may be laid out again once the dialog goes).
    sizes: list[tuple[int, int]] = []
    panel.exported.connect(
        lambda _path: sizes.append(
            (
                round(panel.current_view().width() * panel.current_view().devicePixelRatioF()),
                round(panel.current_view().height() * panel.current_view().devicePixelRatioF()),
            )
        )
    )
    keys.press_action("export_plot", until=lambda: panel.dialog is not None)
    dialog = panel.dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and _focus_in(dialog))
    target = tmp_path / f"rules-over-time-{date.today():%Y-%m-%d}.png"  # the name it offers
    keys.press("Return", until=lambda: target.exists())
    qtbot.waitUntil(lambda: not dialog.isVisible() and _focus_in(panel))
    image = QImage(str(target))
    assert [(image.width(), image.height())] == sizes
