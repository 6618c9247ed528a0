"""Where a regex rule's matches can begin, so it need not be tried at every character.

A date pattern like ``\\b(?:Senin|Selasa|...)\\s*\\(\\d...`` can only match where one of a few
literal strings begins. ``starts_of`` reads the pattern with the ``regex`` module's own
parser and returns those strings (case-sensitive ones, case-insensitive ones in the folded
text, and "a decimal digit"); the engine finds them for every regex rule in its one shared
automaton scan (``PhraseSet``), and the rule then tries ``match`` only at those offsets,
the way ``finditer`` would have found them: same matches, same order.

Sound or nothing: any construct the analysis does not know (sets, ``.``, properties other
than ``\\d``, full case folding, ``\\G``, verbs, conditionals, fuzzy matching, a pattern
that can match the empty string...) gives ``None`` and the rule scans the whole text as
before. The analysis runs once per compiled rule; an error in it (say a newer ``regex``
whose internals moved) also gives ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any

import regex

from annotator.rules.doc import fold

try:  # the regex module's parser and case tables: private, hence the fallback to None
    from regex import _regex
    from regex import _regex_core as _core
except ImportError:  # pragma: no cover
    _core = None
    _regex = None

_MAX_LITERAL = 12  # characters of a literal start kept (longer prefixes add nothing)
_MAX_VARIANTS = 64  # folded spellings of one case-insensitive literal before it is cut shorter
_MAX_STRINGS = 5000  # literal starts of one pattern before the analysis gives up


@dataclass(frozen=True, eq=False)
class Starts:
    """Every match of the pattern begins where one of these begins in the text.

    ``exact``: strings as they stand in the text; ``folded``: strings of the text folded by
    ``doc.fold`` (case-insensitive parts); ``digits``: at a character ``\\d`` matches (Unicode:
    a superset of the ASCII-only ``\\d``). ``bounded``: the pattern asserts ``\\b`` (the plain
    Unicode word boundary) before every possible start, so a place without one is skipped.
    Compared by identity: the engine keys its shared scans on it.
    """

    exact: frozenset[str]
    folded: frozenset[str]
    digits: bool = False
    bounded: bool = False


def starts_of(source: str, flags: int = 0) -> Starts | None:
    """The literal starts of ``regex.compile(source, flags)``'s matches, or None if unsure."""
    if _core is None:
        return None
    try:
        return _starts_of(source, flags)
    except Exception:  # noqa: BLE001 - an analysis failure only means "scan everything"
        return None


def _parse(source: str, flags: int) -> tuple[Any, Any]:
    # As regex.compile parses (regex.regex._compile): retried when a global inline flag appears.
    global_flags = flags
    while True:
        src = _core.Source(source)
        info = _core.Info(global_flags, src.char_type, {})
        info.guess_encoding = _core.UNICODE
        src.ignore_space = bool(info.flags & _core.VERBOSE)
        try:
            parsed = _core._parse_pattern(src, info)
        except _core._UnscopedFlagSet:
            global_flags = info.global_flags
            continue
        if not src.at_end():
            raise ValueError("unbalanced parenthesis")
        return parsed, info


def _starts_of(source: str, flags: int) -> Starts | None:
    parsed, info = _parse(source, flags)
    if info.flags & (_core.REVERSE | _core.LOCALE) or info.named_lists_used:
        return None
    if not _known(parsed):
        return None
    found = _node(parsed, False)
    if found is None or found[1]:  # unknown, or the pattern can match the empty string
        return None
    digit = _digit_property()
    exact: set[str] = set()
    folded: set[str] = set()
    digits = False
    bounded = True
    for kind, value, boundary in found[0]:
        bounded = bounded and boundary
        if kind == "s":
            exact.add(value)
        elif kind == "i":
            spellings = _folded_spellings(value, info.flags)
            if spellings is None:
                return None
            folded.update(spellings)
        else:  # a Property node: only \d (Unicode or ASCII) is known
            if (value.value, value.positive, value.zerowidth) != digit or value.case_flags:
                return None
            if value.encoding not in (0, _core.ASCII_ENCODING):
                return None
            digits = True
        if len(exact) + len(folded) > _MAX_STRINGS:
            return None
    if not (exact or folded or digits):
        return None
    return Starts(frozenset(exact), frozenset(folded), digits, bounded)


def _digit_property() -> tuple[int, bool, bool]:
    node, _ = _parse(r"\d", 0)
    while type(node).__name__ == "Sequence" and len(node.items) == 1:
        node = node.items[0]
    return node.value, node.positive, node.zerowidth


def _folded_spellings(text: str, flags: int) -> set[str] | None:
    """The folded forms of every text the case-insensitive literal ``text`` matches.

    The regex module matches a text character c against a pattern character x under
    IGNORECASE when c is among ``get_all_cases(x)``; folding those gives the possible
    characters of the folded text. Cut shorter while the spellings are too many.
    """
    options = []
    for ch in text:
        cases = {fold(chr(c)) for c in _regex.get_all_cases(flags, ord(ch))}
        cases.add(fold(ch))
        if any(len(c) != 1 for c in cases):
            return None
        options.append(sorted(cases))
    while options:
        count = 1
        for o in options:
            count *= len(o)
        if count <= _MAX_VARIANTS:
            return {"".join(p) for p in product(*options)}
        options.pop()
    return None


# Zero-width nodes: they consume nothing, so the match starts with what follows them.
_ZERO_WIDTH = {
    "Boundary",
    "DefaultBoundary",
    "StartOfWord",
    "EndOfWord",
    "DefaultStartOfWord",
    "DefaultEndOfWord",
    "StartOfLine",
    "StartOfLineU",
    "EndOfLine",
    "EndOfLineU",
    "StartOfString",
    "EndOfString",
    "EndOfStringLine",
    "EndOfStringLineU",
    "LookAround",
}
# Every node type a pattern may hold for the analysis to be used at all (checked on the whole
# tree: \G, \K, verbs, conditionals, calls, fuzzy matching... change where matches are tried).
_KNOWN = _ZERO_WIDTH | {
    "Sequence",
    "Branch",
    "Character",
    "Property",
    "Group",
    "Atomic",
    "GreedyRepeat",
    "LazyRepeat",
    "PossessiveRepeat",
    "SetUnion",
    "SetInter",
    "SetDiff",
    "SetSymDiff",
    "Range",
    "Any",
    "AnyAll",
    "AnyU",
    "RefGroup",
}


def _known(node: Any) -> bool:
    name = type(node).__name__
    if name not in _KNOWN or type(node) is not getattr(_core, name):
        return False
    if name.startswith("Set") or name in ("Character", "Property", "Range"):
        return True  # character tests: nothing inside changes where matches are tried
    return all(_known(child) for child in _children(node))


def _children(node: Any) -> list[Any]:
    name = type(node).__name__
    if name == "Sequence":
        return list(node.items)
    if name == "Branch":
        return list(node.branches)
    if name in ("Group", "Atomic", "GreedyRepeat", "LazyRepeat", "PossessiveRepeat", "LookAround"):
        return [node.subpattern]
    return []


# (starts, can match the empty string); a start is (kind, literal or node, after \b).
Found = tuple[set[tuple[str, Any, bool]], bool]


def _is_word_boundary(node: Any) -> bool:
    """A plain ``\\b`` of the Unicode encoding (what ``BOUNDARY`` tests)."""
    return (
        type(node).__name__ == "Boundary" and node.positive and getattr(node, "encoding", None) == 0
    )


def _node(node: Any, boundary: bool) -> Found | None:
    """The starts of a node's non-empty matches and whether it can match empty, or None.

    ``boundary``: a ``\\b`` was asserted right where this node's match would begin.
    """
    name = type(node).__name__
    if name in _ZERO_WIDTH:
        return set(), True
    if name == "Sequence":
        return _sequence(list(node.items), boundary)
    if name == "Branch":
        starts: set[tuple[str, Any, bool]] = set()
        empty = False
        for branch in node.branches:
            found = _node(branch, boundary)
            if found is None:
                return None
            starts |= found[0]
            empty = empty or found[1]
        return starts, empty
    if name in ("Group", "Atomic"):
        return _node(node.subpattern, boundary)
    if name in ("GreedyRepeat", "LazyRepeat", "PossessiveRepeat"):
        found = _node(node.subpattern, boundary)
        if found is None:
            return None
        return found[0], found[1] or node.min_count == 0
    if name == "Character":
        return _sequence([node], boundary)
    if name == "Property":
        if not node.positive or node.zerowidth:
            return None
        return {("d", node, boundary)}, False
    return None  # sets, "." and the rest: too many possible first characters


def _literal(node: Any) -> str | None:
    """ "s" (case-sensitive) or "i" (simple case folding) for a plain character node."""
    if type(node).__name__ != "Character" or not node.positive or node.zerowidth:
        return None
    if node.case_flags == 0:
        return "s"
    if node.case_flags == _core.IGNORECASE:
        return "i"
    return None  # full case folding: one character may match two


def _sequence(items: list[Any], boundary: bool) -> Found | None:
    # An item begins the match only when every item before it matched empty: a \b among
    # those held where the match begins.
    starts: set[tuple[str, Any, bool]] = set()
    i = 0
    while i < len(items):
        node = items[i]
        kind = _literal(node)
        if kind is not None:
            # A run of plain characters of one case handling is one literal start.
            text = chr(node.value)
            i += 1
            while i < len(items) and len(text) < _MAX_LITERAL and _literal(items[i]) == kind:
                text += chr(items[i].value)
                i += 1
            starts.add((kind, text, boundary))
            return starts, False
        if type(node).__name__ == "Character":
            return None
        found = _node(node, boundary)
        if found is None:
            return None
        starts |= found[0]
        if not found[1]:
            return starts, False
        boundary = boundary or _is_word_boundary(node)
        i += 1
    return starts, True


def digit_positions(text: str) -> list[int]:
    """Offsets of the characters ``\\d`` matches (Unicode), for texts that are not ASCII."""
    return [m.start() for m in _DIGIT.finditer(text)]


_DIGIT = regex.compile(r"\d", regex.V0)
# Zero-width: whether the plain \b holds at a place (``BOUNDARY.match(text, at)``).
BOUNDARY = regex.compile(r"\b", regex.V0)
