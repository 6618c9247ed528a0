"""The main window: navigator, article, label palette and annotation panel; keys from the key
map."""

from __future__ import annotations

import gc
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.gcpause import gc_paused
from annotator.core.model import Document
from annotator.gui.after_paint import AfterPaint
from annotator.gui.agreement_view import install_agreement
from annotator.gui.annotating import Annotating
from annotator.gui.annotation_panel import AnnotationPanel
from annotator.gui.annotator_switch import identity_text, install_annotator_switch
from annotator.gui.article_view import ArticleView
from annotator.gui.backup_restore_view import install_backup_notes
from annotator.gui.change_view import apply_change
from annotator.gui.concordance_dock import ConcordanceDock, install_concordance
from annotator.gui.curation_view import install_curation
from annotator.gui.database_state import DatabaseState, read_only_mark
from annotator.gui.find_bar import FindBar
from annotator.gui.header import header_html
from annotator.gui.keymap import BY_ID
from annotator.gui.keymap_settings import load_bindings, snap_to_tokens
from annotator.gui.label_palette import LabelPalette
from annotator.gui.live_refresh import install_live_refresh
from annotator.gui.navigator import DocumentNavigator
from annotator.gui.panel_sync import follow_view
from annotator.gui.plots import install_plots
from annotator.gui.rule_actions import RuleActions, build_rule_actions
from annotator.gui.rule_proposals import install_rule_proposals
from annotator.gui.search_indexing import SearchIndexing
from annotator.gui.window_actions import (
    action_handlers,
    apply_bindings,
    build_actions,
    build_label_actions,
)
from annotator.gui.window_dialogs import WindowDialogs
from annotator.gui.window_suggestions import WindowSuggestions
from annotator.workspace import Change, Workspace, shown_url

if TYPE_CHECKING:
    from annotator.gui.corpus_search import CorpusSearchDialog
    from annotator.gui.file_dialogs import BackupDialog
    from annotator.gui.file_export import ExportDialog
    from annotator.gui.file_import import ImportDialog, ImportReportDialog
    from annotator.gui.preferences import PreferencesDialog
    from annotator.gui.shortcut_sheet import ShortcutSheet

LARGE_DOCUMENT = 3000  # spans and suggestions above which the side table fills after the text shows
MENUS = ("File", "Edit", "Document", "Annotate", "View", "Help")
PANEL_DELAY_MS = 40  # after an action, the annotation table follows the article by this much
FREEZE_GROWTH = 2  # a full collection once the frozen objects have grown this much (see _freeze)


def app_settings() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "annotator", "annotator"
    )


class MainWindow(QMainWindow):
    # A document's suggestions were made off the GUI thread and are shown.
    suggestionsShown = Signal(int)
    # A workspace Change was applied to every view (docks that summarise the corpus follow it).
    changeApplied = Signal(object)

    def __init__(self, workspace: Workspace, settings: QSettings | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.settings = settings or app_settings()
        self.setWindowTitle("annotator")
        self.doc: Document | None = None
        self._frozen_floor = 0  # objects frozen after the last full collection (see _freeze)
        self.bindings = load_bindings(self.settings)

        self.view = ArticleView()
        self.after_paint = AfterPaint(self.view.painted, self)  # what waits until a document shows
        self.suggestions = WindowSuggestions(self)
        self.dialogs = WindowDialogs(self)
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setContentsMargins(16, 10, 16, 6)
        self.find_bar = FindBar(self.view)
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(centre)

        self.navigator = DocumentNavigator(workspace)
        self.label_palette = LabelPalette()
        self.panel = AnnotationPanel()
        self.docks = {
            "navigator": self._dock(
                "Documents", self.navigator, Qt.DockWidgetArea.LeftDockWidgetArea
            ),
            "labels": self._dock(
                "Labels", self.label_palette, Qt.DockWidgetArea.RightDockWidgetArea
            ),
            "annotations": self._dock(
                "Annotations", self.panel, Qt.DockWidgetArea.RightDockWidgetArea
            ),
        }
        self.position_label = QLabel()
        self.statusBar().addPermanentWidget(self.position_label)
        self.database_state = DatabaseState(self)  # read-only badge, the wait for a lock

        self.annotating = Annotating(workspace, self.view, self.notify, self.apply_change)
        self.annotating.snap_to_tokens = snap_to_tokens(self.settings)
        self.menus: dict[str, QMenu] = {name: self.menuBar().addMenu(f"&{name}") for name in MENUS}
        self.actions_by_id: dict[str, QAction] = {}
        self._label_actions: list[QAction] = []  # the label keys (window_actions.py)
        self._labels_menu: QMenu | None = None
        self._position: tuple[int, int] | None = None  # "document i of n", kept between actions
        # The File menu's actions and the file dialogs open last (file_dialogs.py fills them in).
        self.file_actions: dict[str, QAction] = {}
        self.recent_menu: QMenu | None = None
        self.import_dialog: ImportDialog | None = None
        self.import_report: ImportReportDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self.backup_dialog: BackupDialog | None = None
        self.restore_dialog: QDialog | None = None  # gui/backup_restore_view.py
        self.rule_actions: RuleActions = build_rule_actions(self)
        self.docks["rules"] = self.rule_actions.dock
        # A big import elsewhere leaves the full-text index behind: caught up off this thread.
        self.search_indexing = SearchIndexing(workspace, self)
        QTimer.singleShot(0, self.search_indexing.start)
        self.rule_proposals = install_rule_proposals(self)
        self.concordance: ConcordanceDock = install_concordance(self)
        self._build_actions()
        self.build_label_actions()
        self.plots = install_plots(self)
        install_annotator_switch(self)
        self.live_refresh = install_live_refresh(self)  # others' changes, within a second
        self.agreement = install_agreement(self)
        self.curation_view = install_curation(self)
        self.backup_notes = install_backup_notes(self)  # a failed daily backup, said

        self.navigator.documentActivated.connect(self.open_document)
        # "Document i of n" follows the list: filtering or sorting it changes both.
        self._position_refresh = QTimer(self, singleShot=True, interval=0)
        self._position_refresh.timeout.connect(self.refresh_status)
        for signal in (
            self.navigator.model.modelReset,
            self.navigator.model.layoutChanged,
            self.navigator.model.rowsInserted,
            self.navigator.model.rowsRemoved,
        ):
            signal.connect(self._position_refresh.start)
        self.panel.itemSelected.connect(self._select_from_panel)
        self.label_palette.labelChosen.connect(self._label_from_palette)
        self.view.itemSelected.connect(self._view_selected)
        self._navigator_refresh = QTimer(self, singleShot=True, interval=150)
        self._navigator_refresh.timeout.connect(self._refresh_navigator_row)
        self._panel_refresh = QTimer(self, singleShot=True, interval=PANEL_DELAY_MS)
        self._panel_refresh.timeout.connect(self.refresh_panel)

        self.resize(1400, 860)
        self.resizeDocks(
            [self.docks["navigator"], self.docks["labels"]], [460, 290], Qt.Orientation.Horizontal
        )
        self.resizeDocks(
            [self.docks["labels"], self.docks["annotations"]], [230, 500], Qt.Orientation.Vertical
        )
        if not self._restore_layout():
            # First run: the article gets the room; the rule editor (Ctrl+Shift+R), the rule
            # proposals, the concordance and the plots open when asked for.
            for name in ("rules", "proposals", "concordance", "plots"):
                self.docks[name].hide()
        first = self.navigator.model.id_at(0)  # not every summary: the list reads pages
        if first is not None:
            self.open_document(first)
        else:
            self._show_empty()
        self._refresh_undo_texts()
        self.menus["Edit"].aboutToShow.connect(self._refresh_undo_texts)

        self.after_paint.add(self._warm_up)
        self.dialogs.apply_user_settings()
        self.view.setFocus()

    # -- building ------------------------------------------------------------------

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title.lower()}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_actions(self) -> None:
        build_actions(self, action_handlers(self))

    def apply_bindings(self, bindings: dict[str, tuple[str, ...]]) -> None:
        """Set every action's keys (and its tooltip, which names them)."""
        apply_bindings(self, bindings)

    def build_label_actions(self) -> None:
        """Number keys 1..9 by label order and each label's letter: both apply the label."""
        build_label_actions(self)

    # -- documents ------------------------------------------------------------------

    def open_document(self, doc_id: int) -> None:
        """Show a document; its suggestions are made first if the rules changed since."""
        # Tens of thousands of small objects, no cycles: the collector would only rescan.
        with gc_paused():
            self._open_document(doc_id)
        self.after_paint.add(self._freeze)

    def _freeze(self) -> None:
        # Keep the collector off what is now loaded: a full collection over 20,000 spans' objects
        # in the middle of a key press is a dropped frame (or five). gc.freeze() is process-wide
        # and cannot pick one document's objects, and what it holds is never collected, so it is
        # bounded: once the frozen set has doubled since the last full collection (the garbage
        # of the documents shown before may be in it), everything is unfrozen, collected once
        # and frozen again. Not on every open: that collection costs ~100 ms on the 20,000-span
        # article. Closing the window unfreezes. A window closed (or never shown) before its
        # text painted freezes nothing: no key waits on it.
        if not self.isVisible():
            return
        gc.freeze()
        frozen = gc.get_freeze_count()
        if self._frozen_floor == 0:
            self._frozen_floor = frozen  # the first document: what a session starts with
        elif frozen > FREEZE_GROWTH * self._frozen_floor:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self._frozen_floor = gc.get_freeze_count()

    def _open_document(self, doc_id: int) -> None:
        try:
            doc, spans, pending = self.workspace.document_for_view(doc_id)
            suggested = self.suggestions.suggest_here(doc_id, len(doc.text))
            if suggested:
                _, spans, pending = self.workspace.document_for_view(doc_id)
        except AnnotatorError as exc:
            self.notify(str(exc))
            return
        self.doc = doc
        self.annotating.doc_id = doc_id
        self.view.show_document(
            doc.text,
            spans,
            pending,
            {label.name: label.colour for label in self.workspace.labels()},
        )
        self.header.setText(header_html(doc))
        # Its row says what the database says (new suggestions; another window's work on F5).
        self.navigator.update_document(doc_id)
        self.navigator.set_current(doc_id)
        if len(spans) + len(pending) > LARGE_DOCUMENT:
            # The text first: the table of a big document fills in right after the text is painted.
            self.label_palette.set_counts(dict(self.view.overlay.span_counts))
            self.after_paint.add(self.refresh_panel)
        else:
            self.refresh_panel()
        if not suggested:  # a long document's rules run elsewhere, asked once its text shows
            self.suggestions.request_after_paint(doc_id)
        self.refresh_status()
        who = identity_text(self.workspace, doc_id)
        self.setWindowTitle(
            f"{doc.title or 'Untitled'} — {who + ' — ' if who else ''}annotator"
            f"{read_only_mark(self)}"
        )

    # -- suggestions ------------------------------------------------------------------

    def request_suggestions(self, doc_id: int) -> None:
        """Make a document's suggestions if the rules changed since (see WindowSuggestions)."""
        self.suggestions.request(doc_id)

    def making_suggestions(self) -> bool:
        """True while the open document's suggestions are being made."""
        return (
            self.doc is not None
            and self.doc.id is not None
            and self.suggestions.making(self.doc.id)
        )

    def _show_empty(self) -> None:
        self.header.setText(
            "<b>No documents yet.</b> Import some with <code>annotator import PATH</code>."
        )
        self.refresh_status()

    def step_document(self, step: int) -> None:
        order = self.navigator.ordered_ids()
        if not order:
            return
        current = self.doc.id if self.doc else None
        if current not in order:
            self.open_document(order[0])
            return
        at = order.index(current) + step
        if 0 <= at < len(order):
            self.open_document(order[at])
            self.view.setFocus()
        else:
            self.notify("This is the last document" if step > 0 else "This is the first document")

    def mark_done_and_next(self) -> None:
        if self.doc is None:
            return
        if self.annotating.set_done() is None:
            return
        doc_id = self.doc.id
        if doc_id is not None:
            self.doc = self.reread_head(doc_id)  # the status bar says "done" even if we stay here
            self.navigator.update_document(doc_id)  # the list says "done"; the others as they were
        waiting = self.navigator.next_not_done(self.doc.id)
        if waiting is not None:
            self.open_document(waiting)
            self.notify("Marked done")
            self.view.setFocus()
            return
        self.refresh_status()
        self.notify("Marked done: every document is done")

    # -- undo ---------------------------------------------------------------------

    def undo(self, *, redo: bool = False) -> None:
        change = self.annotating.undo(redo=redo)
        if isinstance(change, AnnotatorError):
            self.notify(str(change))
            return
        if change is None:
            self.notify("Nothing to redo" if redo else "Nothing to undo")
            return
        self.apply_change(change)
        self.notify(("Redone: " if redo else "Undone: ") + change.description)

    # -- refreshes ------------------------------------------------------------------

    def apply_change(self, change: Change) -> None:
        """Every view follows what a workspace operation changed (gui/change_view.py)."""
        apply_change(self, change)
        self.changeApplied.emit(change)

    def schedule_refreshes(self, *, position: bool = False) -> None:
        """The side table, the counts and the document list's row, a moment after the article."""
        self._panel_refresh.start()
        self.refresh_status(position=position)
        self._navigator_refresh.start()

    def _refresh_undo_texts(self) -> None:
        """The Edit menu says what Undo and Redo would do ("Undo Accept PERSON ‘Putin’").

        Read when the menu opens, not after every key: two queries a frame is a frame's budget.
        """
        for action_id, describe in (
            ("undo", self.workspace.undo_description),
            ("redo", self.workspace.redo_description),
        ):
            what = describe()
            action = self.actions_by_id[action_id]
            action.setText(f"{BY_ID[action_id].title} {what}" if what else BY_ID[action_id].title)

    def _warm_up(self) -> None:
        # Right after the first paint: the first key press should cost what every other one does.
        if self.doc is not None and self.doc.id is not None:
            try:
                pending = self.view.overlay.pending_ids()
                self.workspace.warm_up(self.doc.id, pending[0] if pending else None)
            except AnnotatorError:
                pass

    def reread_head(self, doc_id: int) -> Document:
        assert self.doc is not None
        # The status shows in the status bar: re-laying out the header would re-lay out the article.
        return replace(self.doc, status=self.workspace.document_status(doc_id))

    def _refresh_navigator_row(self) -> None:
        if self.doc is not None and self.doc.id is not None:
            self.navigator.update_document(self.doc.id)

    def panel_refresh_pending(self) -> bool:
        """True while the side table has yet to follow the article's last change."""
        return self._panel_refresh.isActive()

    def refresh_panel(self) -> None:
        """Bring the palette counts and the annotation table in line with the view (only what
        changed)."""
        self._panel_refresh.stop()
        self.label_palette.set_counts(dict(self.view.overlay.span_counts))
        follow_view(self.panel, self.view)

    def refresh_status(self, *, position: bool = True) -> None:
        """The status bar line; ``position=False`` keeps "document i of n" (walking a 10,000-row
        list per key press would cost a frame), for actions that cannot move it."""
        if position or self._position is None:
            self._position = self.navigator.position(self.doc.id if self.doc else None)
        index, total = self._position
        overlay = self.view.overlay
        spans = overlay.span_count() if self.doc else 0
        pending = overlay.pending_count() if self.doc else 0
        status = f"  ·  {self.doc.status}" if self.doc else ""
        making = "  (making suggestions…)" if self.making_suggestions() else ""
        covered = overlay.covered_count() if self.doc else 0
        covered_text = f" (+{covered} covered)" if covered else ""
        self.position_label.setText(
            f"Document {index} of {total}{status}  ·  {spans} spans  ·  {pending} pending"
            f"{covered_text}{making}  ·  {shown_url(self.workspace.location)}"
        )

    def notify(self, message: str) -> None:
        self.statusBar().showMessage(message, 6000)

    # -- selection sync -----------------------------------------------------------------

    def _view_selected(self, kind: str, item_id: int) -> None:
        if kind:
            self.panel.select_item(kind, item_id)
        else:
            self.panel.clear_selection()

    def _select_from_panel(self, kind: str, item_id: int) -> None:
        item = self.view.overlay.get(kind, item_id)
        if item is not None:
            self.view.select_item(item)

    def _label_from_palette(self, name: str) -> None:
        self.annotating.apply_label(name)
        self.view.setFocus()

    # -- the dialogs' side (window.dialogs), as the window's own ----------------------------

    def apply_view_settings(self) -> None:
        self.dialogs.apply_view_settings()

    def set_label_tags(self, on: bool, *, suggestions: bool | None = None) -> None:
        self.dialogs.set_label_tags(on, suggestions=suggestions)

    def _preferences_saved(self) -> None:
        self.dialogs.preferences_saved()

    @property
    def _search_dialog(self) -> CorpusSearchDialog | None:
        return self.dialogs.search_dialog

    @property
    def _preferences_dialog(self) -> PreferencesDialog | None:
        return self.dialogs.preferences_dialog

    @property
    def _sheet(self) -> ShortcutSheet | None:
        return self.dialogs.sheet

    # -- window state -------------------------------------------------------------------

    def _restore_layout(self) -> bool:
        """The size and dock layout of the last run; False when there is none."""
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            return self.restoreState(state)
        return False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.view.setFocus)
        self.view.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.suggestions.stop()
        self.search_indexing.stop()
        gc.unfreeze()  # what the open document froze is the collector's again
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        super().closeEvent(event)
