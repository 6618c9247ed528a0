"""The `annotator` command line, on the workspace."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from annotator import __version__, cli_agreement, cli_rules, cli_team, cli_transfer
from annotator.cli_support import table
from annotator.core.errors import AnnotatorError, UsageError
from annotator.core.text import plural
from annotator.locations import database_target

if TYPE_CHECKING:
    from annotator.workspace import Workspace

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


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
    parser.add_argument(
        "--as",
        dest="acting",
        metavar="NAME",
        help="act as this annotator (default: $ANNOTATOR_NAME, else the login name)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    cli_transfer.add_parsers(commands)

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

    p = commands.add_parser(
        "backup",
        help="copy the database safely (SQLite: its backup API; PostgreSQL: pg_dump); "
        "list, restore and keep the automatic daily backups",
    )
    p.add_argument("path", metavar="PATH", nargs="?", help="where to write the copy")
    automatic = p.add_mutually_exclusive_group()
    automatic.add_argument(
        "--list", action="store_true", help="the automatic backups, newest first"
    )
    automatic.add_argument(
        "--restore",
        metavar="FILE_OR_DATE",
        help="put an automatic backup back (a file from --list, or a date such as 2026-12-04: "
        "that day's newest); the current state is backed up first",
    )
    automatic.add_argument(
        "--keep",
        type=int,
        metavar="N",
        help="keep the last N daily backups (0: no daily backups); a preference of this user",
    )

    p = commands.add_parser("db", help="database maintenance")
    db_actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    db_actions.add_parser(
        "upgrade", help="migrate the schema to this version (also done on every open)"
    )

    cli_rules.add_parsers(commands)
    cli_agreement.add_parsers(commands)
    cli_team.add_parsers(commands)

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
    """Run one command; never a traceback: an unexpected error is one line, the details in the
    log (crash_log), exit 2."""
    try:
        return _main(argv)
    except Exception as exc:  # noqa: BLE001 - the last line of defence, by design
        from annotator import crash_log

        line = crash_log.report(exc)
        print(f"annotator: error: {line}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 130


def _main(argv: Sequence[str] | None = None) -> int:
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
        with Workspace.open(target, seed=is_default, annotator=args.acting) as workspace:
            for note in workspace.notes:
                print(f"note: {note}", file=sys.stderr)
            if workspace.read_only is not None:
                refusal = read_only_refusal(workspace, args)
                if refusal:
                    print(f"annotator: error: {refusal}", file=sys.stderr)
                    return EXIT_USAGE
                print(
                    f"note: {workspace.location} is read-only ({workspace.read_only})",
                    file=sys.stderr,
                )
            workspace.wait_for_lock(on_wait=lambda line: print(f"note: {line}", file=sys.stderr))
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


# What changes the database: the commands, and of those with actions, the actions (the rest
# only read it, and work on a read-only database).
WRITING_COMMANDS = {"import", "suggest", "accept", "reject", "remember", "assign", "db"}
WRITING_ACTIONS = {
    "labels": {"add", "edit", "delete", "merge"},
    "rules": {
        "import",
        "enable",
        "disable",
        "remove-exception",
        "forget",
        "train-tagger",
    },
    "annotators": {"add", "edit"},
}


def writes(args: argparse.Namespace) -> bool:
    """Whether this command line changes the database."""
    if args.command in WRITING_COMMANDS:
        return True
    if args.command == "rules" and args.action == "induce":
        return bool(getattr(args, "accept", False))
    if args.command == "backup":
        return bool(getattr(args, "restore", None))
    return getattr(args, "action", None) in WRITING_ACTIONS.get(args.command, set())


def read_only_refusal(workspace: Workspace, args: argparse.Namespace) -> str | None:
    """Why this command cannot run on the read-only database (None: it only reads)."""
    if not writes(args):
        return None
    what = " ".join(part for part in (args.command, getattr(args, "action", None)) if part)
    reading = (
        "docs, spans, stats, labels list, suggestions, rules list/show/stats/test/export, "
        "export, agreement, assignments, annotators list, backup PATH"
    )
    return (
        f"{workspace.location} is read-only ({workspace.read_only}): `{what}` changes the "
        f"database and needs write access; these only read and work: {reading}"
    )


def _launch_gui(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from annotator.gui import app

    return app.run(getattr(args, "db", None), check=getattr(args, "check", False))


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
    chosen = [args.path is not None, args.list, args.restore is not None, args.keep is not None]
    if sum(chosen) != 1:
        raise UsageError("backup: give one of PATH, --list, --restore FILE_OR_DATE, --keep N")
    if args.path is not None:
        print(f"backed up to {ws.backup(args.path)}: {ws.backup_kind()}")
    elif args.list:
        _list_backups(ws)
    elif args.restore is not None:
        _restore_backup(ws, args.restore)
    else:
        _keep_backups(ws, args.keep)
    return EXIT_OK


def _list_backups(ws: Workspace) -> None:
    from annotator.workspace import backups_kept

    found = ws.automatic_backups()
    kept = backups_kept()
    print(f"# {len(found)} automatic backups of {ws.location}; daily ones kept: {kept or 'off'}")
    rows: list[list[object]] = [["taken", "size", "kind", "file"]]
    rows += [[b.taken.strftime("%Y-%m-%d %H:%M:%S"), _size(b.size), b.kind, b.path] for b in found]
    print(table(rows))


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB"):
        if count < 1024:
            return f"{count} {unit}"
        count //= 1024
    return f"{count} GB"


def _restore_backup(ws: Workspace, wanted: str) -> None:
    restored, saved = ws.restore_backup(wanted)
    print(
        f"restored {ws.location} from the {restored.kind} backup of "
        f"{restored.taken:%Y-%m-%d %H:%M:%S} ({restored.path}); the replaced state is in {saved}"
    )


def _keep_backups(ws: Workspace, count: int) -> None:
    from annotator.workspace import set_backups_kept

    if count < 0:
        raise UsageError(f"--keep {count}: give 0 (no daily backups) or more")
    try:
        written = set_backups_kept(count)
    except OSError as exc:
        raise UsageError(f"--keep: cannot write the preference ({exc})") from None
    said = f"the last {count} daily backups" if count else "no daily backups (turned off)"
    removed = ws.rotate_backups(count)
    older = f"; removed {len(removed)} older of {ws.location}" if removed else ""
    print(f"keeping {said}, for every database of this user ({written}){older}")


def cmd_db(ws: Workspace, args: argparse.Namespace) -> int:
    from annotator.workspace import schema_revision

    print(f"{ws.location}: schema at revision {schema_revision()}")
    return EXIT_OK


COMMANDS = {
    **cli_rules.COMMANDS,
    **cli_transfer.COMMANDS,
    **cli_agreement.COMMANDS,
    **cli_team.COMMANDS,
    "docs": cmd_docs,
    "spans": cmd_spans,
    "labels": cmd_labels,
    "stats": cmd_stats,
    "backup": cmd_backup,
    "db": cmd_db,
}


if __name__ == "__main__":
    sys.exit(main())
