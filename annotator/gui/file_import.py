"""File > Import: files, folders or zips in a worker thread, then a report of what was refused and
why."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.formats import IMPORT_FORMATS
from annotator.core.text import plural
from annotator.workspace import ImportReport, ReadOptions, Workspace, read_incoming_labels

from .background import Task
from .file_tasks import PathField, TaskDialog, busy_bar, message_label, show_message
from .label_map_dialog import LabelMapDialog

FORMAT_NAMES = {
    "txt": "plain text",
    "news": "news article text",
    "html": "HTML page",
    "jsonl": "JSON lines",
    "brat": "brat standoff (.txt + .ann)",
    "conll": "CoNLL / IOB2",
    "xmi": "UIMA XMI (INCEpTION)",
    "uima-json": "UIMA JSON",
    "spacy": "spaCy DocBin (.spacy)",
    "conllu": "CoNLL-U (entities in MISC NE=)",
    "webanno": "WebAnno TSV 3 (INCEpTION)",
    "csv": "CSV / TSV table (a document a row)",
}
FILE_FILTER = (
    "Articles and annotations "
    "(*.txt *.html *.htm *.jsonl *.json *.ann *.conll *.conllu *.iob *.xmi *.tsv *.spacy"
    " *.csv *.zip);;"
    "All files (*)"
)
PATH_SEPARATOR = ";"
LABEL_PRE_READ = 500  # documents read for the label table before the import (a big folder: more
# labels may come; the table says so)


def split_paths(text: str) -> list[str]:
    """The paths typed or chosen in the field: one existing path as is, else ``;``-separated."""
    text = text.strip()
    if not text:
        return []
    if Path(text).expanduser().exists():
        return [text]
    return [part.strip() for part in text.split(PATH_SEPARATOR) if part.strip()]


def summary_text(report: ImportReport) -> str:
    imported = f"Imported {plural(report.imported, 'document')} with {plural(report.spans, 'span')}"
    lines = [
        f"{imported} from {plural(report.files, 'file')}.",
        f"Skipped {plural(report.duplicates, 'duplicate')}; refused {len(report.refused)}.",
        report.entries_line()[0].upper() + report.entries_line()[1:] + ".",
    ]
    if report.new_labels:
        lines.append(f"New labels: {', '.join(report.new_labels)}.")
    lines += [mapping[0].upper() + mapping[1:] + "." for mapping in report.label_mappings]
    if report.cancelled:
        lines.insert(0, "Cancelled: the files read before Cancel were imported.")
    return "\n".join(lines)


def common_folder(files: Sequence[str]) -> str:
    """The folder all files are under (so the report can show shorter names), or ""."""
    if not files or not all(os.path.isabs(f) for f in files):
        return ""
    folder = os.path.commonpath(files)
    if folder in files:
        folder = os.path.dirname(folder)
    return "" if folder in ("", os.sep) else folder


class ImportDialog(TaskDialog):
    """Choose what to import and how; Import runs it in a thread with progress and Cancel."""

    imported = Signal(object)  # the ImportReport, also when cancelled part way

    def __init__(self, location: str, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import")
        self.setMinimumWidth(740)
        self._location, self._annotator = location, annotator
        self.task: Task | None = None
        self._settled = True
        self.report: ImportReport | None = None
        self.label_table: LabelMapDialog | None = None

        self.paths = PathField(
            self._browse_files, "files, a folder or a zip (several: separate with ;)", "&Files…"
        )
        self.folder_button = QPushButton("F&older…")
        self.folder_button.setAutoDefault(False)
        self.folder_button.clicked.connect(self._browse_folder)
        self.paths.row.addWidget(self.folder_button)
        self.format_combo = QComboBox()
        self.format_combo.addItem("Detect from each file", None)
        for fmt in IMPORT_FORMATS:
            self.format_combo.addItem(f"{fmt} — {FORMAT_NAMES.get(fmt, fmt)}", fmt)
        self.refuse_unknown = QCheckBox(
            "&Refuse documents with labels this database does not have "
            "(instead of adding the labels)"
        )
        # What `annotator import` takes as --doc-sentences, --ner-key and --text-column.
        self.doc_sentences = QSpinBox()
        self.doc_sentences.setRange(-1, 100_000)
        self.doc_sentences.setValue(-1)
        self.doc_sentences.setSpecialValueText("CoNLL: automatic (blank-line groups, at most 50)")
        self.doc_sentences.setToolTip(
            "CoNLL files without -DOCSTART- and CoNLL-U without # newdoc: sentences a document "
            "(0: one document a file)"
        )
        self.ner_key = QLineEdit("NE")
        self.ner_key.setToolTip("CoNLL-U: the MISC key holding the entity tags, as in NE=B-PER")
        self.text_column = QLineEdit()
        self.text_column.setPlaceholderText("detected: text, body, content, article, isi, …")
        self.text_column.setToolTip("CSV/TSV: the header name of the column holding the text")
        self.progress = busy_bar()
        self.message = message_label()

        form = QFormLayout()
        form.addRow("&Import from:", self.paths)
        form.addRow("F&ormat:", self.format_combo)
        form.addRow("", self.refuse_unknown)
        form.addRow("Sentences a &document:", self.doc_sentences)
        form.addRow("NER &key (CoNLL-U):", self.ner_key)
        form.addRow("Te&xt column (CSV):", self.text_column)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.stop_button = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.paths.edit, self.paths.browse_button)
        self.setTabOrder(self.paths.browse_button, self.folder_button)
        self.setTabOrder(self.folder_button, self.format_combo)
        self.setTabOrder(self.format_combo, self.refuse_unknown)
        self.setTabOrder(self.refuse_unknown, self.doc_sentences)
        self.setTabOrder(self.doc_sentences, self.ner_key)
        self.setTabOrder(self.ner_key, self.text_column)
        self.setTabOrder(self.text_column, self.import_button)
        self.setTabOrder(self.import_button, self.cancel_button)
        self.paths.edit.setFocus()

    # -- choosing -------------------------------------------------------------

    def _browse_files(self, current: str) -> str | None:
        start = split_paths(current)[0] if split_paths(current) else ""
        files, _ = QFileDialog.getOpenFileNames(self, "Import files", start, FILE_FILTER)
        return PATH_SEPARATOR.join(files) if files else None

    def _browse_folder(self) -> None:
        start = split_paths(self.paths.text())[0] if split_paths(self.paths.text()) else ""
        folder = QFileDialog.getExistingDirectory(self, "Import a folder", start)
        if folder:
            self.paths.setText(folder)
        self.paths.edit.setFocus()

    # -- running --------------------------------------------------------------

    def start(self) -> None:
        if self.running():
            return
        paths = split_paths(self.paths.text())
        if not paths:
            self._refuse("Choose files, a folder or a zip to import.")
            return
        missing = [p for p in paths if not Path(p).expanduser().exists()]
        if missing:
            self._refuse(f"No such file or folder: {', '.join(missing)}")
            return
        key = self.ner_key.text().strip() or "NE"
        if any(c.isspace() or c in "=|" for c in key):
            self._refuse(f"Not a CoNLL-U MISC key: {key!r} (no spaces, = or |).")
            return
        fmt, allow_new = self.format_combo.currentData(), not self.refuse_unknown.isChecked()
        if not self._ask_labels(paths, fmt, allow_new):
            self._run(paths, fmt, allow_new, {})

    def read_options(self) -> ReadOptions:
        """The reader options chosen in the dialog (the CLI's --doc-sentences, --ner-key,
        --text-column)."""
        sentences = self.doc_sentences.value()
        return ReadOptions(
            conllu_ner_key=self.ner_key.text().strip() or "NE",
            doc_sentences=None if sentences < 0 else sentences,
            text_column=self.text_column.text().strip() or None,
        )

    def _ask_labels(self, paths: list[str], fmt: str | None, allow_new: bool) -> bool:
        """Show the label table when the files bring labels this database lacks (a quick
        pre-read, capped); True when it is shown (its Import goes on with the import)."""
        incoming = read_incoming_labels(paths, fmt, self.read_options(), at_most=LABEL_PRE_READ)
        with Workspace.open(self._location, annotator=self._annotator) as workspace:
            existing = [label.name for label in workspace.labels()]
        if set(incoming.spans) <= set(existing):
            return False
        table = LabelMapDialog(incoming, existing, self)
        self.label_table = table
        table.accepted.connect(lambda: self._run(paths, fmt, allow_new, table.mapping()))
        table.rejected.connect(
            lambda: show_message(self.message, "Nothing imported: the label table was cancelled.")
        )
        table.open()
        return True

    def _run(
        self, paths: list[str], fmt: str | None, allow_new: bool, label_map: dict[str, str]
    ) -> None:
        self.task = Task(self._work(paths, fmt, allow_new, label_map), self)
        self.task.progressed.connect(self._progressed)
        self.task.succeeded.connect(self._finished)
        self.task.failed.connect(self._failed)
        for widget in self._inputs():
            widget.setEnabled(False)
        self.progress.setRange(0, 0)  # until the files are counted
        self.progress.setFormat("Reading…")
        self.progress.show()
        show_message(self.message, "")
        self.cancel_button.setFocus()
        self._settled = False
        self.task.start()

    def _work(
        self,
        paths: Sequence[str],
        fmt: str | None,
        allow_new: bool,
        label_map: dict[str, str] | None = None,
    ) -> Callable[..., object]:
        location, annotator = self._location, self._annotator
        options = self.read_options()

        def work(
            progress: Callable[[int, int], None], cancelled: Callable[[], bool]
        ) -> ImportReport:
            with Workspace.open(location, annotator=annotator) as workspace:
                report = workspace.import_paths(
                    list(paths),
                    fmt=fmt,
                    allow_new_labels=allow_new,
                    progress=progress,
                    cancelled=cancelled,
                    label_map=label_map,
                    options=options,
                )
                # Off the GUI thread: the import leaves the full-text index behind, and the
                # first search would otherwise index the new documents while the window waits.
                workspace.index_for_search()
                return report

        return work

    def _inputs(self) -> tuple[QWidget, ...]:
        return (
            self.paths,
            self.format_combo,
            self.refuse_unknown,
            self.doc_sentences,
            self.ner_key,
            self.text_column,
            self.import_button,
        )

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"File {done} of {total}")

    def _finished(self, report: ImportReport) -> None:
        self._settled = True
        self.report = report
        self.imported.emit(report)
        self.accept()

    def _failed(self, message: str) -> None:
        self._settled = True
        self._reset()
        self._refuse(message)

    def _refuse(self, message: str) -> None:
        show_message(self.message, message, error=True)
        self.paths.edit.setFocus()

    def _reset(self) -> None:
        for widget in self._inputs():
            widget.setEnabled(True)
        self.progress.hide()
        self.cancel_button.setText("Cancel")


class ImportReportDialog(QDialog):
    """Counts, then every refused file with its line and reason, then the notices."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import report")
        self.resize(820, 440)
        self.report = report
        self.summary = QLabel(summary_text(report))
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refused = QTreeWidget()
        folder = common_folder([problem.file for problem in report.refused])
        self.refused.setHeaderLabels(
            [f"File (in {folder})" if folder else "File", "Line", "Reason"]
        )
        self.refused.setRootIsDecorated(False)
        self.refused.setAlternatingRowColors(True)
        self.refused.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        for problem in report.refused:
            shown = problem.file[len(folder) + 1 :] if folder else problem.file
            item = QTreeWidgetItem(
                [shown, "" if problem.line is None else str(problem.line), problem.reason]
            )
            item.setToolTip(0, problem.file)
            item.setToolTip(2, problem.reason)
            self.refused.addTopLevelItem(item)
        header = self.refused.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.refused.resizeColumnToContents(0)
        self.refused.setColumnWidth(0, min(self.refused.columnWidth(0), 360))
        first = self.refused.topLevelItem(0)
        if first is not None:
            self.refused.setCurrentItem(first)
        self.notices = QPlainTextEdit("\n".join(report.notices))
        self.notices.setReadOnly(True)
        self.notices.setTabChangesFocus(True)
        self.notices.setMaximumHeight(110)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        refused_title = QLabel(
            f"<b>Refused ({len(report.refused)})</b>" if report.refused else "Nothing was refused."
        )
        layout.addWidget(refused_title)
        layout.addWidget(self.refused, 1)
        self.refused.setVisible(bool(report.refused))
        if report.notices:
            layout.addWidget(QLabel(f"<b>Notes ({len(report.notices)})</b>"))
            layout.addWidget(self.notices)
        else:
            self.notices.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def refused_rows(self) -> list[tuple[str, str, str]]:
        """What the table shows, row by row (the file's whole name, line, reason)."""
        rows = []
        for i in range(self.refused.topLevelItemCount()):
            item = self.refused.topLevelItem(i)
            if item is not None:
                rows.append((item.toolTip(0), item.text(1), item.text(2)))
        return rows
