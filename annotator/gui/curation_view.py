"""Team > Curate document: the annotators' versions of each disagreement, one lane each, and the
keys that settle it in the curated (main) layer.

Opening it pre-merges the agreed regions (one undo step, said in the status bar). Tab and
Shift+Tab go to the next and previous disagreement still unsettled; 1..9 take that annotator's
version, 0 or Delete rejects every version, E or Enter edits the region in the article (the main
layer), and the window's undo and redo keys work here too. Each decision is one undo step.
"""

from __future__ import annotations

import html
import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QMenu, QVBoxLayout

from annotator.core.errors import AnnotatorError
from annotator.core.model import Span
from annotator.gui.keymap import BY_ID
from annotator.workspace import Change, Curation, Region

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

CONTEXT = 60  # characters of text shown either side of a region
LETTERS = "ABCDEFGHI"
DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}
HINT = (
    "Tab / Shift+Tab: next / previous disagreement · 1–9: take that version · "
    "0 or Delete: reject every version · E or Enter: edit in the article · Esc: close"
)


def pale(colour: str, keep: float = 0.35) -> str:
    """A label's colour mixed with white (rich text has no alpha), so the text stays legible."""
    digits = colour.lstrip("#")
    if len(digits) != 6:
        return "#dddddd"
    rgb = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - (255 - c) * keep):02x}" for c in rgb)


def lane_html(text: str, start: int, end: int, spans: tuple[Span, ...], colours: dict) -> str:
    """``text[start:end]`` with each span bracketed, tinted in its label's colour and named."""
    cuts = {start, end}
    for span in spans:
        cuts.update(c for c in (span.start, span.end) if start <= c <= end)
    parts: list[str] = []
    ordered = sorted(cuts)
    for at, upto in itertools.pairwise(ordered):
        parts.extend("[" for span in spans if span.start == at)
        covering = [s for s in spans if s.start <= at and upto <= s.end]
        piece = html.escape(text[at:upto]).replace("\n", " ")
        if covering:
            inner = min(covering, key=lambda s: s.end - s.start)
            tint = pale(colours.get(inner.label, "#888888"))
            piece = f'<span style="background-color:{tint}">{piece}</span>'
        parts.append(piece)
        # The inner span closes first: the one that started last.
        for span in sorted((s for s in spans if s.end == upto), key=lambda s: -s.start):
            parts.append(f"]<sub><b>{html.escape(span.label)}</b></sub>")
    return "".join(parts)


class CurationView(QDialog):
    """One document's disagreements, one at a time, with a lane per annotator and the curated."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("curation-view")
        self.window_ = window
        self.setWindowTitle("Curate document")
        self.setMinimumWidth(760)
        self.curation: Curation | None = None
        self.region: Region | None = None
        # Regions rejected in this session: no curated span says they were settled.
        self._rejected: set[tuple[int, int, int]] = set()
        self.counter = QLabel()
        self.counter.setObjectName("curation-counter")
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.lanes = QGridLayout()
        self.lanes.setColumnStretch(1, 1)
        self.lanes.setVerticalSpacing(12)
        self.lanes.setHorizontalSpacing(16)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(dark)")
        layout = QVBoxLayout(self)
        layout.addWidget(self.counter)
        layout.addWidget(self.where)
        layout.addLayout(self.lanes)
        layout.addStretch(1)
        layout.addWidget(hint)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # -- opening -------------------------------------------------------------------

    def open_document(self, doc_id: int) -> None:
        """Pre-merge the agreements (an undo step) and show the first unsettled disagreement."""
        ws = self.window_.workspace
        try:
            if not ws.curation(doc_id).annotators:
                self.window_.notify("No annotator's layer in this document: nothing to curate")
                return
            change = ws.premerge_agreements(doc_id)
        except AnnotatorError as exc:
            self.window_.notify(str(exc))
            return
        if change.spans:
            self.window_.apply_change(change)
            self.window_.notify(f"{change.description} into the curated layer (undo: Ctrl+Z)")
        else:
            self.window_.notify("The agreed regions are in the curated layer already")
        self._reload(doc_id)
        left = self._unsettled()
        self.region = left[0] if left else self._first_disagreement()
        self._show()
        self.show()
        self.raise_()
        self.activateWindow()
        self.setFocus()

    def _reload(self, doc_id: int) -> None:
        self.curation = self.window_.workspace.curation(doc_id)
        if self.region is not None and self.curation.doc_id == doc_id:
            self.region = self.curation.region_at(self.region.start, self.region.end)

    def _first_disagreement(self) -> Region | None:
        assert self.curation is not None
        found = self.curation.disagreements
        return found[0] if found else None

    def _is_settled(self, region: Region) -> bool:
        assert self.curation is not None
        key = (self.curation.doc_id, region.start, region.end)
        return region.settled or key in self._rejected

    def _unsettled(self) -> list[Region]:
        assert self.curation is not None
        return [r for r in self.curation.disagreements if not self._is_settled(r)]

    # -- drawing -------------------------------------------------------------------

    def _show(self) -> None:
        curation, region = self.curation, self.region
        assert curation is not None
        total, left = len(curation.disagreements), len(self._unsettled())
        self.counter.setText(f"<b>{left} of {total} disagreements left</b>")
        while self.lanes.count():
            item = self.lanes.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()
        if region is None:
            self.where.setText("No disagreement in this document: every annotator agrees.")
            return
        state = "settled" if self._is_settled(region) else "not settled yet"
        shown = html.escape(curation.text[region.start : region.end].replace("\n", " "))
        self.where.setText(f"‘{shown}’ at [{region.start}, {region.end}) · {state}")
        colours = {label.name: label.colour for label in self.window_.workspace.labels()}
        start = max(0, region.start - CONTEXT)
        end = min(len(curation.text), region.end + CONTEXT)
        rows = [
            (f"{n} · {LETTERS[n - 1] if n <= 9 else ''} · {curation.shown_name(name)}", name)
            for n, name in enumerate(curation.annotators, 1)
        ]
        for row, (title, name) in enumerate(rows):
            self._lane(row, title, region.version(name), region, colours, start, end)
        held = [name for name in curation.annotators if region.holds(name)]
        curated = "Curated" + (f" (= {', '.join(held)})" if held else "")
        if not region.curated and (curation.doc_id, region.start, region.end) in self._rejected:
            curated += " (every version rejected)"
        self._lane(len(rows), curated, region.curated, region, colours, start, end)

    def _lane(
        self,
        row: int,
        title: str,
        spans: tuple[Span, ...],
        region: Region,
        colours: dict,
        start: int,
        end: int,
    ) -> None:
        assert self.curation is not None
        header = QLabel(f"<b>{html.escape(title)}</b>")
        text = self.curation.text
        body = (
            html.escape(text[start : region.start])
            + "<b>"
            + lane_html(text, region.start, region.end, spans, colours)
            + "</b>"
            + html.escape(text[region.end : end])
        )
        if not spans:
            body += " <i>(nothing marked here)</i>"
        lane = QLabel(("…" if start else "") + body + ("…" if end < len(text) else ""))
        lane.setTextFormat(Qt.TextFormat.RichText)
        lane.setWordWrap(True)
        lane.setObjectName(f"lane-{row}")
        self.lanes.addWidget(header, row, 0, Qt.AlignmentFlag.AlignTop)
        self.lanes.addWidget(lane, row, 1)

    def reject(self) -> None:
        """Esc: the view closes and the keys go back to the article."""
        super().reject()
        self.window_.activateWindow()
        self.window_.view.setFocus()

    # -- keys ----------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Tab walks the disagreements, not the focus chain (nothing here takes the focus).
        tab = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in tab
        ):
            backwards = event.key() == Qt.Key.Key_Backtab or bool(
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            self.step(-1 if backwards else +1)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if self._window_key(event, "undo"):
            self.undo(redo=False)
        elif self._window_key(event, "redo"):
            self.undo(redo=True)
        elif plain and key in DIGITS:
            self.take(DIGITS[key])
        elif plain and key in (Qt.Key.Key_0, Qt.Key.Key_Delete):
            self.reject_all()
        elif plain and key in (Qt.Key.Key_E, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit()
        else:
            super().keyPressEvent(event)

    def _window_key(self, event: QKeyEvent, action_id: str) -> bool:
        """The key is bound to the window's action (undo, redo), as the user bound it."""
        pressed = QKeySequence(event.keyCombination())
        action: QAction | None = self.window_.actions_by_id.get(action_id)
        keys = action.shortcuts() if action is not None else []
        if not keys:
            keys = [QKeySequence(k) for k in BY_ID[action_id].keys]
        return any(pressed.matches(k) == QKeySequence.SequenceMatch.ExactMatch for k in keys)

    # -- moving and deciding ----------------------------------------------------------

    def step(self, direction: int) -> None:
        """To the next (or previous) unsettled disagreement, round the document."""
        if self.curation is None:
            return
        left = self._unsettled()
        if not left:
            self.window_.notify("Every disagreement of this document is settled")
            self._show()
            return
        here = self.region.start if self.region is not None else -1
        if direction > 0:
            after = [r for r in left if r.start > here]
            self.region = after[0] if after else left[0]
        else:
            before = [r for r in left if r.start < here]
            self.region = before[-1] if before else left[-1]
        self._show()

    def take(self, number: int) -> None:
        """The curated layer takes annotator ``number``'s version of the region."""
        if self.curation is None or self.region is None:
            return
        if number > len(self.curation.annotators):
            self.window_.notify(f"There is no annotator {number} here")
            return
        name = self.curation.annotators[number - 1]
        region = self.region
        key = (self._doc, region.start, region.end)
        was = set(self._rejected)
        # An empty version leaves no curated span: remembered as settled like a rejection.
        if region.version(name):
            self._rejected.discard(key)
        else:
            self._rejected.add(key)
        if not self._decided(lambda: self.window_.workspace.take_version(self._doc, region, name)):
            self._rejected = was

    def reject_all(self) -> None:
        if self.curation is None or self.region is None:
            return
        region = self.region
        key = (self._doc, region.start, region.end)
        self._rejected.add(key)
        if not self._decided(lambda: self.window_.workspace.reject_region(self._doc, region)):
            self._rejected.discard(key)

    @property
    def _doc(self) -> int:
        assert self.curation is not None
        return self.curation.doc_id

    def _decided(self, decide) -> bool:
        try:
            change: Change = decide()
        except AnnotatorError as exc:
            self.window_.notify(str(exc))
            return False
        self.window_.apply_change(change)
        self.window_.notify(change.description)
        # Only the region decided on changed: it alone is read again (a long document's full
        # read costs a second).
        region = self.region
        assert self.curation is not None and region is not None
        again = self.window_.workspace.curation_region(self._doc, region.start, region.end)
        if again is None:
            self._reload(self._doc)
        else:
            self.curation = self.curation.with_region(again)
            self.region = again
        if self.region is not None and self._is_settled(self.region) and self._unsettled():
            self.step(+1)
        else:
            self._show()
        return True

    def undo(self, *, redo: bool) -> None:
        """The window's undo (or redo), then the lanes as the curated layer now is."""
        self.window_.undo(redo=redo)
        if self.curation is not None:
            self._reload(self._doc)
            if self.region is None:
                left = self._unsettled()
                self.region = left[0] if left else self._first_disagreement()
            self._show()

    def edit(self) -> None:
        """Edit the region by hand in the article (the curated layer), the view closed."""
        if self.curation is None or self.region is None:
            return
        window, region = self.window_, self.region
        if window.doc is None or window.doc.id != self._doc:
            window.open_document(self._doc)
        self.hide()
        window.activateWindow()
        window.view.select_offsets(region.start, region.end)
        window.view.setFocus()
        window.notify("Edit the curated layer here; Team > Curate document goes on")


def install_curation(window: MainWindow) -> CurationView:
    """The Team menu's "Curate document" action and its key, and the view it opens."""
    view = CurationView(window)
    menu = window.menus.get("Team")
    if menu is None:  # before Help, where a menu bar ends
        menu = window.menus["Team"] = QMenu("&Team", window)
        window.menuBar().insertMenu(window.menus["Help"].menuAction(), menu)
    entry = BY_ID["curate_document"]
    action = QAction(entry.title, window)
    action.setObjectName("action-curate_document")
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(
        lambda: view.open_document(window.doc.id) if window.doc and window.doc.id else None
    )
    window.addAction(action)
    menu.addAction(action)
    window.actions_by_id["curate_document"] = action
    window.apply_bindings(window.bindings)
    return view
