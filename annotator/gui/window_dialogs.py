"""The main window's dialogs: corpus search, preferences (and the view settings they apply), the
shortcut sheet; and giving the keys back.

Held by the window as ``window.dialogs``, so the window module keeps the layout, the documents
and the actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from annotator.gui.keymap_settings import load_bindings, snap_to_tokens
from annotator.gui.preferences import (
    HIDE_COVERED_KEY,
    LABEL_TAGS_KEY,
    SUGGESTION_TAGS_KEY,
    annotator_name,
    apply_appearance,
    article_font_size,
    setting_on,
)

if TYPE_CHECKING:
    from annotator.gui.corpus_search import CorpusSearchDialog
    from annotator.gui.main_window import MainWindow
    from annotator.gui.preferences import PreferencesDialog
    from annotator.gui.shortcut_sheet import ShortcutSheet


class WindowDialogs:
    """Opens the window's dialogs and applies what they change; keeps the last one of each."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.search_dialog: CorpusSearchDialog | None = None
        self.preferences_dialog: PreferencesDialog | None = None
        self.sheet: ShortcutSheet | None = None

    def search_corpus(self) -> None:
        from annotator.gui.corpus_search import CorpusSearchDialog

        self.window.search_indexing.start()  # a backlog since the window opened
        dialog = CorpusSearchDialog(self.window.workspace, self.window)
        dialog.hitActivated.connect(self._open_hit)
        dialog.concordanceRequested.connect(self.window.concordance.show_text)
        dialog.finished.connect(self.focus_view)
        dialog.open()
        self.search_dialog = dialog

    def _open_hit(self, doc_id: int, start: int, end: int) -> None:
        self.window.open_document(doc_id)
        self.window.view.select_offsets(start, end)
        # The dialog is still closing: take the keys back once it is gone.
        QTimer.singleShot(0, self.focus_view)

    def focus_view(self) -> None:
        self.window.activateWindow()
        self.window.view.setFocus()

    def focus_navigator(self) -> None:
        self.window.docks["navigator"].show()
        self.window.navigator.focus_filter()

    def preferences(self) -> None:
        from annotator.gui.preferences import PreferencesDialog

        window = self.window
        dialog = PreferencesDialog(window.workspace, window.settings, window)
        dialog.applied.connect(self.preferences_saved)
        dialog.labels_changed.connect(window.apply_change)
        dialog.finished.connect(self.focus_view)
        dialog.open()
        self.preferences_dialog = dialog

    def preferences_saved(self) -> None:
        # The dialog saved its settings (it refuses conflicts); the window takes them at once.
        window = self.window
        window.apply_bindings(load_bindings(window.settings))
        window.annotating.snap_to_tokens = snap_to_tokens(window.settings)
        self.labels_changed()
        self.apply_user_settings()

    def apply_user_settings(self) -> None:
        """Theme, article font size and annotator name from the preferences."""
        window = self.window
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_appearance(app, window.settings)
        size = article_font_size(window.settings)
        if size:
            font = window.view.font()
            font.setPointSizeF(size)
            window.view.setFont(font)
        name = annotator_name(window.settings)
        if name:
            window.workspace.annotator = name
        self.apply_view_settings()

    def labels_changed(self) -> None:
        """Label names, colours, order or letters changed: keys, palette, colours, text follow."""
        window = self.window
        window.build_label_actions()
        if window.doc is not None and window.doc.id is not None:
            window.open_document(window.doc.id)

    def shortcut_sheet(self) -> None:
        from annotator.gui.shortcut_sheet import ShortcutSheet

        window = self.window
        sheet = ShortcutSheet(window.bindings, window.workspace.labels(), window)
        sheet.finished.connect(self.focus_view)
        sheet.open()
        self.sheet = sheet

    # -- the view's settings --------------------------------------------------------

    def toggle_label_tags(self) -> None:
        """Show or hide the label tags at the start of spans (kept between runs)."""
        view = self.window.view
        self.set_label_tags(not view.label_tags)
        self.window.settings.setValue(LABEL_TAGS_KEY, view.label_tags)
        self.window.notify("Label tags shown" if view.label_tags else "Label tags hidden")

    def apply_view_settings(self) -> None:
        """Label tags and covered suggestions as the preferences say."""
        window, view = self.window, self.window.view
        hide = setting_on(window.settings, HIDE_COVERED_KEY, False)
        if hide != view.hide_covered:
            view.hide_covered = hide
            view.viewport().update()
            if window.doc is not None:
                view.overlay.journal.append(("reset", None))  # the side table lists them again
                window.refresh_panel()
        self.set_label_tags(
            setting_on(window.settings, LABEL_TAGS_KEY, True),
            suggestions=setting_on(window.settings, SUGGESTION_TAGS_KEY, False),
        )

    def set_label_tags(self, on: bool, *, suggestions: bool | None = None) -> None:
        self.window.view.set_label_tags(on, suggestions=suggestions)
        action = self.window.actions_by_id.get("toggle_label_tags")
        if action is not None and action.isChecked() != on:
            action.setChecked(on)
