"""File > Export: format, destination and filters; the export runs in a thread and says where it
wrote.

Writers write to a temporary and rename it into place, so an error or Cancel leaves no file.
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.curation import CURATED, layer_phrase
from annotator.core.formats import EXPORT_FORMATS
from annotator.core.model import DocumentStatus, SpanOrigin
from annotator.core.text import plural
from annotator.workspace import ExportResult, Workspace

from .background import Task
from .export_warnings import ExportWarningsDialog
from .file_tasks import PathField, TaskDialog, busy_bar, message_label, show_message

FOLDER_FORMATS = {"brat", "xmi", "webanno"}
TAGGED_FORMATS = {"conll", "conllu"}  # the formats with a tag scheme to choose
SCHEMES = (
    ("IOB2: B- begins each entity", "iob2"),
    ("IOB1: B- only between two entities of one type", "iob1"),
    ("BIOES: B- I- E-, S- for one token", "bioes"),
)
SUFFIXES = {
    "jsonl": ".jsonl",
    "conll": ".conll",
    "csv": ".csv",
    "spacy": ".spacy",
    "sqlite": ".sqlite",
    "doccano": ".jsonl",
    "doccano-relations": ".jsonl",
    "labelstudio": ".json",
    "conllu": ".conllu",
}
FORMAT_NAMES = {
    "jsonl": "JSON lines (file)",
    "brat": "brat standoff (folder)",
    "conll": "CoNLL, token and tag a line (file)",
    "csv": "CSV, one span a row (file)",
    "xmi": "UIMA XMI for INCEpTION (folder)",
    "spacy": "spaCy DocBin (file)",
    "sqlite": "the whole database (file)",
    "doccano": "doccano sequence labeling JSONL (file)",
    "doccano-relations": "doccano relation extraction JSONL (file)",
    "labelstudio": "Label Studio JSON tasks (file)",
    "conllu": "CoNLL-U, entities in MISC (file)",
    "webanno": "WebAnno TSV 3 for INCEpTION (folder)",
}


def export_accepts(name: str) -> bool:
    """Whether ``Workspace.export`` takes this keyword (origins came later than the others)."""
    return name in inspect.signature(Workspace.export).parameters


def retarget(path: str, fmt: str) -> str:
    """The destination renamed for another format: ``x.jsonl`` -> ``x-brat`` -> ``x.csv``."""
    if not path:
        return path
    p = Path(path)
    stem = p.name
    for suffix in SUFFIXES.values():
        stem = stem.removesuffix(suffix)
    for folder in FOLDER_FORMATS:
        if stem.endswith(f"-{folder}"):
            stem = stem[: -len(folder) - 1]
    name = f"{stem}-{fmt}" if fmt in FOLDER_FORMATS else stem + SUFFIXES.get(fmt, "")
    return str(p.with_name(name))


def checked_list(items: Iterable[tuple[str, str]]) -> QListWidget:
    """A list of checkable rows (text, value), all checked; Space toggles the current one."""
    widget = QListWidget()
    for text, value in items:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        widget.addItem(item)
    if widget.count():
        widget.setCurrentRow(0)
    widget.setMaximumHeight(min(22 * max(widget.count(), 1) + 8, 120))
    return widget


def checked_values(widget: QListWidget) -> tuple[str, ...] | None:
    """() when everything is checked (no filter), the checked values otherwise, None when nothing
    is."""
    items = [widget.item(i) for i in range(widget.count())]
    chosen = tuple(
        i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked
    )
    if len(chosen) == len(items):
        return ()
    return chosen or None


class ExportDialog(TaskDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setMinimumWidth(620)
        self._location, self._annotator = workspace.location, workspace.annotator
        self.task: Task | None = None
        self._settled = True
        self.result_path: Path | None = None
        self._confirmed: str | None = None  # a destination the user agreed to replace
        self._exported_format = EXPORT_FORMATS[0]  # the format of the export last started

        self.format_combo = QComboBox()
        for fmt in EXPORT_FORMATS:
            self.format_combo.addItem(f"{fmt} — {FORMAT_NAMES.get(fmt, fmt)}", fmt)
        self.destination = PathField(self._browse, "a file, or a folder (brat, XMI, WebAnno TSV)")
        self.destination.setText(default_destination(workspace.location, EXPORT_FORMATS[0]))
        self.statuses = checked_list((str(s), str(s)) for s in DocumentStatus)
        self.labels = checked_list((label.name, label.name) for label in workspace.labels())
        self.origins = checked_list((str(o), str(o)) for o in SpanOrigin)
        if not export_accepts("origins"):
            self.origins.setEnabled(False)
            self.origins.setToolTip(
                "Every origin is exported: this version of the workspace has no origin filter"
            )
        by = workspace.stats()["by"]
        counted = by.get("annotator", {}) if isinstance(by, dict) else {}
        annotators = sorted(name for name in counted if name != "(none)")
        self.annotators = checked_list((name, name) for name in annotators)
        self.suggestions = QCheckBox("Include &pending suggestions (with their state)")
        # Whose spans: shown only when the database has annotators' own layers (a team).
        self.layer_combo = QComboBox()
        for layer in workspace.export_layers():
            shown = f"{CURATED} (the main layer)" if layer == CURATED else f"{layer}'s own layer"
            self.layer_combo.addItem(shown, layer)
        self._has_layers = self.layer_combo.count() > 1
        self.scheme_combo = QComboBox()
        for text, scheme in SCHEMES:
            self.scheme_combo.addItem(text, scheme)
        self.warnings_dialog: ExportWarningsDialog | None = None
        self.progress = busy_bar()
        self.message = message_label()
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.destination.edit.textEdited.connect(self._destination_edited)

        form = QFormLayout()
        form.addRow("F&ormat:", self.format_combo)
        form.addRow("&Destination:", self.destination)
        form.addRow("&Status:", self.statuses)
        form.addRow("O&rigin:", self.origins)
        form.addRow("&Labels:", self.labels)
        form.addRow("&Annotators:", self.annotators)
        if self._has_layers:
            form.addRow("La&yer:", self.layer_combo)
        else:
            self.layer_combo.setParent(self)
            self.layer_combo.hide()
        form.addRow("", self.suggestions)
        form.addRow("Tag sc&heme:", self.scheme_combo)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            "&Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.close_button = self.stop_button = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Close
        )
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        order = [
            self.format_combo,
            self.destination.edit,
            self.destination.browse_button,
            self.statuses,
            self.origins,
            self.labels,
            self.annotators,
            self.layer_combo,
            self.suggestions,
            self.scheme_combo,
            self.export_button,
            self.close_button,
        ]
        if not self._has_layers:
            order.remove(self.layer_combo)
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)
        self._format_changed()
        self.format_combo.setFocus()

    # -- choosing ---------------------------------------------------------------

    def fmt(self) -> str:
        return str(self.format_combo.currentData())

    def _destination_edited(self) -> None:
        self._confirmed = None
        self.export_button.setDefault(
            True
        )  # after an export Enter closes; a new path means export again

    def _format_changed(self) -> None:
        self.destination.setText(retarget(self.destination.text(), self.fmt()))
        self._confirmed = None
        self.scheme_combo.setEnabled(self.fmt() in TAGGED_FORMATS)

    def _browse(self, current: str) -> str | None:
        if self.fmt() in FOLDER_FORMATS:
            return QFileDialog.getExistingDirectory(self, "Export to a folder", current) or None
        suffix = SUFFIXES.get(self.fmt(), "")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to a file", current, f"{self.fmt()} (*{suffix});;All files (*)"
        )
        return path or None

    def _filters(self) -> dict[str, tuple[str, ...]] | str:
        """The value filters for Workspace.export (keyword arguments), or why they cannot be
        made."""
        chosen: dict[str, tuple[str, ...]] = {}
        for key, widget, what in (
            ("statuses", self.statuses, "status"),
            ("labels", self.labels, "label"),
            ("annotators", self.annotators, "annotator"),
            ("origins", self.origins, "origin"),
        ):
            if not widget.isEnabled() or widget.count() == 0:
                continue
            values = checked_values(widget)
            if values is None:
                return f"Choose at least one {what}."
            if values:
                chosen[key] = values
        return chosen

    # -- running --------------------------------------------------------------

    def start(self) -> None:
        if self.running():
            return
        dest = self.destination.path()
        if dest is None:
            self._show_error("Choose where to write the export.")
            return
        filters = self._filters()
        if isinstance(filters, str):
            self._show_error(filters)
            return
        if dest.is_file() and self.fmt() not in FOLDER_FORMATS and self._confirmed != str(dest):
            self._confirmed = str(dest)
            show_message(
                self.message, f"{dest} exists. Press Export again to replace it.", error=True
            )
            self.export_button.setFocus()
            return
        work = self._work(self.fmt(), dest, self.suggestions.isChecked(), filters)
        self._exported_format = self.fmt()
        self.task = Task(work, self, raise_on_cancel=True)
        self.task.progressed.connect(self._progressed)
        self.task.succeeded.connect(self._finished)
        self.task.failed.connect(self._failed)
        self.task.stopped.connect(self._stopped)
        self._set_running(True)
        self.task.start()

    def _work(
        self, fmt: str, dest: Path, suggestions: bool, filters: dict[str, tuple[str, ...]]
    ) -> Callable[..., object]:
        location, annotator = self._location, self._annotator
        scheme = str(self.scheme_combo.currentData())
        layer = str(self.layer_combo.currentData())

        def work(
            progress: Callable[[int, int], None], _cancelled: Callable[[], bool]
        ) -> ExportResult:
            with Workspace.open(location, annotator=annotator) as workspace:
                return workspace.export(
                    fmt,
                    dest,
                    progress=progress,
                    include_suggestions=suggestions,
                    statuses=filters.get("statuses", ()),
                    labels=filters.get("labels", ()),
                    annotators=filters.get("annotators", ()),
                    origins=filters.get("origins", ()),
                    scheme=scheme,
                    layer=layer,
                )

        return work

    def _set_running(self, running: bool) -> None:
        self._settled = not running
        for widget in (
            self.format_combo,
            self.destination,
            self.statuses,
            self.labels,
            self.annotators,
            self.layer_combo,
            self.suggestions,
            self.export_button,
        ):
            widget.setEnabled(not running)
        self.origins.setEnabled(not running and export_accepts("origins"))
        self.scheme_combo.setEnabled(not running and self.fmt() in TAGGED_FORMATS)
        self.close_button.setText("Cancel" if running else "Close")
        self.close_button.setEnabled(True)
        if running:
            self.progress.setRange(0, 0)
            self.progress.setFormat("Exporting…")
            self.progress.show()
            show_message(self.message, "")
            self.close_button.setFocus()
        else:
            self.progress.hide()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"Document {done} of {total}")

    def _finished(self, result: ExportResult) -> None:
        self._set_running(False)
        self.result_path = result.path
        done = (
            f"Exported {plural(result.documents, 'document')} with {plural(result.spans, 'span')}"
        )
        if self._has_layers and self._exported_format != "sqlite":
            done += f" of {layer_phrase(str(self.layer_combo.currentData()))}"
        lines = [f"{done} to {result.path}"]
        if result.spans_changed:
            lines.append(f"Warning: {plural(result.spans_changed, 'span')} not written exactly.")
        elif result.warnings:
            lines.append(f"{plural(len(result.warnings), 'note')} about the export.")
        show_message(self.message, "\n".join(lines))
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        if result.warnings:
            # Its own window: the list can be long, and the user may want to copy it.
            self.warnings_dialog = ExportWarningsDialog(result, self._exported_format, self)
            self.warnings_dialog.open()

    def _failed(self, message: str) -> None:
        self._set_running(False)
        self._show_error(message)

    def _stopped(self) -> None:
        self._set_running(False)
        show_message(self.message, "Export cancelled; nothing was written.")

    def _show_error(self, message: str) -> None:
        show_message(self.message, message, error=True)
        self.destination.edit.setFocus()


def default_destination(location: str, fmt: str) -> str:
    """``<database folder>/<database name>-export.<suffix>`` (or ``-<format>`` for a folder)."""
    db = Path(location)
    folder = db.parent if db.parent.is_dir() else Path.home()
    return retarget(str(folder / f"{db.stem}-export"), fmt)
