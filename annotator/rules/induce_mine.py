"""Candidate rules mined from finished documents: the pure counting half of rule induction.

Three sources, each giving rule definitions (plain dicts, as a rule file holds them) with a
stable key and a summary; ``induce`` measures them and keeps the good ones.
- context: the word right before or after the spans of a label ("kata X", "X mengatakan");
- terms: the texts marked with a label at least twice, with the case variants seen;
- sequences: what a span is made of, or stands next to, in the first stage's labels
  (ORG "(" Xx ")" LOC -> ORG; ROLE then capitalised words -> PERSON; "Xx , ROLE" -> PERSON).
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.rules.doc import Doc

# Rule names of induced rules start with this; a turned-down proposal is kept as a switched-off
# rule of the same name, so it is not proposed again.
INDUCED_PREFIX = "induced-"
CONTEXT_PRIORITY = 9  # below the titles and the gazetteers: a trigger word is a weaker cue
TERMS_PRIORITY = 11  # like the learned terms: the analyst's own spans
SEQUENCE_PRIORITY = 13  # a longer name built of known parts wins over its parts
MAX_NAME_TOKENS = 6
# A word counts as name-like when it starts with a capital; a set of spans is "cased" when this
# share of their words are (lower-cased corpora have none, and then other patterns are built).
CASED_SHARE = 0.8

Span = tuple[int, int, str]
# ("L", label) | ("T", punct) | ("CAP",) | ("D",) a number | ("W", word) | ("ANY",) any word
Element = tuple[str, ...]


@dataclass
class Prepared:
    """One finished document ready for induction: its engine ``Doc`` (``earlier`` = the existing
    rules' first stage), its spans, and what the existing rules already propose in it."""

    doc: Doc
    gold: set[Span]
    known: set[Span]
    # token index -> the first-stage match lying wholly inside which it is (index into earlier)
    inside: dict[int, int] = field(default_factory=dict)
    labels: set[str] = field(default_factory=set)  # of the first-stage matches


@dataclass(frozen=True)
class Candidate:
    kind: str  # "context" | "terms" | "sequence"
    key: str
    definition: dict[str, Any]
    summary: str


def prepare_inside(p: Prepared) -> None:
    starts, ends = p.doc.starts, p.doc.ends
    p.labels = {m.label for m in p.doc.earlier}
    for k, m in enumerate(p.doc.earlier):
        for t in range(bisect.bisect_left(starts, m.start), bisect.bisect_right(ends, m.end)):
            p.inside.setdefault(t, k)


def token_range(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """(first, last) token of a span that begins and ends on token boundaries, else None."""
    a = bisect.bisect_left(doc.starts, start)
    b = bisect.bisect_left(doc.ends, end)
    if a >= len(doc.starts) or doc.starts[a] != start or b >= len(doc.ends) or doc.ends[b] != end:
        return None
    return (a, b) if a <= b else None


def slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")
    return out or hashlib.sha1(text.encode()).hexdigest()[:6]


def _is_word(w: str) -> bool:
    return w[:1].isalpha()


def _cased(words: Sequence[str]) -> bool:
    letters = [w for w in words if _is_word(w)]
    return bool(letters) and sum(w[0].isupper() for w in letters) >= CASED_SHARE * len(letters)


def _variants(seen: Counter[str]) -> list[str]:
    """The trigger as written in the corpus, and its lower-case and capitalised forms."""
    forms = set(seen)
    for w in list(seen):
        forms |= {w.lower(), w[:1].upper() + w[1:].lower()}
    return sorted(forms)


# -- context ----------------------------------------------------------------------------------


def context_candidates(
    docs: Sequence[Prepared], min_hits: int, min_precision: float, limit: int
) -> list[Candidate]:
    """One candidate per (label, trigger word, side) seen often and mostly beside that label."""
    beside: dict[tuple[str, str, str], list[tuple[int, int, int]]] = defaultdict(list)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    occurrences: Counter[str] = Counter()
    for n, p in enumerate(docs):
        words, breaks = p.doc.words, p.doc.break_before
        occurrences.update(w.lower() for w in words if _is_word(w))
        for start, end, label in p.gold:
            tokens = token_range(p.doc, start, end)
            if tokens is None:
                continue
            a, b = tokens
            if a > 0 and not breaks[a] and _is_word(words[a - 1]):
                beside[(label, "after", words[a - 1].lower())].append((n, a, b))
                forms[words[a - 1].lower()][words[a - 1]] += 1
            if b + 1 < len(words) and not breaks[b + 1] and _is_word(words[b + 1]):
                beside[(label, "before", words[b + 1].lower())].append((n, a, b))
                forms[words[b + 1].lower()][words[b + 1]] += 1
    ranked = sorted(
        (
            (len(spans), key)
            for key, spans in beside.items()
            if len(spans) >= min_hits
            # at most half the precision asked is lost to the name's boundaries
            and len(spans) >= min_precision / 2 * occurrences[key[2]]
        ),
        reverse=True,
    )
    out = []
    for _, (label, side, trigger) in ranked[:limit]:
        spans = beside[(label, side, trigger)]
        out.append(_context_rule(docs, label, side, trigger, forms[trigger], spans))
    return out


def _context_rule(
    docs: Sequence[Prepared],
    label: str,
    side: str,
    trigger: str,
    seen: Counter[str],
    spans: list[tuple[int, int, int]],
) -> Candidate:
    words = [w for n, a, b in spans for w in docs[n].doc.words[a : b + 1]]
    lengths = Counter(b - a + 1 for _, a, b in spans)
    longest = min(max(lengths), MAX_NAME_TOKENS)
    name = f"{INDUCED_PREFIX}{slug(label)}-{side}-{slug(trigger)}"
    where = "right after" if side == "after" else "right before"
    common = {"name": name, "label": label, "priority": CONTEXT_PRIORITY}
    if _cased(words) and side == "after":
        pattern: dict[str, Any] = {
            "type": "after_trigger",
            "triggers": [trigger],
            "max_tokens": longest,
            "skip_labels": [],
        }
        summary = f'{label}: capitalised words {where} "{trigger}"'
        definition = {**common, "kind": "context", "pattern": pattern}
    else:
        if _cased(words):
            name_part = [{"REGEX": r"^\p{Lu}"}] + [{"REGEX": r"^\p{Lu}", "OP": "?"}] * (longest - 1)
            said = "a capitalised word" if longest == 1 else f"up to {longest} capitalised words"
            summary = f'{label}: {said} {where} "{trigger}"'
        else:
            size = lengths.most_common(1)[0][0]
            name_part = [{"REGEX": r"^\p{L}"}] * size
            summary = f'{label}: the {size} word{"s" * (size > 1)} {where} "{trigger}"'
        trig = {"IN": _variants(seen)}
        if side == "after":
            tokens, span = [trig, *name_part], [1, 1 + len(name_part)]
        else:
            tokens, span = [*name_part, trig], [0, len(name_part)]
        definition = {**common, "kind": "token", "pattern": {"tokens": tokens, "span": span}}
    definition["description"] = f"Induced from finished documents: {summary}"
    return Candidate("context", f"context:{label}:{side}:{trigger}", definition, summary)


# -- terms ------------------------------------------------------------------------------------


def term_candidates(
    docs: Sequence[Prepared], known_terms: dict[str, set[str]], min_seen: int
) -> list[Candidate]:
    """Per label, one phrase rule of the texts marked with it at least ``min_seen`` times (case
    variants together), minus the terms a phrase rule of that label already has."""
    seen: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for p in docs:
        text = p.doc.text
        for start, end, label in p.gold:
            term = text[start:end]
            if "\n" in term or len(term) < 2 or not any(c.isalpha() for c in term):
                continue
            seen[label][term.casefold()][term] += 1
    out = []
    for label, by_fold in sorted(seen.items()):
        have = known_terms.get(label, set())
        terms = sorted(
            form
            for forms in by_fold.values()
            if sum(forms.values()) >= min_seen
            for form in forms
            if form not in have
        )
        if not terms:
            continue
        definition = {
            "name": f"{INDUCED_PREFIX}terms-{slug(label)}",
            "label": label,
            "kind": "phrase",
            "priority": TERMS_PRIORITY,
            "description": f"Induced from finished documents: texts marked {label} repeatedly",
            "pattern": {"terms": terms},
        }
        out.append(Candidate("terms", f"terms:{label}", definition, ""))
    return out


# -- sequences of labels ------------------------------------------------------------------------


def _elements(p: Prepared, a: int, b: int, generic_lower: bool) -> list[Element]:
    """Tokens a..b as pattern elements: a first-stage match inside the span is its label, a
    punctuation mark itself, a capitalised word any capitalised word, a lower-case word itself
    (or any word, with ``generic_lower``: lower-cased text has no other cue)."""
    words, earlier = p.doc.words, p.doc.earlier
    lo, hi = p.doc.starts[a], p.doc.ends[b]
    out: list[Element] = []
    for t in range(a, b + 1):
        w, k = words[t], p.inside.get(t)
        if k is not None and lo <= earlier[k].start and earlier[k].end <= hi:
            e: Element = ("L", earlier[k].label)
        elif not w[:1].isalnum():
            e = ("T", w)
        elif w.isdigit():
            e = ("D",)  # any number: "RT 6", "Jalan Sudirman 4"
        elif w[0].isupper():
            e = ("CAP",)
        else:
            e = ("ANY",) if generic_lower else ("W", w)
        if e[0] in ("L", "CAP") and out and out[-1] == e:
            continue  # one element takes the run ("+")
        out.append(e)
    return out


def _neighbour(p: Prepared, t: int, edge: int, at_end: bool) -> str | None:
    """The label of the first-stage match through token ``t`` that ends (``at_end``) or starts
    at ``edge``, else None."""
    k = p.inside.get(t)
    if k is None:
        return None
    m = p.doc.earlier[k]
    return m.label if (m.end if at_end else m.start) == edge else None


Signature = tuple[str, tuple[Element, ...]]  # ("=" inside | "<" after | ">" before, elements)


def _signatures(p: Prepared, start: int, end: int, label: str) -> Iterator[Signature]:
    """What the span is made of (when a first-stage label is inside it), and what it stands
    after or before (a first-stage match right beside it, a comma between allowed after it)."""
    tokens = token_range(p.doc, start, end)
    if tokens is None:
        return
    a, b = tokens
    words, breaks = p.doc.words, p.doc.break_before
    inner = _elements(p, a, b, generic_lower=False)
    if any(e[0] == "L" for e in inner) and inner != [("L", label)] and len(inner) >= 2:
        yield ("=", tuple(inner))
    inner = _elements(p, a, b, generic_lower=not _cased(words[a : b + 1]))
    if a > 0 and not breaks[a]:
        left = _neighbour(p, a - 1, p.doc.ends[a - 1], at_end=True)
        if left:
            yield ("<", (("L", left), *inner))
    c = b + 1
    if c < len(words) and words[c] == "," and not breaks[c]:
        c += 1
    if c < len(words) and not breaks[c]:
        right = _neighbour(p, c, p.doc.starts[c], at_end=False)
        if right:
            comma: tuple[Element, ...] = (("T", ","),) if c > b + 1 else ()
            yield (">", (*inner, *comma, ("L", right)))


def _constraint(e: Element) -> dict[str, Any]:
    if e[0] == "L":
        return {"LABEL": e[1], "OP": "+"}
    if e[0] == "T":
        return {"TEXT": e[1]}
    if e[0] == "CAP":
        return {"REGEX": r"^\p{Lu}", "OP": "+"}
    if e[0] == "W":
        return {"IN": [e[1]]}
    if e[0] == "D":
        return {"IS_DIGIT": True}
    return {"REGEX": r"^\p{L}"}


def _shown(e: Element) -> str:
    if e[0] == "L":
        return e[1]
    if e[0] in ("T", "W"):
        return f'"{e[1]}"'
    return {"CAP": "Xx…", "D": "9"}.get(e[0], "word")


def sequence_candidates(docs: Sequence[Prepared], min_hits: int, limit: int) -> list[Candidate]:
    """Label sequences seen at least ``min_hits`` times around or inside spans the existing
    rules did not already propose."""
    counts: Counter[tuple[str, Signature]] = Counter()
    for p in docs:
        for start, end, label in p.gold:
            if (start, end, label) in p.known:
                continue
            for signature in set(_signatures(p, start, end, label)):
                counts[(label, signature)] += 1
    out = []
    for (label, (mode, elements)), seen in counts.most_common(limit):
        if seen < min_hits:
            break
        tokens = [_constraint(e) for e in elements]
        shown = [_shown(e) for e in elements]
        if mode == "=":
            span, summary = [0, len(tokens)], f"{' '.join(shown)} -> {label}"
        elif mode == "<":
            span = [1, len(tokens)]
            summary = f"{' '.join(shown[1:])} after {shown[0]} -> {label}"
        else:
            inner = len(tokens) - (2 if elements[-2:-1] == (("T", ","),) else 1)
            span = [0, inner]
            summary = f"{' '.join(shown[:inner])} before {' '.join(shown[inner:])} -> {label}"
        pattern = {"tokens": tokens, "span": span}
        digest = hashlib.sha1(json.dumps([label, pattern], sort_keys=True).encode()).hexdigest()
        definition = {
            "name": f"{INDUCED_PREFIX}{slug(label)}-seq-{digest[:8]}",
            "label": label,
            "kind": "token",
            "priority": SEQUENCE_PRIORITY,
            "description": f"Induced from finished documents: {summary}",
            "pattern": pattern,
        }
        out.append(Candidate("sequence", f"sequence:{label}:{digest[:8]}", definition, summary))
    return out
