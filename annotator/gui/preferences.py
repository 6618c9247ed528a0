"""The preferences dialog (labels, keys, editing, appearance) and the settings it keeps.

Settings live in QSettings: ``keys/<action>`` and ``editing/snap_to_tokens`` (keymap_settings),
``user/annotator``, ``appearance/theme``, ``appearance/font_size``, ``view/label_tags``,
``view/suggestion_tags`` and ``view/hide_covered``. They are saved on OK;
label edits go to the database when applied (see label_settings).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QStyleFactory,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.keymap import BY_ID
from annotator.gui.keymap_settings import (
    SNAP_KEY,
    KeymapPage,
    load_bindings,
    save_bindings,
    snap_to_tokens,
)
from annotator.gui.label_settings import LabelsPage
from annotator.workspace import Workspace, backups_kept, default_annotator, set_backups_kept

ANNOTATOR_KEY = "user/annotator"
THEME_KEY = "appearance/theme"
FONT_SIZE_KEY = "appearance/font_size"
LABEL_TAGS_KEY = "view/label_tags"  # tags on spans (Ctrl+T)
SUGGESTION_TAGS_KEY = "view/suggestion_tags"  # and on pending suggestions
HIDE_COVERED_KEY = (
    "view/hide_covered"  # suggestions a span of their label overlaps: hidden, or dimmed
)
THEMES = (("system", "System"), ("light", "Light"), ("dark", "Dark"))
MIN_FONT_SIZE, MAX_FONT_SIZE = 6.0, 48.0
_SYSTEM_STYLE = "annotator_system_style"  # an application property: the style before any theme


# -- the settings ------------------------------------------------------------------------


def annotator_name(settings: QSettings) -> str | None:
    """The annotator name the user chose; None means the default (ANNOTATOR_NAME or the login)."""
    value = settings.value(ANNOTATOR_KEY)
    name = str(value).strip() if value is not None else ""
    return name or None


def theme(settings: QSettings) -> str:
    """ "system", "light" or "dark" (anything else reads as "system")."""
    value = str(settings.value(THEME_KEY, "system")).strip().lower()
    return value if value in dict(THEMES) else "system"


def article_font_size(settings: QSettings) -> float | None:
    """The article's font size in points; None means the default font."""
    try:
        size = float(settings.value(FONT_SIZE_KEY))
    except (TypeError, ValueError):
        return None
    return size if MIN_FONT_SIZE <= size <= MAX_FONT_SIZE else None


def setting_on(settings: QSettings, key: str, default: bool) -> bool:
    """A yes/no setting (an ini file gives text back)."""
    value = settings.value(key, default)
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "off")
    return bool(value)


def dark_palette() -> QPalette:
    palette = QPalette()
    text, disabled = QColor("#e0e0e0"), QColor("#7f7f7f")
    for role, value in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.AlternateBase, "#262626"),
        (QPalette.ColorRole.ToolTipBase, "#3a3a3a"),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.PlaceholderText, "#8a8a8a"),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, "#353535"),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, "#ff6b6b"),
        (QPalette.ColorRole.Link, "#6cb4ff"),
        (QPalette.ColorRole.Highlight, "#3d6fb4"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
        (QPalette.ColorRole.Light, "#505050"),
        (QPalette.ColorRole.Midlight, "#404040"),
        (QPalette.ColorRole.Mid, "#303030"),
        (QPalette.ColorRole.Dark, "#1a1a1a"),
        (QPalette.ColorRole.Shadow, "#000000"),
    ):
        palette.setColor(role, QColor(value))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor("#4a4a4a"))
    return palette


def light_palette() -> QPalette:
    style = QStyleFactory.create("Fusion")
    return style.standardPalette()


def apply_appearance(app: QApplication, settings: QSettings) -> None:
    """Apply the theme: dark and light are Fusion with our palette; system is the platform's own
    look."""
    if app.property(_SYSTEM_STYLE) is None:
        app.setProperty(_SYSTEM_STYLE, app.style().name())
    chosen = theme(settings)
    hints = app.styleHints()
    if chosen == "system":
        app.setStyle(str(app.property(_SYSTEM_STYLE)))
        if hasattr(hints, "unsetColorScheme"):
            hints.unsetColorScheme()
        app.setPalette(QPalette())  # an empty palette: the platform's, as at start
        return
    if hasattr(hints, "setColorScheme"):  # native dialogs and title bars follow (Qt 6.8+)
        hints.setColorScheme(Qt.ColorScheme.Dark if chosen == "dark" else Qt.ColorScheme.Light)
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if chosen == "dark" else light_palette())


# -- the dialog --------------------------------------------------------------------------


class PreferencesDialog(QDialog):
    """Labels, Keys, Editing and Appearance tabs.

    Label edits are written at once when applied; OK applies a pending label edit, then
    (unless a key conflict or a refused label edit keeps it open) saves the settings, gives
    the workspace the annotator name, and emits ``applied``. Cancel saves no setting; it emits
    ``applied`` too when labels were edited, since those are in the database already.
    """

    applied = Signal()
    labels_changed = Signal(object)  # a Change, as each label edit is applied

    def __init__(
        self, workspace: Workspace, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.workspace = workspace
        self._settings = settings
        self._labels_edited = False

        self.tabs = QTabWidget(self)
        self.labels_page = LabelsPage(workspace, self, key_owner=self._key_owner)
        self.keys_page = KeymapPage(load_bindings(settings), workspace.labels(), self)
        self.editing_page = self._editing_page()
        self.appearance_page = self._appearance_page()
        for page, title in (
            (self.labels_page, "&Labels"),
            (self.keys_page, "&Keys"),
            (self.editing_page, "&Editing"),
            (self.appearance_page, "A&ppearance"),
        ):
            self.tabs.addTab(page, title)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.labels_page.labels_changed.connect(self._label_edited)
        self.tabs.currentChanged.connect(lambda _index: self.tabs.currentWidget().setFocus())
        self.resize(680, 620)

    def _editing_page(self) -> QWidget:
        page = QWidget(self)
        self.snap = QCheckBox("&Snap selections to word boundaries", page)
        self.snap.setChecked(snap_to_tokens(self._settings))
        self.annotator_edit = QLineEdit(annotator_name(self._settings) or "", page)
        self.annotator_edit.setMaxLength(200)
        self.annotator_edit.setPlaceholderText(f"{default_annotator()} (the default)")
        about = QLabel(
            "Every span you add records this name, and Undo goes back through this name's "
            "actions. Empty: ANNOTATOR_NAME or your login name.",
            page,
        )
        about.setWordWrap(True)
        # Kept in the preferences file the command line reads too (locations.py), not QSettings.
        self.backups_kept = QSpinBox(page)
        self.backups_kept.setRange(0, 999)
        self.backups_kept.setSpecialValueText("none (off)")
        self.backups_kept.setValue(backups_kept())
        self.backups_kept.setToolTip(
            "On the first change of each day a copy of the database goes into the backups "
            "folder beside it; this many are kept (annotator backup --list / --restore)"
        )
        form = QFormLayout(page)
        form.addRow(self.snap)
        form.addRow("&Annotator name:", self.annotator_edit)
        form.addRow(about)
        form.addRow("Daily &backups kept:", self.backups_kept)
        page.setFocusProxy(self.snap)
        return page

    def _appearance_page(self) -> QWidget:
        page = QWidget(self)
        self.theme_box = QComboBox(page)
        for value, title in THEMES:
            self.theme_box.addItem(title, value)
        self.theme_box.setCurrentIndex(self.theme_box.findData(theme(self._settings)))
        self.font_size = QDoubleSpinBox(page)
        self.font_size.setRange(MIN_FONT_SIZE - 1, MAX_FONT_SIZE)  # the minimum reads "Default"
        self.font_size.setDecimals(1)
        self.font_size.setSingleStep(1.0)
        self.font_size.setSuffix(" pt")
        self.font_size.setSpecialValueText("Default")
        self.font_size.setValue(article_font_size(self._settings) or self.font_size.minimum())
        self.span_tags = QCheckBox("Label &tags on spans (Ctrl+T)", page)
        self.span_tags.setChecked(setting_on(self._settings, LABEL_TAGS_KEY, True))
        self.suggestion_tags = QCheckBox("Label tags on pending &suggestions too", page)
        self.suggestion_tags.setChecked(setting_on(self._settings, SUGGESTION_TAGS_KEY, False))
        self.covered_box = QComboBox(page)
        self.covered_box.addItem("Dimmed (faint dots; Tab skips them)", False)
        self.covered_box.addItem("Hidden", True)
        self.covered_box.setCurrentIndex(
            1 if setting_on(self._settings, HIDE_COVERED_KEY, False) else 0
        )
        self.covered_box.setToolTip(
            "A pending suggestion that overlaps a span of its own label is not fresh "
            "work: it is never counted as pending"
        )
        form = QFormLayout(page)
        form.addRow("&Theme:", self.theme_box)
        form.addRow("Article &font size:", self.font_size)
        form.addRow(self.span_tags)
        form.addRow(self.suggestion_tags)
        form.addRow("Suggestions &covered by a span:", self.covered_box)
        form.addRow(QLabel("Saved and applied when you press OK.", page))
        page.setFocusProxy(self.theme_box)
        return page

    # -- API ---------------------------------------------------------------

    def chosen_font_size(self) -> float | None:
        value = self.font_size.value()
        return None if value < MIN_FONT_SIZE else value

    def accept(self) -> None:
        if self.labels_page.pending() and not self.labels_page.apply_form():
            self.tabs.setCurrentWidget(self.labels_page)
            return
        if self.keys_page.show_problems():
            self.tabs.setCurrentWidget(self.keys_page)
            return
        self._save()
        self.applied.emit()
        super().accept()

    def reject(self) -> None:
        if self._labels_edited:
            self.applied.emit()
        super().reject()

    # -- internals ---------------------------------------------------------

    def _save(self) -> None:
        settings = self._settings
        save_bindings(settings, self.keys_page.bindings())
        settings.setValue(SNAP_KEY, self.snap.isChecked())
        name = self.annotator_edit.text().strip()
        if name or annotator_name(settings):  # a name chosen, or the chosen one cleared
            self.workspace.annotator = name or default_annotator()
        if name:
            settings.setValue(ANNOTATOR_KEY, name)
        else:
            settings.remove(ANNOTATOR_KEY)
        settings.setValue(THEME_KEY, self.theme_box.currentData())
        settings.setValue(LABEL_TAGS_KEY, self.span_tags.isChecked())
        settings.setValue(SUGGESTION_TAGS_KEY, self.suggestion_tags.isChecked())
        settings.setValue(HIDE_COVERED_KEY, bool(self.covered_box.currentData()))
        size = self.chosen_font_size()
        if size is None:
            settings.remove(FONT_SIZE_KEY)
        else:
            settings.setValue(FONT_SIZE_KEY, size)
        settings.sync()
        if self.backups_kept.value() != backups_kept():
            try:
                set_backups_kept(self.backups_kept.value())
            except OSError as exc:
                QMessageBox.warning(self, "Preferences", f"Daily backups: not saved ({exc})")

    def _label_edited(self, change: object) -> None:
        self._labels_edited = True
        self.keys_page.set_labels(self.workspace.labels())
        self.labels_changed.emit(change)

    def _key_owner(self, letter: str) -> str | None:
        """The title of the key action bound to this bare letter, if any."""
        for action_id, keys in self.keys_page.bindings().items():
            if any(key.strip().lower() == letter.lower() for key in keys):
                return BY_ID[action_id].title
        return None
