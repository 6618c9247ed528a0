"""The `annotator agreement` command: how far the annotators' own layers agree."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.agreement import (
    TABLE_HEADER,
    AgreementReport,
    disagreement_labels,
    matrix_rows,
    table_rows,
)
from annotator.core.errors import UsageError

if TYPE_CHECKING:
    from annotator.workspace import Workspace

EXIT_OK = 0


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "agreement",
        help="inter-annotator agreement of the annotators' own layers",
        description="Per label and overall, per pair of annotators: exact-span P/R/F1, "
        "partial-overlap F1, Cohen's kappa on tokens; for all of them (or a lone pair) Fleiss' "
        "kappa and Krippendorff's alpha on tokens. Then the pair matrix (overall F1 / kappa) "
        "and the first disagreements as KWIC lines. A document counts for the annotators who "
        "have it (assigned, or spans of theirs in it). n/a: undefined (nothing to compare).",
    )
    p.add_argument(
        "--label",
        dest="labels",
        metavar="L",
        action="append",
        default=[],
        help="only this label (repeatable; default: every label the annotators used)",
    )
    p.add_argument(
        "--annotators",
        metavar="A,B,...",
        type=_names,
        default=[],
        help="compare these annotators (default: all with assignments or spans of their own)",
    )
    p.add_argument("--csv", type=Path, metavar="FILE", help="also write the table as CSV")
    p.add_argument(
        "--disagreements",
        type=int,
        metavar="N",
        default=20,
        help="how many disagreements to list (default 20; 0: none)",
    )


def _names(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    if len(names) < 2:
        raise argparse.ArgumentTypeError("name at least two annotators, separated by commas")
    return names


def cmd_agreement(ws: Workspace, args: argparse.Namespace) -> int:
    if args.disagreements < 0:
        raise UsageError("--disagreements must be 0 or more")
    report = ws.agreement(labels=args.labels, annotators=args.annotators)
    if args.csv is not None:
        write_csv(report, args.csv)
    out = sys.stdout
    print(
        f"{len(report.annotators)} annotators ({', '.join(report.annotators)}), "
        f"{report.documents} documents shared by at least two",
        file=out,
    )
    print(file=out)
    print(_aligned([TABLE_HEADER, *table_rows(report)]), file=out)
    print(file=out)
    print("pair matrix (overall exact F1 / Cohen kappa)", file=out)
    print(_aligned(matrix_rows(report)), file=out)
    shown = report.disagreements[: args.disagreements]
    if shown:
        print(file=out)
        print(f"disagreements ({len(shown)} of {len(report.disagreements)})", file=out)
        for item in shown:
            print(
                f"#{item.document_id} {item.title} [{item.start}:{item.end}] "
                f"{disagreement_labels(item)}\n    {item.left}[{item.text}]{item.right}",
                file=out,
            )
    if args.csv is not None:
        print(f"\nwrote the table to {args.csv}", file=out)
    return EXIT_OK


def write_csv(report: AgreementReport, path: Path) -> None:
    """The table, a row per label and pair plus the overall rows; undefined figures "n/a"."""
    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(TABLE_HEADER)
            writer.writerows(table_rows(report))
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from exc


def _aligned(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


COMMANDS = {"agreement": cmd_agreement}
