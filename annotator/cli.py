"""The `annotator` command line, on the workspace."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from annotator import __version__, cli_rules
from annotator.cli_support import progress_bar, table
from annotator.core.errors import AnnotatorError
from annotator.core.formats import EXPORT_FORMATS, IMPORT_FORMATS
from annotator.core.text import plural
from annotator.locations import database_target

if TYPE_CHECKING:
    from annotator.workspace import ReadOptions, Workspace

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
# An export wrote everything it could, but the format could not hold some spans exactly.
EXIT_CHANGED = 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description=(
            "Annotate news articles: import, tag, suggest, export. "
            "With no command, opens the window."
        ),
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (default: $ANNOTATOR_DB, else db/annotator.sqlite "
        "in a checkout or the user data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

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

    p = commands.add_parser(
        "docs",
        help="list documents",
        description="List documents: id, title, status, spans, pending suggestions.",
    )
    p.add_argument("--json", action="store_true")

    p = commands.add_parser(
        "spans",
        help="list the spans of a document (tab-separated)",
        description="Spans of one document: id, start, end, label, text, origin, rule, annotator.",
    )
    p.add_argument("doc", metavar="DOC", help="document id, uid or title")
    p.add_argument("--json", action="store_true")

    p = commands.add_parser(
        "labels", help="list, add, edit or delete labels", description="The label schema."
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="list labels (the default)")
    add = actions.add_parser("add", help="add a label")
    add.add_argument("name")
    add.add_argument(
        "--colour", "--color", dest="colour", help="#RRGGBB (default: a free distinct colour)"
    )
    add.add_argument("--hotkey", help="a single letter")
    add.add_argument("--description", default="")
    edit = actions.add_parser("edit", help="edit a label")
    edit.add_argument("name")
    edit.add_argument("--name", dest="new_name", help="rename it")
    edit.add_argument("--colour", "--color", dest="colour")
    edit.add_argument("--hotkey", help="a single letter; '' removes it")
    edit.add_argument("--description")
    edit.add_argument("--order", type=int, help="position (0 = number key 1)")
    delete = actions.add_parser("delete", help="delete a label no span, suggestion or rule uses")
    delete.add_argument("name")
    merge = actions.add_parser(
        "merge",
        help="move every span, suggestion and rule of SRC to DST and remove SRC (one undo step)",
    )
    merge.add_argument("source", metavar="SRC")
    merge.add_argument("target", metavar="DST")

    p = commands.add_parser("stats", help="counts by status, label, origin, annotator")
    p.add_argument("--json", action="store_true")

    p = commands.add_parser("backup", help="copy the database safely (SQLite backup API)")
    p.add_argument("path", metavar="PATH")

    p = commands.add_parser("db", help="database maintenance")
    db_actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    db_actions.add_parser(
        "upgrade", help="migrate the schema to this version (also done on every open)"
    )

    cli_rules.add_parsers(commands)

    commands.add_parser(
        "install-desktop",
        help="add the launcher and icon to this user's application menu "
        "(Linux: $XDG_DATA_HOME, default ~/.local/share); no database",
    )
    commands.add_parser("uninstall-desktop", help="remove what install-desktop added")

    p = commands.add_parser("gui", help="open the window (also what `annotator` alone does)")
    p.add_argument(
        "--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help="as the global --db"
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="open the window, print what it shows, and close it (a headless smoke test: "
        "QT_QPA_PLATFORM=offscreen annotator gui --check)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments[:1] == ["_suggest-service"]:
        # A frozen bundle has no `python -m`: the window starts its suggestion process this way.
        from annotator import suggest_service

        return suggest_service.main(arguments[1:])
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.command in (None, "gui"):
        return _launch_gui(args, parser)
    if args.command in ("install-desktop", "uninstall-desktop"):
        from annotator import desktop

        return desktop.main(args.command)
    # Imported here so that --help and --version answer at once.
    from annotator.workspace import Workspace

    target, is_default = database_target(args.db)
    try:
        with Workspace.open(target, seed=is_default) as workspace:
            for note in workspace.notes:
                print(f"note: {note}", file=sys.stderr)
            return COMMANDS[args.command](workspace, args)
    except AnnotatorError as exc:
        print(f"annotator: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`annotator docs | head`): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _launch_gui(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from annotator.gui import app

    return app.run(getattr(args, "db", None), check=getattr(args, "check", False))


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
    )


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
        )
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"exported {plural(result.documents, 'document')} with {plural(result.spans, 'span')} "
        f"to {result.path}"
    )
    if result.spans_changed:
        print(
            f"annotator: {plural(result.spans_changed, 'span')} could not be written exactly "
            f"in {args.format} (see the warnings above)",
            file=sys.stderr,
        )
        return EXIT_CHANGED
    return EXIT_OK


def cmd_docs(ws: Workspace, args: argparse.Namespace) -> int:
    docs = ws.documents()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": d.id,
                        "uid": d.uid,
                        "title": d.title,
                        "status": str(d.status),
                        "spans": d.spans,
                        "suggestions": d.pending_suggestions,
                        "published": d.published,
                        "source": d.source,
                    }
                    for d in docs
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return EXIT_OK
    rows: list[list[object]] = [["id", "title", "status", "spans", "suggestions"]]
    rows += [[d.id, d.title, d.status, d.spans, d.pending_suggestions] for d in docs]
    print(table(rows))
    return EXIT_OK


def cmd_spans(ws: Workspace, args: argparse.Namespace) -> int:
    doc = ws.document(args.doc)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": s.id,
                        "start": s.start,
                        "end": s.end,
                        "label": s.label,
                        "text": s.text,
                        "origin": str(s.origin),
                        "rule": s.rule,
                        "annotator": s.annotator,
                        "note": s.note,
                    }
                    for s in doc.spans
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return EXIT_OK
    rows: list[list[object]] = [
        ["id", "start", "end", "label", "text", "origin", "rule", "annotator"]
    ]
    # Tabs and newlines inside a span's text would break the columns.
    rows += [
        [
            s.id,
            s.start,
            s.end,
            s.label,
            s.text.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n"),
            s.origin,
            s.rule,
            s.annotator,
        ]
        for s in doc.spans
    ]
    print(table(rows))
    return EXIT_OK


def cmd_labels(ws: Workspace, args: argparse.Namespace) -> int:
    if args.action == "add":
        ws.add_label(
            args.name, colour=args.colour, hotkey=args.hotkey, description=args.description
        )
        print(f"added label {args.name}")
    elif args.action == "edit":
        ws.edit_label(
            args.name,
            name=args.new_name,
            colour=args.colour,
            hotkey=args.hotkey,
            description=args.description,
            order=args.order,
        )
        print(f"edited label {args.new_name or args.name}")
    elif args.action == "delete":
        ws.delete_label(args.name)
        print(f"deleted label {args.name}")
    elif args.action == "merge":
        ws.merge_labels(args.source, args.target)
        merged = ws.last_label_merge()
        print(
            f"merged label {args.source} into {args.target}: moved "
            f"{plural(merged.spans, 'span')} and {plural(merged.suggestions, 'suggestion')}; "
            f"removed {merged.duplicate_spans + merged.duplicate_suggestions} duplicate(s) of "
            f"{args.target}'s at the same place (undo brings everything back)"
        )
    labels = ws.labels()
    rows: list[list[object]] = [["key", "name", "colour", "hotkey", "description"]]
    rows += [
        [i + 1 if i < 9 else "", l.name, l.colour, l.hotkey or "", l.description]
        for i, l in enumerate(labels)
    ]
    if args.action in (None, "list"):
        print(table(rows))
    return EXIT_OK


def cmd_stats(ws: Workspace, args: argparse.Namespace) -> int:
    stats = ws.stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"database\t{stats['database']}")
    for key in ("documents", "spans", "suggestions", "labels", "changes"):
        print(f"{key}\t{stats[key]}")
    by = cast("dict[str, dict[str, int]]", stats["by"])
    for group, counts in by.items():
        for key, count in counts.items():
            print(f"{group}\t{key}\t{count}")
    return EXIT_OK


def cmd_backup(ws: Workspace, args: argparse.Namespace) -> int:
    print(f"backed up to {ws.backup(args.path)}")
    return EXIT_OK


def cmd_db(ws: Workspace, args: argparse.Namespace) -> int:
    from annotator.workspace import schema_revision

    print(f"{ws.location}: schema at revision {schema_revision()}")
    return EXIT_OK


COMMANDS = {
    **cli_rules.COMMANDS,
    "import": cmd_import,
    "export": cmd_export,
    "docs": cmd_docs,
    "spans": cmd_spans,
    "labels": cmd_labels,
    "stats": cmd_stats,
    "backup": cmd_backup,
    "db": cmd_db,
}


if __name__ == "__main__":
    sys.exit(main())
