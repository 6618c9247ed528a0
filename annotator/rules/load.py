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
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import regex

from annotator.core.errors import Problem
from annotator.rules.kinds import context as context_kind
from annotator.rules.kinds import token as token_kind
from annotator.rules.kinds.regex_kind import FLAGS, compile_pattern
from annotator.rules.model import KINDS, PatternError, Rule, RuleError, Term, freeze, thaw

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
}
REQUIRED = ("name", "label", "kind", "pattern")
PHRASE_KEYS = {"terms", "terms_file", "case_sensitive", "also_upper"}
REGEX_KEYS = {"regex", "group", "flags"}
TOKEN_KEYS = {"tokens", "span"}
# Which pattern keys hold inline terms and which name a term file, per kind.
_TERM_KEYS = {"phrase": ("terms", "terms_file"), "context": ("triggers", "triggers_file")}


def read_terms(path: Path) -> list[Term]:
    """A term file: one term a line, optionally ``term<TAB>canonical``; ``#`` starts a comment line."""
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


def _check_keys(obj: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    unknown = sorted(set(obj) - set(allowed))
    if unknown:
        names = ", ".join(repr(k) for k in unknown)
        raise PatternError(
            f"unknown key{'s' if len(unknown) > 1 else ''} {names} in {where} "
            f"(known: {', '.join(sorted(allowed))})"
        )


def _check_pattern(kind: str, pattern: Mapping[str, Any]) -> None:
    """Kind-specific validation; raises PatternError (with a position for regex errors)."""
    if kind == "phrase":
        _check_keys(pattern, PHRASE_KEYS, "a phrase pattern")
        if "terms" not in pattern and "terms_file" not in pattern:
            raise PatternError("a phrase pattern needs terms or terms_file")
        for key in ("case_sensitive", "also_upper"):
            if key in pattern and not isinstance(pattern[key], bool):
                raise PatternError(f"{key} must be true or false")
    elif kind == "regex":
        _check_keys(pattern, REGEX_KEYS, "a regex pattern")
        source = pattern.get("regex")
        if not isinstance(source, str) or not source:
            raise PatternError("a regex pattern needs a non-empty string under 'regex'")
        flags = pattern.get("flags", [])
        if not isinstance(flags, (list, tuple)) or any(f not in FLAGS for f in flags):
            raise PatternError(f"flags must be a list of {', '.join(FLAGS)}")
        try:
            compiled = compile_pattern(source, flags)
        except regex.error as e:
            raise PatternError(f"invalid regex: {e.msg} at position {e.pos}", e.pos) from None
        group = pattern.get("group", 0)
        if isinstance(group, bool) or not isinstance(group, (int, str)):
            raise PatternError("group must be a group number or name")
        if (isinstance(group, int) and not 0 <= group <= compiled.groups) or (
            isinstance(group, str) and group not in compiled.groupindex
        ):
            raise PatternError(f"the regex has no group {group!r}")
    elif kind == "token":
        _check_keys(pattern, TOKEN_KEYS, "a token pattern")
        token_kind.validate(pattern)
    else:
        context_kind.check_params(pattern)


def parse_rule(
    obj: Any,
    *,
    source: str = "<rule>",
    line: int | None = None,
    known_labels: set[str] | None = None,
    base_dir: Path | None = None,
) -> Rule:
    """Validate one rule object; RuleError names the source, line, position and reason."""
    name = obj.get("name") if isinstance(obj, Mapping) else None
    rule_name = name if isinstance(name, str) else None

    def fail(reason: str, position: int | None = None) -> RuleError:
        return RuleError(reason, file=source, line=line, position=position, rule=rule_name)

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
    if not obj["name"].strip():
        raise fail("name must not be empty")
    if obj["kind"] not in KINDS:
        raise fail(f"unknown kind {obj['kind']!r} (known: {', '.join(KINDS)})")
    if obj.get("version", 1) < 1:
        raise fail("version must be 1 or more")
    exceptions = obj.get("exceptions", ())
    if not all(isinstance(e, str) for e in exceptions):
        raise fail("exceptions must be a list of strings")
    kind, pattern = obj["kind"], obj["pattern"]
    try:
        _check_pattern(kind, pattern)
        terms = _resolve_terms(kind, pattern, base_dir)
    except PatternError as e:
        raise fail(e.reason, e.position) from None
    except OSError as e:
        raise fail(
            f"cannot read term file: {e.strerror or e}: {getattr(e, 'filename', '')}"
        ) from None
    rule = Rule(
        name=obj["name"],
        label=obj["label"],
        kind=kind,
        pattern=freeze(pattern),
        priority=obj.get("priority", 0),
        enabled=obj.get("enabled", True),
        version=obj.get("version", 1),
        description=obj.get("description", ""),
        allow_overlap=obj.get("allow_overlap", False),
        exceptions=tuple(exceptions),
        terms=tuple(terms),
    )
    if known_labels is not None:
        missing = sorted(rule.labels() - set(known_labels))
        if missing:
            raise fail(
                f"unknown label {', '.join(missing)} (known: {', '.join(sorted(known_labels))})"
            )
    return rule


def _resolve_terms(kind: str, pattern: Mapping[str, Any], base_dir: Path | None) -> list[Term]:
    if kind not in _TERM_KEYS:
        return []
    inline_key, file_key = _TERM_KEYS[kind]
    terms = _inline_terms(pattern[inline_key], inline_key) if inline_key in pattern else []
    if file_key in pattern:
        name = pattern[file_key]
        if not isinstance(name, str) or not name:
            raise PatternError(f"{file_key} must be a file name")
        if base_dir is None:
            raise PatternError(
                f"{file_key} {name!r} needs the pack folder (load it with load_pack)"
            )
        terms += read_terms(base_dir / name)
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
    pattern = thaw(rule.pattern)
    keys = _TERM_KEYS.get(rule.kind)
    if inline_terms and keys and keys[1] in pattern:
        del pattern[keys[1]]
        pattern[keys[0]] = [t if c is None else [t, c] for t, c in rule.terms]
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
    keys = _TERM_KEYS.get(rule.kind)
    if not keys or keys[1] not in rule.pattern:
        return []
    inline = len(rule.pattern.get(keys[0], ()))
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
            with open(file, encoding="utf-8-sig") as f:
                lines = f.read().splitlines()
        except OSError as e:
            problems.append(Problem(str(file), f"cannot read: {e.strerror or e}"))
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
    """Write rules as JSONL (a ``.jsonl`` path, or ``rules.jsonl`` in a folder) and their term files.

    Term files are written beside the JSONL, so the pack loads back to equal rules;
    with ``inline_terms`` the file is self-contained instead. Returns the JSONL path.
    """
    path = Path(path)
    target = path if path.suffix == ".jsonl" else path / "rules.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for rule in rules:
        lines.append(json.dumps(dump_rule(rule, inline_terms=inline_terms), ensure_ascii=False))
        keys = _TERM_KEYS.get(rule.kind)
        if not inline_terms and keys and keys[1] in rule.pattern:
            write_terms(target.parent / rule.pattern[keys[1]], file_terms(rule))
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
