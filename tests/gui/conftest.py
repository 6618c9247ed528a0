"""GUI tests: the window's settings go to a folder of the test, never the user's."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    # The preferences the CLI shares (daily backups kept): a file of the test's own.
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "config"))
    yield


@pytest.fixture(autouse=True)
def no_dialog_left_open():
    """A dialog a test leaves open (modal, or a message box) would be the next test's
    ``activeModalWidget``: each test starts with none."""
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.done(QDialog.DialogCode.Rejected)


@pytest.fixture
def ini(tmp_path):
    """The settings file of a dialog under test."""
    return tmp_path / "settings.ini"


@pytest.fixture
def settings(ini):
    return QSettings(str(ini), QSettings.Format.IniFormat)


@pytest.fixture
def reread(ini):
    """``reread()``: a fresh QSettings on that file, to see what was really written."""
    return lambda: QSettings(str(ini), QSettings.Format.IniFormat)


def settled(qtbot, window, timeout: int = 20000):
    """Wait until the open document's suggestions, made off the GUI thread, are shown."""
    qtbot.waitUntil(lambda: not window.making_suggestions(), timeout=timeout)
    return window


@pytest.fixture
def settle(qtbot):
    """``settle(window)``: wait until the open document's suggestions are shown."""
    return lambda window, timeout=20000: settled(qtbot, window, timeout)


def opened(qtbot, db, *, size: tuple[int, int] | None = None):
    """The real window on ``db``, shown, the keys in the article, its suggestions shown."""
    from PySide6.QtWidgets import QApplication

    from annotator.gui import create_main_window

    window = create_main_window(str(db))
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    return settled(qtbot, window)
