"""The `annotator` commands for a team: annotators, and who annotates which documents."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from annotator.cli_support import table
from annotator.core.errors import UsageError
from annotator.core.model import AnnotatorRole, DocumentStatus

if TYPE_CHECKING:
    from annotator.workspace import Workspace

EXIT_OK = 0
ROLES = [role.value for role in AnnotatorRole]


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "annotators",
        help="list, add or edit the team's annotators",
        description="The annotators: name (the identity, as given with --as or $ANNOTATOR_NAME), "
        "display name, role (annotator: works in an own layer on assigned documents; curator: "
        "settles the main, curated layer), and their documents by status.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="list annotators (the default)")
    add = actions.add_parser("add", help="add an annotator")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--display-name", default="", metavar="TEXT", help="the name shown")
    add.add_argument("--role", choices=ROLES, default=AnnotatorRole.ANNOTATOR.value)
    edit = actions.add_parser("edit", help="change an annotator's display name or role")
    edit.add_argument("name", metavar="NAME")
    edit.add_argument("--display-name", metavar="TEXT")
    edit.add_argument("--role", choices=ROLES)

    p = commands.add_parser(
        "assign",
        help="give documents to annotators (each annotates them blind, in an own layer)",
        description="Give documents to annotators: by id, uid, title or id range (3-17), or N "
        "documents nobody has yet, picked at random, each for K of the annotators (balanced). "
        "Assigning a document twice changes nothing. --remove takes documents back; the "
        "annotators' layers stay for agreement and curation.",
    )
    p.add_argument(
        "--to",
        required=True,
        action="append",
        metavar="NAME[,NAME...]",
        help="annotators (comma-separated, or repeat --to)",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--docs", nargs="+", metavar="DOC", help="ids, uids, titles or ranges A-B")
    which.add_argument("--random", type=int, metavar="N", help="N unassigned documents")
    p.add_argument(
        "--overlap",
        type=int,
        default=1,
        metavar="K",
        help="with --random: how many of the annotators get each document (default 1)",
    )
    p.add_argument("--seed", type=int, metavar="S", help="with --random: the same pick again")
    p.add_argument("--remove", action="store_true", help="take the --docs back instead")

    p = commands.add_parser(
        "assignments",
        help="who has which documents, and their own status of each",
        description="Assignments: annotator, document id, title, the annotator's own status.",
    )
    p.add_argument("--annotator", metavar="NAME", help="one annotator's documents only")
    p.add_argument("--summary", action="store_true", help="counts per annotator and status")


def cmd_annotators(ws: Workspace, args: argparse.Namespace) -> int:
    if args.action == "add":
        print(ws.add_annotator(args.name, args.display_name, args.role).description)
        return EXIT_OK
    if args.action == "edit":
        if args.display_name is None and args.role is None:
            raise UsageError("annotators edit: give --display-name or --role")
        change = ws.edit_annotator(args.name, display_name=args.display_name, role=args.role)
        print(change.description)
        return EXIT_OK
    counts = ws.assignment_counts()
    rows: list[list[object]] = [["name", "display name", "role", *map(str, DocumentStatus)]]
    for annotator in ws.annotators():
        mine = counts.get(annotator.name, {})
        rows.append(
            [
                annotator.name,
                annotator.display_name,
                annotator.role,
                *(mine.get(status, 0) for status in DocumentStatus),
            ]
        )
    print(table(rows))
    return EXIT_OK


def _names(values: list[str]) -> list[str]:
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def _document_ids(ws: Workspace, refs: list[str]) -> list[int]:
    """Ids from ids, uids, titles and id ranges ``A-B`` (both ends included)."""
    ids: list[int] = []
    for ref in refs:
        first, dash, last = ref.partition("-")
        if dash and first.isdigit() and last.isdigit():
            low, high = int(first), int(last)
            if low > high:
                raise UsageError(f"document range {ref!r}: the first id is larger than the last")
            known = set(ws.store.documents.ids())
            missing = [i for i in range(low, high + 1) if i not in known]
            if missing:
                raise UsageError(f"document range {ref!r}: no document with id {missing[0]}")
            ids += range(low, high + 1)
        else:
            ids.append(ws.resolve(ref))
    return list(dict.fromkeys(ids))


def cmd_assign(ws: Workspace, args: argparse.Namespace) -> int:
    names = _names(args.to)
    if args.random is not None:
        if args.remove:
            raise UsageError("assign --remove takes --docs, not --random")
        change = ws.assign_random(args.random, names, overlap=args.overlap, seed=args.seed)
    else:
        if args.overlap != 1 or args.seed is not None:
            raise UsageError("--overlap and --seed go with --random")
        docs = _document_ids(ws, args.docs)
        change = ws.unassign(docs, names) if args.remove else ws.assign(docs, names)
    print(change.description)
    return EXIT_OK


def cmd_assignments(ws: Workspace, args: argparse.Namespace) -> int:
    if args.summary:
        rows: list[list[object]] = [["annotator", *map(str, DocumentStatus)]]
        for name, counts in ws.assignment_counts().items():
            rows.append([name, *(counts.get(status, 0) for status in DocumentStatus)])
        print(table(rows))
        return EXIT_OK
    titles = {d.id: d.title for d in ws.documents()}
    rows = [["annotator", "doc", "title", "status"]]
    rows += [
        [a.annotator, a.document_id, titles.get(a.document_id, ""), a.status]
        for a in ws.assignments(args.annotator)
    ]
    print(table(rows))
    return EXIT_OK


COMMANDS = {
    "annotators": cmd_annotators,
    "assign": cmd_assign,
    "assignments": cmd_assignments,
}
