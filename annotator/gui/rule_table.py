"""The rule editor's table: one row per rule with its statistics, sortable, filtered in Python."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from annotator.gui.tables import RowTableModel, SortKey
from annotator.workspace import Rule, RuleStats

NAME, LABEL, KIND, ENABLED, HITS, ACCEPTED, REJECTED, PRECISION, FLAGGED = range(9)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
FLAG_COLOUR = QColor("#D55E00")


@dataclass(frozen=True)
class RuleRow:
    name: str
    label: str
    kind: str
    enabled: bool
    version: int
    pack: str
    description: str
    hits: int
    accepted: int
    rejected: int
    corrected: int
    precision: float | None
    flagged: bool

    @classmethod
    def of(cls, rule: Rule, stats: RuleStats | None, pack: str | None) -> RuleRow:
        s = stats or RuleStats(rule=rule.name)
        return cls(
            rule.name,
            rule.label,
            rule.kind,
            rule.enabled,
            rule.version,
            pack or "",
            rule.description,
            s.suggested,
            s.accepted,
            s.rejected,
            s.corrected,
            s.precision,
            s.flagged,
        )

    def matches(self, needle: str) -> bool:
        """The filter box: every word must appear in the name, label, kind, pack or description."""
        hay = f"{self.name} {self.label} {self.kind} {self.pack} {self.description}".casefold()
        return all(word in hay for word in needle.casefold().split())


class RuleTableModel(RowTableModel[RuleRow]):
    headers = (
        "Name",
        "Label",
        "Kind",
        "On",
        "Hits",
        "Accepted",
        "Rejected",
        "Precision",
        "Flagged",
    )

    def sort_key(self, column: int) -> SortKey | None:
        return {
            NAME: lambda r: r.name.casefold(),
            LABEL: lambda r: r.label,
            KIND: lambda r: r.kind,
            ENABLED: lambda r: r.enabled,
            HITS: lambda r: r.hits,
            ACCEPTED: lambda r: r.accepted,
            REJECTED: lambda r: r.rejected,
            PRECISION: lambda r: -1.0 if r.precision is None else r.precision,
            FLAGGED: lambda r: r.flagged,
        }.get(column)

    def cell(self, row: RuleRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= HITS:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.flagged and column in (NAME, PRECISION, FLAGGED):
                return QBrush(FLAG_COLOUR)
            if not row.enabled:
                return QBrush(QColor("gray"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{row.name} v{row.version}"
                + (f" · pack {row.pack}" if row.pack else "")
                + (f"\n{row.description}" if row.description else "")
                + f"\n{row.hits} suggested, {row.accepted} accepted, {row.rejected} rejected, "
                f"{row.corrected} corrected"
            )
        return None

    @staticmethod
    def _text(row: RuleRow, column: int) -> str:
        if column == NAME:
            return row.name
        if column == LABEL:
            return row.label
        if column == KIND:
            return row.kind
        if column == ENABLED:
            return "✓" if row.enabled else "–"
        if column == HITS:
            return str(row.hits)
        if column == ACCEPTED:
            return str(row.accepted)
        if column == REJECTED:
            return str(row.rejected)
        if column == PRECISION:
            return "" if row.precision is None else f"{row.precision:.2f}"
        if column == FLAGGED:
            return "⚑ flagged" if row.flagged else ""
        return ""

    def row_of(self, name: str) -> int:
        """Display row of a rule, -1 when it is filtered out."""
        for i, row in enumerate(self._rows):
            if row.name == name:
                return i
        return -1
