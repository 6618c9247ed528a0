"""Gazetteer rules: an Aho-Corasick automaton over the terms, matches on token boundaries only.

One pass over the text finds every term occurrence whatever the number of terms
(a regex alternation of 50,000 terms is about 100x slower); a boundary check and a
greedy longest-first pick then keep the matches a reader would.

An engine scans its small gazetteers together (``PhraseSet``): one automaton per case
handling instead of one pass per rule, each hit tagged with the gazetteer(s) it belongs to,
so every rule still gets exactly the matches it would get alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cached_property

import ahocorasick

from annotator.rules.doc import Doc, fold, is_word_char
from annotator.rules.kinds.regex_starts import Starts, digit_positions
from annotator.rules.model import Match, Rule, Term, new_match, one_line

# Gazetteers up to this many keys are merged into the engine's shared automata; bigger ones
# keep their own (rebuilding a 50,000-term automaton whenever a small rule is edited would
# cost more than the extra pass over the text).
SHARE_LIMIT = 20_000

# One found term: (start, end, term or explanation, canonical).
Found = tuple[int, int, str, "str | None"]


def _pick(found: list[tuple[int, int, str, str | None]]) -> list[Found]:
    """Greedy leftmost, then longest, non-overlapping pick over ``(start, -length, why, canonical)``."""
    found.sort()
    picked = []
    taken_to = -1
    for start, neg_len, term, canonical in found:
        if start >= taken_to:
            taken_to = start - neg_len
            picked.append((start, taken_to, term, canonical))
    return picked


class Gazetteer:
    """Terms -> automaton, built once; ``find`` returns ``(start, end, term, canonical)``."""

    def __init__(self, terms: Iterable[Term], *, case_sensitive: bool = True,
                 also_upper: bool = False,
                 explain: Callable[[str, str | None], str] | None = None) -> None:
        self.case_sensitive = case_sensitive
        # key -> (length, term or explanation, canonical, starts with a word char, ends with one)
        entries: dict[str, tuple[int, str, str | None, bool, bool]] = {}
        for term, canonical in terms:
            variants = (term, term.upper()) if also_upper else (term,)
            for variant in variants:
                key = variant if case_sensitive else fold(variant)
                # The first spelling of a key wins, so a term file's order decides the canonical form.
                if key.strip() and key not in entries:
                    # Whether the term starts / ends with a word character: only then does
                    # the neighbouring character decide the boundary.
                    # The explanation is rendered once here, not once per match.
                    entries[key] = (len(key), explain(term, canonical) if explain else term,
                                    canonical, is_word_char(key[0]), is_word_char(key[-1]))
        self.entries = entries
        self.size = len(entries)
        if self.size > SHARE_LIMIT:
            _ = self._automaton  # a big gazetteer is scanned alone: build it now, not on first use

    @cached_property
    def _automaton(self) -> ahocorasick.Automaton:
        automaton = ahocorasick.Automaton()
        for key, value in self.entries.items():
            automaton.add_word(key, value)
        if self.size:
            automaton.make_automaton()
        return automaton

    def find(self, text: str, folded: str | None = None) -> list[Found]:
        """Non-overlapping matches on word boundaries, leftmost first, longest at each start.

        The third item is the term, or its explanation when the gazetteer was built with ``explain``.
        """
        if not self.size:
            return []
        haystack = text if self.case_sensitive else (folded if folded is not None else fold(text))
        n = len(text)
        found = []
        # The hot loop of the engine: the word-character test is inlined on purpose.
        for last, (length, term, canonical, word_start, word_end) in self._automaton.iter(haystack):
            start = last - length + 1
            if word_start and start > 0:
                c = text[start - 1]
                if c.isalnum() or c == "_" or "\u0300" <= c <= "\u036f":
                    continue
            if word_end and last + 1 < n:
                c = text[last + 1]
                if c.isalnum() or c == "_" or "\u0300" <= c <= "\u036f":
                    continue
            found.append((start, -length, term, canonical))
        return _pick(found)


def find_few(text: str, terms: Iterable[str]) -> list[Found]:
    """``Gazetteer([(t, None) for t in terms]).find(text)`` for a handful of case-sensitive terms.

    Without building an automaton (context rules look up the few names of one document):
    every occurrence of each term by ``str.find``, the same boundary check, the same pick.
    """
    found: list[tuple[int, int, str, str | None]] = []
    n = len(text)
    seen: set[str] = set()
    for term in terms:
        if term in seen or not term.strip():
            continue
        seen.add(term)
        length = len(term)
        word_start, word_end = is_word_char(term[0]), is_word_char(term[-1])
        start = text.find(term)
        while start != -1:
            last = start + length - 1
            ok = True
            if word_start and start > 0:
                c = text[start - 1]
                if c.isalnum() or c == "_" or "\u0300" <= c <= "\u036f":
                    ok = False
            if ok and word_end and last + 1 < n:
                c = text[last + 1]
                if c.isalnum() or c == "_" or "\u0300" <= c <= "\u036f":
                    ok = False
            if ok:
                found.append((start, -length, term, None))
            start = text.find(term, start + 1)
    return _pick(found)


class PhraseSet:
    """Several gazetteers scanned in one pass per case handling; ``find`` gives each its own matches.

    A key shared by several gazetteers is stored once with every owner's entry, so one
    hit serves them all; the boundary check and the longest-match pick stay per gazetteer.
    """

    def __init__(self, gazetteers: Sequence[Gazetteer], starts: Sequence[Starts] = ()) -> None:
        self.gazetteers = tuple(gazetteers)
        # Regex rules' literal starts (regex_starts): found in the same pass, no boundary check.
        self.starts = tuple(starts)
        self._exact = self._build(case_sensitive=True)
        self._folded = self._build(case_sensitive=False)
        # Rules whose matches may start at any Unicode digit: besides the ASCII digits (keys of
        # the automaton), a text that is not pure ASCII is searched for the others.
        self._unicode_digits = [slot for slot, s in enumerate(self.starts) if s.digits]

    def _build(self, *, case_sensitive: bool) -> ahocorasick.Automaton | None:
        # key -> (length, word start, word end, gazetteer owners, regex-start slots)
        merged: dict[str, tuple[int, bool, bool, list[tuple[int, str, str | None]], list[int]]] = {}
        for slot, g in enumerate(self.gazetteers):
            if g.case_sensitive != case_sensitive:
                continue
            for key, (length, why, canonical, word_start, word_end) in g.entries.items():
                value = merged.get(key)
                if value is None:
                    merged[key] = (length, word_start, word_end, [(slot, why, canonical)], [])
                else:
                    value[3].append((slot, why, canonical))
        for slot, starts in enumerate(self.starts):
            keys = set(starts.exact if case_sensitive else starts.folded)
            if case_sensitive and starts.digits:
                keys.update("0123456789")
            for key in keys:
                value = merged.get(key)
                if value is None:
                    merged[key] = (len(key), False, False, [], [slot])
                else:
                    value[4].append(slot)
        if not merged:
            return None
        automaton = ahocorasick.Automaton()
        for key, (length, word_start, word_end, owners, slots) in merged.items():
            automaton.add_word(key, (length, word_start, word_end, tuple(owners), tuple(slots)))
        automaton.make_automaton()
        return automaton

    def find(self, text: str, folded: Callable[[], str]) -> dict[Gazetteer, list[Found]]:
        """Each gazetteer's matches, exactly as ``Gazetteer.find`` would return them."""
        return self.scan(text, folded)[0]

    def scan(self, text: str, folded: Callable[[], str]
             ) -> tuple[dict[Gazetteer, list[Found]], list[list[int]]]:
        """``find``, and for each of ``starts`` the offsets where its strings begin, in order."""
        found: list[list[tuple[int, int, str, str | None]]] = [[] for _ in self.gazetteers]
        begins: list[list[int]] = [[] for _ in self.starts]
        n = len(text)
        for automaton, haystack in ((self._exact, text), (self._folded, None)):
            if automaton is None:
                continue
            if haystack is None:
                haystack = folded()
            for last, (length, word_start, word_end, owners, slots) in automaton.iter(haystack):
                start = last - length + 1
                if slots:
                    for slot in slots:
                        begins[slot].append(start)
                    if not owners:
                        continue
                if word_start and start > 0:
                    c = text[start - 1]
                    if c.isalnum() or c == "_" or "\u0300" <= c <= "\u036f":
                        continue
                if word_end and last + 1 < n:
                    c = text[last + 1]
                    if c.isalnum() or c == "_" or "\u0300" <= c <= "\u036f":
                        continue
                for slot, why, canonical in owners:
                    found[slot].append((start, -length, why, canonical))
        if self._unicode_digits and not text.isascii():
            digits = digit_positions(text)
            for slot in self._unicode_digits:
                begins[slot] += digits
        return ({g: _pick(f) if f else [] for g, f in zip(self.gazetteers, found)},
                [sorted(set(b)) for b in begins])


class PhraseMatcher:
    """A compiled phrase rule."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.gazetteer = Gazetteer(
            rule.terms,
            case_sensitive=bool(rule.pattern.get("case_sensitive", True)),
            also_upper=bool(rule.pattern.get("also_upper", False)),
            explain=self._explain,
        )

    def _explain(self, term: str, canonical: str | None) -> str:
        note = f' = "{canonical}"' if canonical else ""
        return f'phrase "{one_line(term)}"{note} in gazetteer {self.rule.name}'

    def __call__(self, doc: Doc, deadline: object = None) -> list[Match]:
        found = doc.find(self.gazetteer)
        if not found:
            return []
        rule = self.rule
        text, label, name, version = doc.text, rule.label, rule.name, rule.version
        priority, overlap = rule.priority, rule.allow_overlap
        return [new_match((start, end, label, text[start:end], name, version, why, priority, overlap))
                for start, end, why, _canonical in found]
