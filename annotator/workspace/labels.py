"""The label schema: add, edit and remove labels, each one undo step."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.change import Change, Operation
from annotator.core.errors import UsageError
from annotator.core.model import Label
from annotator.ingest import pick_colour
from annotator.shipped_data import extra_colours
from annotator.store.label_merge import Merged, move_label_rows
from annotator.workspace.actor import Actor

EDITABLE = ("name", "colour", "hotkey", "description", "order")


class LabelBook:
    def __init__(self, actor: Actor) -> None:
        self._actor = actor
        self.last_merge = Merged()  # what the latest merge moved, for the CLI's report

    def labels(self) -> list[Label]:
        return self._actor.store.labels.all()

    def new_label(
        self,
        name: str,
        *,
        colour: str | None = None,
        hotkey: str | None = None,
        description: str = "",
    ) -> Label:
        """A label to add, checked, with a colour unlike the others' when none is given."""
        name = name.strip()
        check_name(name)
        existing = self.labels()
        check_hotkey(hotkey, existing, name)
        colour = colour or pick_colour(extra_colours(), (l.colour for l in existing), len(existing))
        order = max((l.order for l in existing), default=-1) + 1
        return Label(name, colour, hotkey, description, order)

    def add(
        self,
        name: str,
        *,
        colour: str | None = None,
        hotkey: str | None = None,
        description: str = "",
    ) -> Change:
        label = self.new_label(name, colour=colour, hotkey=hotkey, description=description)
        description_ = f"Add label {label.name}"
        store, who = self._actor.store, self._actor.annotator
        with store.step(description_, annotator=who):
            store.labels.add(label, annotator=who)
        return Change(Operation.ADD_LABEL, description_, labels=(label.name,))

    def edit(self, label: str, /, **changes: object) -> Change:
        """Change a label's name, colour, hotkey, description or order."""
        changes = {key: value for key, value in changes.items() if value is not None}
        if not changes:
            raise UsageError(
                "nothing to change: give --name, --colour, --hotkey, --description or --order"
            )
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise UsageError(f"a label has no {', '.join(unknown)}; it has {', '.join(EDITABLE)}")
        if "hotkey" in changes:
            hotkey = changes["hotkey"] or None
            check_hotkey(str(hotkey) if hotkey else None, self.labels(), label)
            changes["hotkey"] = hotkey
        if "name" in changes:
            changes["name"] = str(changes["name"]).strip()
            check_name(str(changes["name"]))
            taken = {other.name for other in self.labels()} - {label}
            if changes["name"] in taken:
                raise UsageError(
                    f"label {changes['name']} exists already; merge with "
                    f"`annotator labels merge {_quoted(label)} {_quoted(str(changes['name']))}`"
                )
        store, who = self._actor.store, self._actor.annotator
        description = f"Edit label {label}"
        with store.step(description, annotator=who):
            after = store.labels.update(label, changes, annotator=who)
        names = (label,) if after.name == label else (label, after.name)
        return Change(Operation.EDIT_LABEL, description, labels=names)

    def merge(self, source: str, target: str) -> Change:
        """Move every span, suggestion and rule of ``source`` to ``target`` and remove
        ``source``: one undo step. A span (or suggestion) that would double one of ``target``'s
        at the same place is removed, and comes back on undo."""
        names = {label.name for label in self.labels()}
        if source == target:
            raise UsageError(f"cannot merge label {source} into itself")
        for name in (source, target):
            if name not in names:
                raise UsageError(
                    f"no label named {name!r}; the labels are {', '.join(sorted(names))}"
                )
        store, who = self._actor.store, self._actor.annotator
        description = f"Merge label {source} into {target}"
        rules = [
            {**stored.definition, "label": target}
            for stored in store.rules.stored()
            if stored.definition.get("label") == source
        ]
        with store.step(description, annotator=who):
            if rules:
                store.rules.save(rules, annotator=who)
            merged = move_label_rows(store.database, store.labels, source, target, annotator=who)
            store.labels.delete(source, annotator=who)
        self.last_merge = merged
        return Change(
            Operation.MERGE_LABELS,
            description,
            documents=merged.document_ids,
            rules=tuple(rule["name"] for rule in rules),
            labels=(source, target),
            count=merged.spans + merged.duplicate_spans,
        )

    def delete(self, label: str) -> Change:
        """Remove a label from the schema.

        Refused, with how many spans use it, while anything does.
        """
        store, who = self._actor.store, self._actor.annotator
        description = f"Remove label {label}"
        with store.step(description, annotator=who):
            store.labels.delete(label, annotator=who)
        return Change(Operation.DELETE_LABEL, description, labels=(label,))


MAX_NAME = 100  # the labels table's column width


def check_name(name: str, *, what: str = "label name", limit: int = MAX_NAME) -> None:
    """Any text is a label name (``Product Name``, ``NE 0``) but an empty one, a long one, or one
    with a line break or control character. Formats whose syntax cannot carry a space (brat
    types, CoNLL tags) write it with ``_`` and say so (io.writers._common.without_whitespace).
    ``what`` and ``limit``: the same rules for another kind of name (an annotator's)."""
    if not name or name != name.strip():
        raise UsageError(f"{what} {name!r}: give a name without leading or trailing spaces")
    if len(name) > limit:
        raise UsageError(f"{what} {name[:20]!r}...: at most {limit} characters")
    bad = next((ch for ch in name if not ch.isprintable() and ch != " "), None)
    if bad is not None:
        raise UsageError(f"{what} {name!r}: no line breaks, tabs or control characters ({bad!r})")


def _quoted(name: str) -> str:
    return f'"{name}"' if " " in name else name


def check_hotkey(hotkey: str | None, labels: Sequence[Label], name: str) -> None:
    if hotkey is None:
        return
    if len(hotkey) != 1 or not hotkey.isalpha():
        raise UsageError(f"hotkey {hotkey!r}: use a single letter")
    for label in labels:
        if label.name != name and label.hotkey and label.hotkey.lower() == hotkey.lower():
            raise UsageError(f"hotkey {hotkey!r} is taken by label {label.name}")
