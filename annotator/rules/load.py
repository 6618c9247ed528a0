"""Rules as data: validate one JSONL object into a Rule, load and save packs.

A rule line looks like::

    {"name": "countries-id", "label": "LOC", "kind": "phrase", "priority": 10,
     "pattern": {"terms_file": "countries.txt", "case_sensitive": true}}

Common keys sit at the top, the kind's payload under ``pattern``; unknown keys are
refused at both levels (a typo must not silently change what a rule does). Saving
writes back what was loaded: ``parse_rule(dump_rule(r)) == r``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from itertools import repeat
from pathlib import Path
from typing import Any

from annotator.core.errors import Problem
from annotator.core.text import not_utf8
from annotator.rules.final_filter import CONTEXT_KEYS
from annotator.rules.kinds import KINDS
from annotator.rules.kinds.registry import RuleKind
from annotator.rules.model import PatternError, Rule, RuleError, Term, freeze, thaw

# key -> (accepted types, default); the defaults are left out when saving.
COMMON: dict[str, tuple[tuple[type, ...], Any]] = {
    "name": ((str,), None),
    "label": ((str,), None),
    "kind": ((str,), None),
    "pattern": ((dict, Mapping), None),
    "priority": ((int,), 0),
    "enabled": ((bool,), True),
    "version": ((int,), 1),
    "description": ((str,), ""),
    "allow_overlap": ((bool,), False),
    "exceptions": ((list, tuple), ()),
    **{key: ((list, tuple), ()) for key in CONTEXT_KEYS},
}
REQUIRED = ("name", "label", "kind", "pattern")


def read_terms(path: Path) -> list[Term]:
    """A term file: one term a line, optionally ``term<TAB>canonical``; ``#`` starts a comment."""
    terms: list[Term] = []
    with open(path, encoding="utf-8-sig") as f:
        for raw in f:
            line = raw.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            term, _, canonical = line.partition("\t")
            terms.append((term.strip(), canonical.strip() or None))
    return terms


def write_terms(path: Path, terms: Iterable[Term]) -> None:
    lines = [t if c is None else f"{t}\t{c}" for t, c in terms]
    _atomic_write(path, "".join(line + "\n" for line in lines))


def _inline_terms(value: Any, key: str) -> list[Term]:
    if not isinstance(value, (list, tuple)):
        raise PatternError(f"{key} must be a list of strings or [term, canonical] pairs")
    # The usual gazetteer, plain strings none of them blank, checked in whole-list calls.
    if {str}.issuperset(map(type, value)) and all(map(str.strip, value)):
        return list(zip(value, repeat(None)))
    out: list[Term] = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            out.append((item, None))
        elif (
            isinstance(item, (list, tuple))
            and len(item) == 2
            and all(isinstance(x, str) for x in item)
            and item[0].strip()
        ):
            out.append((item[0], item[1] or None))
        else:
            raise PatternError(f"{key}[{i}] must be a non-empty string or a [term, canonical] pair")
    return out


def _check_common(obj: Any, fail: Callable[[str], RuleError]) -> None:
    """The keys every rule has (``COMMON``): known, present when required, of the right type."""
    if not isinstance(obj, Mapping):
        raise fail("a rule must be a JSON object")
    unknown = sorted(set(obj) - set(COMMON))
    if unknown:
        raise fail(
            f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
            f"(known: {', '.join(COMMON)})"
        )
    for key in REQUIRED:
        if key not in obj:
            raise fail(f"missing {key!r}")
    for key, value in obj.items():
        types = COMMON[key][0]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise fail(f"{key} must be {' or '.join(t.__name__ for t in types)}")
    for ok, reason in _VALUES:
        if not ok(obj):
            raise fail(reason(obj))


# Checks of the common values once their types are right, in order: (holds, reason if not).
_VALUES: tuple[
    tuple[Callable[[Mapping[str, Any]], bool], Callable[[Mapping[str, Any]], str]], ...
] = (
    (lambda o: bool(o["name"].strip()), lambda o: "name must not be empty"),
    (
        lambda o: o["kind"] in KINDS,
        lambda o: f"unknown kind {o['kind']!r} (known: {', '.join(KINDS)})",
    ),
    (lambda o: o.get("version", 1) >= 1, lambda o: "version must be 1 or more"),
    (
        lambda o: all(isinstance(e, str) for e in o.get("exceptions", ())),
        lambda o: "exceptions must be a list of strings",
    ),
    (
        lambda o: all(_one_word(w) for key in CONTEXT_KEYS for w in o.get(key, ())),
        lambda o: f"{_bad_words(o)} must be a list of single words (no spaces)",
    ),
)


def _one_word(value: Any) -> bool:
    return isinstance(value, str) and bool(value) and not any(c.isspace() for c in value)


def _bad_words(obj: Mapping[str, Any]) -> str:
    return next(k for k in CONTEXT_KEYS if not all(_one_word(w) for w in obj.get(k, ())))


def _failer(obj: Any, source: str, line: int | None) -> Callable[..., RuleError]:
    """The RuleError maker for one rule object: its file, line and (when it has one) name."""
    name = obj.get("name") if isinstance(obj, Mapping) else None
    rule_name = name if isinstance(name, str) else None

    def fail(reason: str, position: int | None = None) -> RuleError:
        return RuleError(reason, file=source, line=line, position=position, rule=rule_name)

    return fail


def _pattern_terms(kind: RuleKind, pattern: Mapping[str, Any], base_dir: Path | None) -> list[Term]:
    """Validate the kind's pattern and load its terms; raises PatternError or OSError."""
    kind.validate(pattern)
    return _resolve_terms(kind, pattern, base_dir)


def parse_rule(
    obj: Any,
    *,
    source: str = "<rule>",
    line: int | None = None,
    known_labels: set[str] | None = None,
    base_dir: Path | None = None,
) -> Rule:
    """Validate one rule object; RuleError names the source, line, position and reason."""
    fail = _failer(obj, source, line)
    _check_common(obj, fail)
    kind, pattern = KINDS[obj["kind"]], obj["pattern"]
    try:
        terms = _pattern_terms(kind, pattern, base_dir)
    except PatternError as e:
        raise fail(e.reason, e.position) from None
    except OSError as e:
        raise fail(
            f"cannot read term file: {e.strerror or e}: {getattr(e, 'filename', '')}"
        ) from None
    rule = Rule(
        name=obj["name"],
        label=obj["label"],
        kind=obj["kind"],
        pattern=freeze(pattern),
        terms=tuple(terms),
        exceptions=tuple(obj.get("exceptions", ())),
        not_after=tuple(obj.get("not_after", ())),
        not_before=tuple(obj.get("not_before", ())),
        only_after=tuple(obj.get("only_after", ())),
        only_before=tuple(obj.get("only_before", ())),
        **{key: obj.get(key, COMMON[key][1]) for key in _SCALARS},
    )
    _check_labels(rule, known_labels, fail)
    return rule


# The common keys copied as they are (their defaults in ``COMMON``).
_SCALARS = ("priority", "enabled", "version", "description", "allow_overlap")


def _check_labels(
    rule: Rule, known_labels: set[str] | None, fail: Callable[..., RuleError]
) -> None:
    if known_labels is None:
        return
    missing = sorted(rule.labels() - set(known_labels))
    if missing:
        raise fail(f"unknown label {', '.join(missing)} (known: {', '.join(sorted(known_labels))})")


def _resolve_terms(kind: RuleKind, pattern: Mapping[str, Any], base_dir: Path | None) -> list[Term]:
    """The kind's gazetteer: its inline terms, then its term file's (read from ``base_dir``)."""
    if kind.terms is None:
        return []
    inline_key, file_key = kind.terms.inline, kind.terms.file
    terms = _inline_terms(pattern[inline_key], inline_key) if inline_key in pattern else []
    if file_key in pattern:
        name = pattern[file_key]
        if not isinstance(name, str) or not name:
            raise PatternError(f"{file_key} must be a file name")
        if base_dir is None:
            raise PatternError(
                f"{file_key} {name!r} needs the pack folder (load it with load_pack)"
            )
        try:
            terms += read_terms(base_dir / name)
        except UnicodeDecodeError as e:
            raise PatternError(
                f"cannot read term file {name}: not UTF-8 text ({e.reason})"
            ) from None
    return terms


def dump_rule(rule: Rule, *, inline_terms: bool = False) -> dict[str, Any]:
    """The JSON object of a rule, defaults left out; ``inline_terms`` folds a term file in."""
    obj: dict[str, Any] = {"name": rule.name, "label": rule.label, "kind": rule.kind}
    for key in ("priority", "enabled", "version", "description", "allow_overlap"):
        value = getattr(rule, key)
        if value != COMMON[key][1]:
            obj[key] = value
    if rule.exceptions:
        obj["exceptions"] = list(rule.exceptions)
    for key in CONTEXT_KEYS:
        if getattr(rule, key):
            obj[key] = list(getattr(rule, key))
    pattern = thaw(rule.pattern)
    keys = KINDS[rule.kind].terms
    if inline_terms and keys and keys.file in pattern:
        del pattern[keys.file]
        pattern[keys.inline] = [t if c is None else [t, c] for t, c in rule.terms]
    obj["pattern"] = pattern
    return obj


def edit_rule(
    rule: Rule,
    changes: Mapping[str, Any],
    *,
    known_labels: set[str] | None = None,
    base_dir: Path | None = None,
) -> Rule:
    """``rule`` with ``changes`` (any rule keys, e.g. a new ``pattern``), validated, version + 1.

    A term file the rule referenced is folded in as inline terms unless ``base_dir``
    is given, since an edited rule lives in the database, not beside its pack.
    """
    obj = dump_rule(rule, inline_terms=base_dir is None)
    obj.update(thaw(dict(changes)))
    obj["version"] = max(rule.version + 1, int(obj.get("version", 1)))
    return parse_rule(obj, source=f"rule {rule.name}", known_labels=known_labels, base_dir=base_dir)


def file_terms(rule: Rule) -> list[Term]:
    """The part of ``rule.terms`` that came from its term file (inline terms come first)."""
    keys = KINDS[rule.kind].terms
    if not keys or keys.file not in rule.pattern:
        return []
    inline = len(rule.pattern.get(keys.inline, ()))
    return list(rule.terms[inline:])


def load_pack(
    path: Path | str, *, known_labels: set[str] | None = None
) -> tuple[list[Rule], list[Problem]]:
    """Rules of a JSONL file or a folder of them; a bad line is a Problem, the others load."""
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    rules: list[Rule] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    if path.is_dir() and not files:
        problems.append(Problem(str(path), "no .jsonl rule file in this folder"))
    for file in files:
        try:
            data = file.read_bytes()
            lines = data.decode("utf-8-sig").splitlines()
        except OSError as e:
            problems.append(Problem(str(file), f"cannot read: {e.strerror or e}"))
            continue
        except UnicodeDecodeError as e:
            line, reason = not_utf8(data, e)
            problems.append(Problem(str(file), reason, line))
            continue
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as e:
                problems.append(
                    Problem(str(file), f"not valid JSON: {e.msg} at column {e.colno}", number)
                )
                continue
            try:
                rule = parse_rule(
                    obj,
                    source=str(file),
                    line=number,
                    known_labels=known_labels,
                    base_dir=file.parent,
                )
            except RuleError as e:
                problems.append(e.problem)
                continue
            if rule.name in seen:
                problems.append(
                    Problem(
                        str(file),
                        f"rule {rule.name!r} is already defined in "
                        f"{seen[rule.name]}; this one is skipped",
                        number,
                    )
                )
                continue
            seen[rule.name] = f"{file.name}:{number}"
            rules.append(rule)
    return rules, problems


def save_pack(rules: Iterable[Rule], path: Path | str, *, inline_terms: bool = False) -> Path:
    """Write rules as JSONL (a ``.jsonl`` path, or ``rules.jsonl`` in a folder), and term files.

    Term files are written beside the JSONL, so the pack loads back to equal rules;
    with ``inline_terms`` the file is self-contained instead. Returns the JSONL path.
    """
    path = Path(path)
    target = path if path.suffix == ".jsonl" else path / "rules.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for rule in rules:
        lines.append(json.dumps(dump_rule(rule, inline_terms=inline_terms), ensure_ascii=False))
        keys = KINDS[rule.kind].terms
        if not inline_terms and keys and keys.file in rule.pattern:
            write_terms(target.parent / rule.pattern[keys.file], file_terms(rule))
    _atomic_write(target, "".join(line + "\n" for line in lines))
    return target


def _atomic_write(path: Path, content: str) -> None:
    # A crash while saving must leave the old pack, never half a file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
