"""The `annotator import` and `annotator export` commands."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from annotator.cli_support import progress_bar
from annotator.core.curation import CURATED, layer_phrase
from annotator.core.formats import EXPORT_FORMATS, IMPORT_FORMATS
from annotator.core.import_limits import DEFAULT_LIMITS, ImportLimits
from annotator.core.text import plural

if TYPE_CHECKING:
    from annotator.workspace import ReadOptions, Workspace

EXIT_OK = 0
# An export wrote everything it could, but the format could not hold some spans exactly.
EXIT_CHANGED = 3


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "import",
        help="import files, folders or zips",
        description="Import articles. A path may be a file, a folder (recursive) or a zip.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--format", choices=IMPORT_FORMATS, help="force a format instead of detecting it"
    )
    p.add_argument(
        "--no-new-labels",
        action="store_true",
        help="refuse documents with labels the database does not know, instead of adding them",
    )
    p.add_argument(
        "--ner-key",
        "--conllu-key",
        dest="ner_key",
        metavar="KEY",
        default="NE",
        type=_misc_key,
        help="CoNLL-U: the MISC key holding the entity tags, as in NE=B-PER (default NE)",
    )
    p.add_argument(
        "--map",
        dest="label_map",
        metavar="FROM=TO",
        action="append",
        type=_label_pair,
        default=[],
        help="store incoming label FROM as TO (repeatable; TO is created when new). Case variants"
        " of an existing label (Person for PERSON) map onto it unless --keep-labels",
    )
    p.add_argument(
        "--keep-labels",
        action="store_true",
        help="keep incoming labels as they are: no case-variant mapping (--map still applies)",
    )
    p.add_argument(
        "--doc-sentences",
        metavar="N",
        type=_sentences_count,
        help="CoNLL files without -DOCSTART- (CoNLL-U without # newdoc): N sentences a document"
        " (0: a document a file; default: blank-line groups of at most 50 sentences)",
    )
    for what, defaults in (
        ("text", "text/body/content/article/isi/teks/berita"),
        ("title", "title/headline/judul"),
        ("id", "id/doc_id/document_id/uid"),
    ):
        p.add_argument(
            f"--{what}-column",
            metavar="NAME",
            help=f"CSV/TSV: the column holding the document's {what}, by its header name"
            f" (default: the first of {defaults}, any case)",
        )
    for option, field, what in (
        ("--max-doc-mb", "max_document_mb", "text a document (or a file of one) may hold"),
        ("--max-file-mb", "max_file_mb", "a file of several documents (JSONL, CSV...) may hold"),
        ("--max-zip-mb", "max_zip_mb", "a zip's members may inflate to, together"),
    ):
        p.add_argument(
            option,
            dest=field,
            metavar="MB",
            type=_megabytes,
            default=getattr(DEFAULT_LIMITS, field),
            help=f"the most {what}, in MB (default %(default)g); more is refused with the reason",
        )

    p = commands.add_parser(
        "export",
        help="export the database",
        description=(
            "Export documents and spans; the database is not changed. Exit status 3: the "
            "export was written, but the format could not hold some spans exactly (e.g. "
            "overlapping spans in conll, conllu or spaCy's doc.ents); each is a warning."
        ),
    )
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help=(
            "file (jsonl, conll, conllu, csv, spacy, sqlite, doccano, doccano-relations, "
            "labelstudio) or folder (brat, xmi, webanno)"
        ),
    )
    p.add_argument(
        "--include-suggestions",
        action="store_true",
        help=(
            "also write rule suggestions with their state (labelstudio: pending ones as "
            "predictions; doccano has no place for them)"
        ),
    )
    p.add_argument(
        "--status",
        action="append",
        default=[],
        metavar="S",
        help="only documents with this status (new, 'in progress', done); repeatable",
    )
    p.add_argument(
        "--label",
        action="append",
        default=[],
        metavar="L",
        help="only spans with this label; repeatable",
    )
    p.add_argument(
        "--annotator",
        action="append",
        default=[],
        metavar="A",
        help="only spans made by this annotator; repeatable",
    )
    p.add_argument(
        "--layer",
        default=CURATED,
        metavar="NAME",
        help=(
            f"whose spans: {CURATED} (the default: the main layer, in a team what the curator "
            "settled), or an annotator's name for their own layer"
        ),
    )
    p.add_argument(
        "--origin",
        action="append",
        default=[],
        choices=["manual", "rule"],
        help="only spans made by hand (manual) or accepted from a rule (rule); repeatable",
    )
    p.add_argument(
        "--scheme",
        choices=["iob1", "iob2", "bioes"],
        default="iob2",
        help="conll, conllu: the entity tag scheme (default: iob2)",
    )
    p.add_argument(
        "--conllu-key",
        "--ner-key",
        dest="conllu_key",
        default="NE",
        type=_misc_key,
        metavar="KEY",
        help="conllu: the MISC key of the entity tags, as in NE=B-PER (default: NE)",
    )


CHEAP_INDEXING = 2000  # documents: ~0.2 s of full-text indexing


def cmd_import(ws: Workspace, args: argparse.Namespace) -> int:
    with progress_bar("importing") as progress:
        report = ws.import_paths(
            args.paths,
            fmt=args.format,
            allow_new_labels=not args.no_new_labels,
            progress=progress,
            options=read_options(args),
            label_map=dict(args.label_map),
            keep_labels=args.keep_labels,
        )
    for notice in report.notices:
        print(f"note: {notice}", file=sys.stderr)
    for problem in report.refused:
        print(f"refused: {problem}", file=sys.stderr)
    print(
        f"imported {plural(report.imported, 'document')} with {plural(report.spans, 'span')} "
        f"from {plural(report.files, 'file')}; skipped {plural(report.duplicates, 'duplicate')}; "
        f"refused {len(report.refused)}"
    )
    print(report.entries_line())
    if report.new_labels:
        print(f"new labels: {', '.join(report.new_labels)}")
    for mapping in report.label_mappings:
        print(mapping)
    # The import leaves the full-text index behind; a small one is indexed now (a fraction of a
    # second), a big one by the first search (or the window's import job).
    ws.index_for_search(at_most=CHEAP_INDEXING)
    return report.exit_code


def read_options(args: argparse.Namespace) -> ReadOptions:
    """The import options the user gave, for the readers."""
    from annotator.workspace import ReadOptions

    return ReadOptions(
        conllu_ner_key=args.ner_key,
        doc_sentences=args.doc_sentences,
        text_column=args.text_column,
        title_column=args.title_column,
        id_column=args.id_column,
        limits=ImportLimits(
            max_document_mb=args.max_document_mb,
            max_file_mb=args.max_file_mb,
            max_zip_mb=args.max_zip_mb,
        ),
    )


def _megabytes(value: str) -> float:
    """``--max-doc-mb`` and the like: a positive number of megabytes."""
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not number > 0 or number == float("inf"):
        raise argparse.ArgumentTypeError(f"give a number of megabytes above 0, not {value!r}")
    return number


def _misc_key(value: str) -> str:
    """``--ner-key``: a CoNLL-U MISC key (no space, ``=`` or ``|``)."""
    if not value or any(c.isspace() or c in "=|" for c in value):
        raise argparse.ArgumentTypeError(f"not a CoNLL-U MISC key: {value!r}")
    return value


def _label_pair(value: str) -> tuple[str, str]:
    """``--map FROM=TO``: two label names around the first ``=``."""
    source, equals, target = value.partition("=")
    if not equals or not source.strip() or not target.strip():
        raise argparse.ArgumentTypeError(f"write FROM=TO (e.g. PER=PERSON), not {value!r}")
    return source.strip(), target.strip()


def _sentences_count(value: str) -> int:
    """``--doc-sentences``: a whole number, 0 or more."""
    if not value.isdigit():
        raise argparse.ArgumentTypeError(
            f"need a whole number of sentences (0 or more), not {value!r}"
        )
    return int(value)


def cmd_export(ws: Workspace, args: argparse.Namespace) -> int:
    with progress_bar("exporting") as progress:
        result = ws.export(
            args.format,
            args.out,
            statuses=args.status,
            labels=args.label,
            annotators=args.annotator,
            include_suggestions=args.include_suggestions,
            progress=progress,
            origins=args.origin,
            scheme=args.scheme,
            conllu_key=args.conllu_key,
            layer=args.layer,
        )
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    # Exported into a pipe (--out /dev/stdout): the summary must not follow the data there.
    into_stream = os.path.exists(args.out) and not os.path.isfile(args.out)
    into_stream = into_stream and not os.path.isdir(args.out)
    print(
        f"exported {plural(result.documents, 'document')} with {plural(result.spans, 'span')}"
        f"{_of_layer(ws, args)} to {result.path}",
        file=sys.stderr if into_stream else sys.stdout,
    )
    if result.spans_changed:
        print(
            f"annotator: {plural(result.spans_changed, 'span')} could not be written exactly "
            f"in {args.format} (see the warnings above)",
            file=sys.stderr,
        )
        return EXIT_CHANGED
    return EXIT_OK


def _of_layer(ws: Workspace, args: argparse.Namespace) -> str:
    """ " of the curated layer" when the database has annotators' layers (or one was asked for)."""
    if args.format == "sqlite" or (args.layer == CURATED and len(ws.export_layers()) == 1):
        return ""
    return f" of {layer_phrase(args.layer)}"


COMMANDS = {"import": cmd_import, "export": cmd_export}
