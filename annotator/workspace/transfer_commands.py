"""The workspace's documents in and out: import and export, handed on to Transfer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from annotator.core.curation import CURATED
from annotator.core.errors import UsageError
from annotator.core.model import MAIN_LAYER
from annotator.ingest import ImportReport
from annotator.io.base import DEFAULT_READ_OPTIONS, ExportResult, ReadOptions
from annotator.store.curation import CurationReads
from annotator.workspace.actor import Actor
from annotator.workspace.transfer import Cancelled, Progress, Transfer


class TransferCommands:
    """Import and export for Workspace (a base class, so the facade stays short)."""

    _transfer: Transfer
    _actor: Actor

    def import_paths(
        self,
        paths: Sequence[str | Path],
        *,
        fmt: str | None = None,
        allow_new_labels: bool = True,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        options: ReadOptions = DEFAULT_READ_OPTIONS,
        label_map: Mapping[str, str] | None = None,
        keep_labels: bool = False,
    ) -> ImportReport:
        """Import files, folders and zips; bad input is reported and skipped, the rest goes on.
        ``label_map`` renames incoming labels; case variants of an existing label map onto it
        unless ``keep_labels``."""
        return self._transfer.import_paths(
            paths,
            fmt=fmt,
            allow_new_labels=allow_new_labels,
            progress=progress,
            cancelled=cancelled,
            options=options,
            label_map=label_map,
            keep_labels=keep_labels,
        )

    def export(
        self,
        fmt: str,
        out: str | Path,
        *,
        statuses: Iterable[str] = (),
        labels: Iterable[str] = (),
        annotators: Iterable[str] = (),
        include_suggestions: bool = False,
        progress: Progress | None = None,
        origins: Iterable[str] = (),
        scheme: str = "iob2",
        conllu_key: str = "NE",
        layer: str = CURATED,
    ) -> ExportResult:
        """Write the (filtered) database in a format; the database is not changed. ``layer``:
        whose spans, the curated (main) layer or an annotator's own by their name."""
        layer_id = self._layer_id(layer)
        if fmt == "sqlite" and layer_id != MAIN_LAYER:
            raise UsageError("an sqlite export copies the whole database (every layer): no --layer")
        return self._transfer.export(
            fmt,
            out,
            statuses=statuses,
            labels=labels,
            annotators=annotators,
            include_suggestions=include_suggestions,
            progress=progress,
            origins=origins,
            scheme=scheme,
            conllu_key=conllu_key,
            layer=layer_id,
        )

    def export_layers(self) -> list[str]:
        """The layers an export can write: the curated (main) one, then each annotator's own."""
        return [CURATED, *CurationReads(self._actor.store.database).layer_owners()]

    def _layer_id(self, layer: str) -> int:
        if layer == CURATED:
            return MAIN_LAYER
        owners = CurationReads(self._actor.store.database).layer_owners()
        if layer not in owners:
            raise UsageError(
                f"unknown layer {layer!r}; the layers are {', '.join([CURATED, *owners])}"
            )
        return owners[layer]
