"""The `annotator` commands for rules and suggestions."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from annotator.cli_support import progress_bar, table
from annotator.core.errors import UsageError
from annotator.core.text import plural

if TYPE_CHECKING:
    from annotator.workspace import Workspace

# EXIT_LEFT_OUT: an export wrote what it could and left something out (said in warnings).
EXIT_OK, EXIT_REFUSED, EXIT_LEFT_OUT, EXIT_INTERRUPTED = 0, 1, 3, 130


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "suggest",
        help="run the rules and store their suggestions",
        description="Run the rules over documents (all by default) and update their "
        "pending suggestions. Rejected suggestions stay rejected.",
    )
    p.add_argument(
        "docs", nargs="*", metavar="DOC", help="document ids, uids or titles (default: all)"
    )
    p.add_argument(
        "--pack",
        metavar="NAME",
        help="run only this pack's rules, loading the pack first when the database does not have "
        "it (a shipped pack name such as en-news, or a path)",
    )
    p.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="run the rules in N worker processes (default: one per idle core, for 1,000 "
        "documents or more); Ctrl+C keeps the documents done and leaves the rest untouched",
    )

    p = commands.add_parser(
        "suggestions",
        help="list pending suggestions",
        description="Pending suggestions: id, doc, start, end, label, text, rule.",
    )
    p.add_argument("doc", nargs="?", metavar="DOC")
    p.add_argument("--json", action="store_true", help="a JSON list of objects")
    p.add_argument(
        "--state",
        action="append",
        default=[],
        choices=["pending", "accepted", "rejected", "corrected"],
        help="other states instead of pending; repeatable",
    )

    p = commands.add_parser(
        "accept",
        help="accept suggestions (they become spans)",
        description="Accept suggestions by id, or all pending ones of a rule.",
    )
    p.add_argument("ids", nargs="*", type=int, metavar="ID")
    p.add_argument("--rule", metavar="NAME", help="accept every pending suggestion of this rule")

    p = commands.add_parser(
        "reject",
        help="reject suggestions",
        description="Reject suggestions by id; they are not suggested again.",
    )
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument(
        "--everywhere",
        action="store_true",
        help="the rule never suggests this text with this label again, in any document "
        "(an exception stored with the rule)",
    )

    p = commands.add_parser(
        "remember",
        help="suggest a span's text everywhere (learned terms)",
        description="Add the text of spans to their label's learned term list "
        "(the rule learned-LABEL).",
    )
    p.add_argument("span_ids", nargs="+", type=int, metavar="SPAN_ID")

    p = commands.add_parser(
        "rules",
        help="list, inspect, import, export and test rules",
        description="Rules of this database.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser(
        "list", help="rules with label, kind, priority, version, enabled (the default)"
    )
    stats = actions.add_parser(
        "stats", help="per rule: suggested, accepted, rejected, corrected, precision"
    )
    stats.add_argument("--json", action="store_true")
    show = actions.add_parser("show", help="a rule as its pack line, with its exceptions")
    show.add_argument("name")
    imp = actions.add_parser(
        "import",
        help="load rules from a pack file or folder, or a spaCy/Prodigy match-pattern file "
        "(replaces same names)",
    )
    imp.add_argument("file", metavar="FILE")
    exp = actions.add_parser("export", help="write rules to a pack file (.jsonl) or folder")
    exp.add_argument("file", metavar="FILE")
    exp.add_argument(
        "--format",
        choices=["pack", "patterns"],
        default="pack",
        help="pack: our rule pack (default); patterns: spaCy/Prodigy match patterns, one a "
        "line (phrase and token rules; the others are left out with a warning, exit 3)",
    )
    exp.add_argument(
        "--rule", action="append", default=[], metavar="NAME", help="only these rules; repeatable"
    )
    test = actions.add_parser(
        "test", help="run a pack file's rules on one document; nothing is stored"
    )
    test.add_argument("file", metavar="FILE")
    test.add_argument("doc", metavar="DOC")
    for name, text in (("enable", "enable a rule"), ("disable", "disable a rule")):
        sub = actions.add_parser(name, help=text)
        sub.add_argument("name")
    unexcept = actions.add_parser(
        "remove-exception", help="let a rule suggest a rejected text again"
    )
    unexcept.add_argument("name")
    unexcept.add_argument("text")
    forget = actions.add_parser("forget", help="remove a learned term of a label")
    forget.add_argument("label")
    forget.add_argument("text")
    train = actions.add_parser(
        "train-tagger",
        help="train the rule 'tagger' (a CRF) on the documents done or with spans",
    )
    train.add_argument(
        "--labels",
        nargs="+",
        metavar="LABEL",
        help="labels to learn (default: those of the spans, but long ones such as quotes)",
    )
    induce = actions.add_parser(
        "induce",
        help="propose rules learned from the documents marked done",
        description="Rules induced from the spans of the documents marked done: context words, "
        "term lists with their case variants, label sequences. Each is measured on those "
        "documents (precision = matches equal to a span / matches) and counted on the corpus.",
    )
    induce.add_argument(
        "--min-precision",
        type=float,
        default=0.8,
        metavar="P",
        help="list (and with --accept, save) proposals at least this precise (default 0.8)",
    )
    induce.add_argument(
        "--min-hits", type=int, default=3, metavar="N", help="at least N hits (default 3)"
    )
    induce.add_argument("--accept", action="store_true", help="save every proposal listed")
    induce.add_argument("--json", action="store_true", help="a JSON list of objects")


def cmd_suggest(ws: Workspace, args: argparse.Namespace) -> int:
    pack = None
    if args.pack:
        from annotator.workspace import pack_path

        pack = pack_path(args.pack).name
        if pack not in set(ws.rule_packs().values()):
            loaded = ws.import_rules(args.pack)
            for problem in loaded.problems:
                print(f"refused: {problem}", file=sys.stderr)
            print(f"loaded rule pack {pack}: {plural(loaded.added, 'rule')}")
    ids = [ws.resolve(doc) for doc in args.docs]
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {args.jobs}")
    with progress_bar("suggesting") as progress, interrupt_flag() as interrupted:
        report = ws.suggest_corpus(
            ids or None, pack=pack, progress=progress, cancelled=interrupted, jobs=args.jobs
        )
    for failure in report.failures:
        print(f"warning: {failure}", file=sys.stderr)
    print(
        f"suggested over {plural(report.documents, 'document')}: "
        f"{report.added} new, {report.kept} kept, "
        f"{report.dropped} dropped ({report.seconds:.2f} s)"
    )
    if report.cancelled:
        print(
            "annotator: interrupted: the documents above keep their new suggestions, "
            "the others are untouched",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    return EXIT_OK


@contextmanager
def interrupt_flag() -> Iterator[Callable[[], bool]]:
    """Ctrl+C asks the run to stop after the chunk it is writing (a second one stops at once:
    the transaction under way is rolled back)."""
    pressed: list[int] = []

    def on_interrupt(signum: int, frame: object) -> None:
        pressed.append(signum)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield lambda: bool(pressed)
    finally:
        signal.signal(signal.SIGINT, previous)


def _one_line(text: str) -> str:
    return text.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def cmd_suggestions(ws: Workspace, args: argparse.Namespace) -> int:
    doc_id = ws.resolve(args.doc) if args.doc else None
    found = ws.suggestions(doc_id, states=args.state or ["pending"])
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": s.id,
                        "doc": d,
                        "start": s.start,
                        "end": s.end,
                        "label": s.label,
                        "text": s.text,
                        "rule": s.rule,
                        "rule_version": s.rule_version,
                        "state": str(s.state),
                        "explanation": s.explanation,
                    }
                    for d, s in found
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return EXIT_OK
    rows: list[list[object]] = [["id", "doc", "start", "end", "label", "text", "rule"]]
    rows += [[s.id, d, s.start, s.end, s.label, _one_line(s.text), s.rule] for d, s in found]
    print(table(rows))
    return EXIT_OK


def cmd_accept(ws: Workspace, args: argparse.Namespace) -> int:
    ids = list(args.ids)
    if args.rule:
        ws.rule(args.rule)
        ids += [s.id for _, s in ws.suggestions(rule=args.rule) if s.id is not None]
    if not ids:
        print("annotator: error: give suggestion ids or --rule NAME", file=sys.stderr)
        return 2
    change = ws.accept_many(ids)
    print(f"accepted {plural(len(ids), 'suggestion')}: {plural(change.count, 'new span')}")
    return EXIT_OK


def cmd_reject(ws: Workspace, args: argparse.Namespace) -> int:
    for suggestion_id in args.ids:
        ws.reject(suggestion_id, everywhere=args.everywhere)
    where = " everywhere" if args.everywhere else ""
    print(f"rejected {plural(len(args.ids), 'suggestion')}{where}")
    return EXIT_OK


def cmd_remember(ws: Workspace, args: argparse.Namespace) -> int:
    for span_id in args.span_ids:
        ws.remember(span_id)
    print(
        f"remembered {plural(len(args.span_ids), 'term')}; "
        "run `annotator suggest` to see them everywhere"
    )
    return EXIT_OK


def cmd_rules(ws: Workspace, args: argparse.Namespace) -> int:
    action = args.action or "list"
    if action == "list":
        packs = ws.rule_packs()
        rows: list[list[object]] = [
            ["name", "label", "kind", "priority", "version", "enabled", "pack"]
        ]
        rows += [
            [
                r.name,
                r.label,
                r.kind,
                r.priority,
                r.version,
                "yes" if r.enabled else "no",
                packs.get(r.name),
            ]
            for r in ws.rules()
        ]
        print(table(rows))
    elif action == "stats":
        return _rules_stats(ws, args)
    elif action == "show":
        from annotator.workspace import dump_rule

        print(
            json.dumps(
                dump_rule(ws.rule(args.name), inline_terms=True), ensure_ascii=False, indent=1
            )
        )
    elif action == "import":
        loaded = ws.import_rules(args.file)
        for problem in loaded.problems:
            print(f"refused: {problem}", file=sys.stderr)
        source = f" from {plural(loaded.patterns, 'pattern')}" if loaded.patterns else ""
        print(
            f"rules: {loaded.added} added, {loaded.replaced} replaced{source}, "
            f"{len(loaded.problems)} refused"
        )
        if loaded.new_labels:
            print(f"new labels: {', '.join(loaded.new_labels)}")
        return EXIT_REFUSED if loaded.problems else EXIT_OK
    elif action == "export" and args.format == "patterns":
        written = ws.export_rule_patterns(args.file, args.rule)
        for warning in written.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"exported {plural(written.patterns, 'pattern')} to {written.path}")
        return EXIT_LEFT_OUT if written.warnings else EXIT_OK
    elif action == "export":
        path = ws.export_rules(args.file, args.rule)
        print(f"exported rules to {path}")
    elif action == "test":
        return _rules_test(ws, args)
    elif action in ("enable", "disable"):
        ws.set_rule_enabled(args.name, action == "enable")
        print(f"{action}d rule {args.name}")
    elif action == "remove-exception":
        ws.remove_exception(args.name, args.text)
        print(f"rule {args.name} may suggest {args.text!r} again")
    elif action == "forget":
        ws.remove_learned_term(args.label, args.text)
        print(f"forgot learned {args.label} term {args.text!r}")
    elif action == "train-tagger":
        training = ws.train_tagger(args.labels)
        change = ws.save_tagger(training)
        print(f"{change.description}: {training.seconds:.1f} s")
    elif action == "induce":
        return _rules_induce(ws, args)
    return EXIT_OK


def _rules_induce(ws: Workspace, args: argparse.Namespace) -> int:
    if not 0.0 <= args.min_precision <= 1.0:
        raise UsageError(f"--min-precision must be between 0 and 1, not {args.min_precision}")
    if args.min_hits < 1:
        raise UsageError(f"--min-hits must be at least 1, not {args.min_hits}")
    with progress_bar("inducing") as progress:
        found = ws.rule_proposals(
            min_precision=args.min_precision, min_hits=args.min_hits, progress=progress
        )
    if args.json:
        items = [
            {
                "rule": p.rule.name,
                "kind": str(p.kind),
                "label": p.rule.label,
                "summary": p.summary,
                "precision": round(p.proposal.precision, 4),
                "hits": p.proposal.hits,
                "new_hits": p.proposal.new_hits,
                "matches": p.proposal.matches,
                "corpus_matches": p.corpus_matches,
            }
            for p in found
        ]
        print(json.dumps(items, ensure_ascii=False, indent=1))
    else:
        rows: list[list[object]] = [
            ["rule", "kind", "label", "precision", "hits", "new", "matches", "corpus", "summary"]
        ]
        rows += [
            [
                p.rule.name,
                p.kind,
                p.rule.label,
                f"{p.proposal.precision:.2f}",
                p.proposal.hits,
                p.proposal.new_hits,
                p.proposal.matches,
                p.corpus_matches,
                _one_line(p.summary),
            ]
            for p in found
        ]
        print(table(rows))
    if not found:
        print(
            "no rule proposals: mark finished documents done, or lower --min-precision",
            file=sys.stderr,
        )
    if args.accept:
        for p in found:
            ws.accept_rule_proposal(p)
        print(f"accepted {plural(len(found), 'rule proposal')}", file=sys.stderr)
    return EXIT_OK


def _rules_stats(ws: Workspace, args: argparse.Namespace) -> int:
    stats = ws.rule_statistics()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "rule": s.rule,
                        "suggested": s.suggested,
                        "pending": s.pending,
                        "accepted": s.accepted,
                        "rejected": s.rejected,
                        "corrected": s.corrected,
                        "precision": s.precision,
                        "flagged": s.flagged,
                    }
                    for s in stats.values()
                ],
                indent=1,
            )
        )
        return EXIT_OK
    rows: list[list[object]] = [
        ["rule", "suggested", "accepted", "rejected", "corrected", "precision", "flagged"]
    ]
    rows += [
        [
            s.rule,
            s.suggested,
            s.accepted,
            s.rejected,
            s.corrected,
            "" if s.precision is None else f"{s.precision:.2f}",
            "FLAGGED" if s.flagged else "",
        ]
        for s in stats.values()
    ]
    print(table(rows))
    return EXIT_OK


def _rules_test(ws: Workspace, args: argparse.Namespace) -> int:
    result, problems = ws.test_rules(args.file, ws.resolve(args.doc))
    for problem in problems:
        print(f"refused: {problem}", file=sys.stderr)
    for failure in result.failures:
        print(f"warning: rule {failure.rule!r} stopped: {failure.reason}", file=sys.stderr)
    rows: list[list[object]] = [["start", "end", "label", "text", "rule", "explanation"]]
    rows += [
        [m.start, m.end, m.label, _one_line(m.text), m.rule, m.explanation] for m in result.matches
    ]
    print(table(rows))
    return EXIT_REFUSED if problems else EXIT_OK


COMMANDS = {
    "suggest": cmd_suggest,
    "suggestions": cmd_suggestions,
    "accept": cmd_accept,
    "reject": cmd_reject,
    "remember": cmd_remember,
    "rules": cmd_rules,
}
