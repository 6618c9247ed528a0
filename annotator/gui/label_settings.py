"""The Labels page of the preferences: add, rename, recolour, reorder, set hotkeys, delete unused
labels.

Each edit goes to the workspace as soon as it is applied (there is no label undo), and the
page says so. Errors a user can cause (a taken hotkey, a bad name, a label in use) are
shown on the page, never raised.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import cast

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QIcon,
    QKeySequence,
    QPixmap,
    QRegularExpressionValidator,
    QShortcut,
)
from PySide6.QtWidgets import (
    QColorDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import Label
from annotator.core.text import plural
from annotator.gui.label_palette import COUNT, LETTER, NAME, NUMBER, LabelModel
from annotator.gui.tables import KeyTableView
from annotator.workspace import Change, Workspace

ERROR_STYLE = "color: #b00020;"
# Which key action (its title) uses a bare letter, or None: label letters must not shadow one.
KeyOwner = Callable[[str], str | None]


class LabelsPage(QWidget):
    """The label table and a form for the selected label (or a new one)."""

    labels_changed = Signal(object)  # the workspace's Change, after each applied edit

    def __init__(
        self, workspace: Workspace, parent: QWidget | None = None, key_owner: KeyOwner | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.key_owner = key_owner
        self._new = False
        self._counts: dict[str, int] = {}

        note = QLabel(
            "Label changes are written to the database when you press Apply (or OK); "
            "Cancel does not take back a change already applied.",
            self,
        )
        note.setWordWrap(True)
        self.model = LabelModel(self)
        self.table = KeyTableView(self, double_click=True)
        self.table.setModel(self.model)
        self.table.setToolTip("Enter: edit the label. Ctrl+Up / Ctrl+Down: move it.")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (NUMBER, LETTER, COUNT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.form_title = QLabel(self)
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("e.g. EVENT or Product Name")
        self.colour_edit = QLineEdit(self)
        self.colour_edit.setPlaceholderText("#rrggbb (empty: pick one)")
        self.colour_button = self._button("C&hoose…", self.choose_colour)
        self.colour_button.setToolTip("Pick the colour in a colour dialog")
        self.hotkey_edit = QLineEdit(self)
        self.hotkey_edit.setMaxLength(1)
        self.hotkey_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\p{L}?"), self.hotkey_edit)
        )
        self.hotkey_edit.setPlaceholderText("none")
        self.hotkey_edit.setToolTip(
            "One letter that applies this label (the number key follows the order)"
        )
        self.description_edit = QLineEdit(self)
        self.apply_button = self._button("&Apply", self.apply_form)
        self.new_button = self._button("&New label", self.new_label)
        self.up_button = self._button("Move &up", lambda: self.move_label(-1))
        self.up_button.setToolTip("Move the label up (Ctrl+Up); number keys follow the order")
        self.down_button = self._button("Move do&wn", lambda: self.move_label(1))
        self.down_button.setToolTip("Move the label down (Ctrl+Down)")
        self.delete_button = self._button("&Delete", self.delete_current)
        self.delete_button.setToolTip("Delete a label no span uses")
        self.merge_button = self._button("Mer&ge into…", self.merge_current)
        self.merge_button.setToolTip(
            "Move this label's spans, suggestions and rules to another label and remove it"
            " (one undo step)"
        )
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self._lay_out(note)
        for keys, step in (("Ctrl+Up", -1), ("Ctrl+Down", 1)):
            shortcut = QShortcut(
                QKeySequence(keys), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
            shortcut.activated.connect(lambda step=step: self.move_label(step))
        self.colour_edit.textChanged.connect(self._show_swatch)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._load_form()
        )
        self.table.rowActivated.connect(
            lambda _row: self.name_edit.setFocus()
        )  # Enter: edit this label
        self.refresh()
        if self.model.rowCount():
            self.table.select_row(0)
        self.setFocusProxy(self.table)

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)  # Enter stays OK for the dialog
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _lay_out(self, note: QLabel) -> None:
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.colour_edit, 1)
        colour_row.addWidget(self.colour_button)
        form = QFormLayout()
        for text, field in (
            ("Na&me:", self.name_edit),
            ("&Colour:", colour_row),
            ("Le&tter:", self.hotkey_edit),
            ("Descr&iption:", self.description_edit),
        ):
            form.addRow(text, field)
            buddy = form.labelForField(field)
            if isinstance(buddy, QLabel):
                buddy.setBuddy(field if isinstance(field, QWidget) else self.colour_edit)
        buttons = QHBoxLayout()
        for button in (
            self.apply_button,
            self.new_button,
            self.up_button,
            self.down_button,
            self.delete_button,
            self.merge_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.form_title)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    # -- reading -----------------------------------------------------------

    def labels(self) -> list[Label]:
        """The labels as shown, in schema order."""
        return self.model.rows()

    def current_label(self) -> Label | None:
        """The selected label; None while the form is for a new one."""
        index = self.table.currentIndex()
        if self._new or not index.isValid():
            return None
        return self.model.row_at(index.row())

    def span_count(self, name: str) -> int:
        """Spans with this label, in every document."""
        return self._counts.get(name, 0)

    def refresh(self, select: str | None = None) -> None:
        """Read the labels and their span counts again; select ``select`` (default: the current
        label)."""
        current = self.current_label()
        select = select or (current.name if current else None)
        by = cast(Mapping[str, Mapping[str, int]], self.workspace.stats()["by"])
        self._counts = dict(by.get("label", {}))
        self.model.set_labels(self.workspace.labels())
        self.model.set_counts(self._counts)
        names = [label.name for label in self.model.rows()]
        if select in names:
            self._new = False
            self.table.select_row(names.index(select))
            self._load_form()

    def pending(self) -> bool:
        """Whether the form holds an edit not applied yet."""
        if self._new:
            return bool(self.name_edit.text().strip())
        label = self.current_label()
        return label is not None and bool(self._changes(label))

    # -- editing -----------------------------------------------------------

    def new_label(self) -> None:
        """Empty the form for a new label (Apply adds it)."""
        self._new = True
        self.table.clearSelection()
        self._fill_form(None)
        self.name_edit.setFocus()

    def apply_form(self) -> bool:
        """Add the new label, or change the selected one, as the form says; False (with a message)
        if refused."""
        fields = self._form_fields()
        if fields is None:
            return False
        name, colour, hotkey, description = fields
        if self._new:
            return self._run(
                lambda: self.workspace.add_label(
                    name, colour=colour or None, hotkey=hotkey or None, description=description
                ),
                f"Added {name}.",
                select=name,
            )
        label = self.current_label()
        if label is None:
            return self._refuse("Select a label, or press New label.")
        changes = self._changes(label)
        if not changes:
            return True
        done = f"Renamed {label.name} to {name}." if "name" in changes else f"Saved {label.name}."
        return self._run(
            lambda: self.workspace.edit_label(label.name, **changes), done, select=name
        )

    def set_colour(self, colour: str) -> bool:
        """Recolour the selected label at once (what the colour dialog does)."""
        self.colour_edit.setText(colour)
        return self.apply_form() if not self._new else True

    def choose_colour(self) -> None:
        chosen = QColorDialog.getColor(
            QColor(self.colour_edit.text() or "#888888"), self, "Label colour"
        )
        if chosen.isValid():
            self.set_colour(chosen.name().upper())

    def move_label(self, step: int) -> bool:
        """Move the selected label ``step`` places in the order (number keys follow it)."""
        label = self.current_label()
        ordered = self.labels()
        if label is None:
            return False
        at = [other.name for other in ordered].index(label.name)
        to = at + step
        if not 0 <= to < len(ordered):
            return False
        ordered[at], ordered[to] = ordered[to], ordered[at]

        def renumber() -> Change | None:
            change = None
            for order, each in enumerate(ordered):
                if each.order != order:
                    change = self.workspace.edit_label(each.name, order=order)
            return change

        return self._run(
            renumber, f"Moved {label.name} {'up' if step < 0 else 'down'}.", select=label.name
        )

    def delete_current(self) -> bool:
        """Delete the selected label if no span uses it; otherwise say how many do."""
        label = self.current_label()
        if label is None:
            return self._refuse("Select the label to delete.")
        count = self.span_count(label.name)
        if count:
            return self._refuse(
                f"{label.name} cannot be deleted: {plural(count, 'span')} use it. "
                "Relabel or delete those spans first."
            )
        return self._run(lambda: self.workspace.delete_label(label.name), f"Deleted {label.name}.")

    def merge_current(self, target: str | None = None) -> bool:
        """Merge the selected label into ``target`` (asked for when None): its spans,
        suggestions and rules move there and it is removed, one undo step."""
        label = self.current_label()
        if label is None:
            return self._refuse("Select the label to merge into another.")
        if target is None:
            others = [other.name for other in self.labels() if other.name != label.name]
            chosen, ok = QInputDialog.getItem(
                self, "Merge label", f"Merge {label.name} into:", others, 0, False
            )
            if not ok:
                return False
            target = chosen
        count = self.span_count(label.name)
        return self._run(
            lambda: self.workspace.merge_labels(label.name, target),
            f"Merged {label.name} into {target} ({plural(count, 'span')} moved); "
            "Edit > Undo takes it back.",
            select=target,
        )

    # -- internals ---------------------------------------------------------

    def _form_fields(self) -> tuple[str, str, str, str] | None:
        """Name, colour (#RRGGBB or ""), hotkey (lower case or "") and description; None when
        refused."""
        name = self.name_edit.text().strip()
        colour = self.colour_edit.text().strip()
        hotkey = self.hotkey_edit.text().strip().lower()
        if colour:
            if not QColor.isValidColorName(colour):
                self._refuse(f"Colour {colour!r}: write #rrggbb or a colour name.")
                return None
            colour = QColor(colour).name().upper()
        owner = self.key_owner(hotkey) if hotkey and self.key_owner else None
        if owner:
            self._refuse(
                f"Letter {hotkey.upper()} is the key of {owner} (Keys tab); choose another letter "
                "or rebind that action first."
            )
            return None
        return name, colour, hotkey, self.description_edit.text().strip()

    def _changes(self, label: Label) -> dict[str, object]:
        name = self.name_edit.text().strip()
        colour = self.colour_edit.text().strip()
        if QColor.isValidColorName(colour):
            colour = QColor(colour).name().upper()
        fields = {
            "name": name,
            "colour": colour,
            "hotkey": self.hotkey_edit.text().strip().lower(),
            "description": self.description_edit.text().strip(),
        }
        now = {
            "name": label.name,
            "colour": label.colour.upper(),
            "hotkey": label.hotkey or "",
            "description": label.description,
        }
        return {key: value for key, value in fields.items() if value != now[key]}

    def _run(self, edit: Callable[[], Change | None], done: str, select: str | None = None) -> bool:
        try:
            change = edit()
        except AnnotatorError as exc:
            return self._refuse(str(exc))
        self.refresh(select)
        self._say(done)
        if change is not None:
            self.labels_changed.emit(change)
        return True

    def _refuse(self, message: str) -> bool:
        self._say(message, error=True)
        return False

    def _say(self, message: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(message)

    def _load_form(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._new = False
            self._fill_form(self.model.row_at(index.row()))

    def _fill_form(self, label: Label | None) -> None:
        self.form_title.setText(f"<b>Label {label.name}</b>" if label else "<b>New label</b>")
        self.name_edit.setText(label.name if label else "")
        self.colour_edit.setText(label.colour.upper() if label else "")
        self.hotkey_edit.setText(label.hotkey or "" if label else "")
        self.description_edit.setText(label.description if label else "")
        self.up_button.setEnabled(label is not None)
        self.down_button.setEnabled(label is not None)
        self.delete_button.setEnabled(label is not None)
        self.merge_button.setEnabled(label is not None)

    def _show_swatch(self, text: str) -> None:
        pixmap = QPixmap(16, 16)
        pixmap.fill(
            QColor(text) if QColor.isValidColorName(text.strip()) else Qt.GlobalColor.transparent
        )
        self.colour_button.setIcon(QIcon(pixmap))
