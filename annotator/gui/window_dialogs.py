"""The main window's dialogs: corpus search, preferences (and the view settings they apply), the
shortcut sheet; and giving the keys back.

A mixin of MainWindow, kept apart so the window module holds the layout, the documents and the actions.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer

from annotator.gui.keymap_settings import load_bindings, snap_to_tokens
from annotator.gui.preferences import (
    HIDE_COVERED_KEY,
    LABEL_TAGS_KEY,
    SUGGESTION_TAGS_KEY,
    setting_on,
)


class WindowDialogs:
    """Mixed into MainWindow (which provides workspace, view, settings, navigator, docks, ...)."""

    def search_corpus(self) -> None:
        from annotator.gui.corpus_search import CorpusSearchDialog

        dialog = CorpusSearchDialog(self.workspace, self)
        dialog.hitActivated.connect(self._open_hit)
        dialog.finished.connect(self._focus_view)
        dialog.open()
        self._search_dialog = dialog

    def _open_hit(self, doc_id: int, start: int, end: int) -> None:
        self.open_document(doc_id)
        self.view.select_offsets(start, end)
        # The dialog is still closing: take the keys back once it is gone.
        QTimer.singleShot(0, self._focus_view)

    def _focus_view(self) -> None:
        self.activateWindow()
        self.view.setFocus()

    def _focus_navigator(self) -> None:
        self.docks["navigator"].show()
        self.navigator.focus_filter()

    def preferences(self) -> None:
        from annotator.gui.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.workspace, self.settings, self)
        dialog.applied.connect(self._preferences_saved)
        dialog.labels_changed.connect(lambda _change: self._labels_changed())
        dialog.finished.connect(self._focus_view)
        dialog.open()
        self._preferences_dialog = dialog

    def _preferences_saved(self) -> None:
        # The dialog saved its settings (it refuses conflicts); the window takes them at once.
        self.apply_bindings(load_bindings(self.settings))
        self.annotating.snap_to_tokens = snap_to_tokens(self.settings)
        self._labels_changed()
        self.apply_user_settings()

    def apply_user_settings(self) -> None:
        """Theme, article font size and annotator name from the preferences."""
        from PySide6.QtWidgets import QApplication

        from annotator.gui.preferences import annotator_name, apply_appearance, article_font_size

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_appearance(app, self.settings)
        size = article_font_size(self.settings)
        if size:
            font = self.view.font()
            font.setPointSizeF(size)
            self.view.setFont(font)
        name = annotator_name(self.settings)
        if name:
            self.workspace.annotator = name
        self.apply_view_settings()

    def _labels_changed(self) -> None:
        """Label names, colours, order or letters changed: keys, palette, colours and the text follow."""
        self._build_label_actions()
        if self.doc is not None and self.doc.id is not None:
            self.open_document(self.doc.id)

    def shortcut_sheet(self) -> None:
        from annotator.gui.shortcut_sheet import ShortcutSheet

        sheet = ShortcutSheet(self.bindings, self.workspace.labels(), self)
        sheet.finished.connect(self._focus_view)
        sheet.open()
        self._sheet = sheet

    # -- the view's settings --------------------------------------------------------

    def toggle_label_tags(self) -> None:
        """Show or hide the label tags at the start of spans (kept between runs)."""
        self.set_label_tags(not self.view.label_tags)
        self.settings.setValue(LABEL_TAGS_KEY, self.view.label_tags)
        self.notify("Label tags shown" if self.view.label_tags else "Label tags hidden")

    def apply_view_settings(self) -> None:
        """Label tags and covered suggestions as the preferences say."""
        hide = setting_on(self.settings, HIDE_COVERED_KEY, False)
        if hide != self.view.hide_covered:
            self.view.hide_covered = hide
            self.view.viewport().update()
            if self.doc is not None:
                self.view.overlay.journal.append(("reset", None))  # the side table lists them again
                self.refresh_panel()
        self.set_label_tags(
            setting_on(self.settings, LABEL_TAGS_KEY, True),
            suggestions=setting_on(self.settings, SUGGESTION_TAGS_KEY, False),
        )

    def set_label_tags(self, on: bool, *, suggestions: bool | None = None) -> None:
        self.view.set_label_tags(on, suggestions=suggestions)
        action = self.actions_by_id.get("toggle_label_tags")
        if action is not None and action.isChecked() != on:
            action.setChecked(on)
