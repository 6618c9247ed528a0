"""Gazetteer rules: an Aho-Corasick automaton over the terms, matches on token boundaries only.

One pass over the text finds every term occurrence whatever the number of terms (a regex
alternation of 50,000 terms is about 100x slower). The boundary test is part of the pass:
the automata read the text's *word mask* (``doc.word_mask``: every character that is not a
word character made a space) and a term's key there ends with a space when the term ends
with a word character, so "Iran" is never found inside "Iranian". A hit is then checked
against the real text (the mask makes "St. Petersburg" and "St, Petersburg" alike) and, when
the term starts with a word character, against the character before it.

A gazetteer on its own asks the automaton for the leftmost-longest matches directly: one hit
per match, no pick in Python. Should one of them fail those checks (it might hide a shorter
match) the text is searched again for every occurrence, and the pick is made here.

An engine scans its small gazetteers together (``PhraseSet``): one automaton per case
handling instead of one pass per rule, each hit tagged with the gazetteer(s) it belongs to,
so every rule still gets exactly the matches it would get alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cached_property
from itertools import accumulate

import ahocorasick_rs

from annotator.rules.doc import Doc, fold, is_word_char, word_mask
from annotator.rules.kinds.regex_starts import BOUNDARY, Starts, digit_positions
from annotator.rules.kinds.registry import (
    Field,
    Kind,
    RuleKind,
    TermKeys,
    boolean,
    needs_one_of,
)
from annotator.rules.model import Match, Rule, Term, match_maker, one_line

# Gazetteers up to this many keys are merged into the engine's shared automata; bigger ones
# keep their own (rebuilding a 50,000-term automaton whenever a small rule is edited would
# cost more than the extra pass over the text).
SHARE_LIMIT = 20_000

# One found term: (start, end, term or explanation, canonical).
Found = tuple[int, int, str, "str | None"]
# A term behind a masked key: (key as it stands in the searched text, length, why, canonical).
Candidate = tuple[str, int, str, "str | None"]
# A term of a shared scan: (gazetteer slot, key, length, why, canonical).
Owner = tuple[int, str, int, str, "str | None"]
# Per key of a shared automaton: in the mask, whether it starts with a word character, its
# owners and the regex-start slots; in the plain text, the owners of bare terms and the slots.
MaskedScan = tuple[
    ahocorasick_rs.AhoCorasick, list[bool], list[tuple[Owner, ...]], list[tuple[int, ...]]
]
PlainScan = tuple[ahocorasick_rs.AhoCorasick, list[tuple[Owner, ...]], list[tuple[int, ...]]]


def _pick(found: list[tuple[int, int, str, str | None]]) -> list[Found]:
    """Greedy leftmost, then longest, non-overlapping pick over
    ``(start, -length, why, canonical)``."""
    found.sort()
    picked = []
    taken_to = -1
    for start, neg_len, term, canonical in found:
        if start >= taken_to:
            taken_to = start - neg_len
            picked.append((start, taken_to, term, canonical))
    return picked


# Hits inside words after which a gazetteer's leftmost-longest search starts again, before it
# gives way to the search for every occurrence (each restart searches the rest of the text).
_RESTARTS = 8
# Up to this many keys an every-occurrence automaton is built as a DFA: on news text it
# searches the shared sets 2-2.5x faster than the default NFA, for a build of ~15 ms and a
# few MB per 3,000 keys; bigger ones (and the big gazetteers' leftmost-longest automata,
# where the DFA is slower) keep the default.
_DFA_LIMIT = 5000


_SURROGATES = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """``text`` with its lone surrogates (a JSON import can leave some) made U+FFFD, same
    length: the Rust automata take only text that encodes to UTF-8. The word mask never has
    any (they are not word characters); only the scan of the plain text needs this."""
    return _SURROGATES.sub("\ufffd", text)


def _fold_each(strings: list[str]) -> list[str]:
    """``[fold(s) for s in strings]`` in one call: folding is done character by character."""
    parts = fold("\n".join(strings)).split("\n")
    return parts if len(parts) == len(strings) else [fold(s) for s in strings]


def _word_head(string: str) -> str:
    """The leading word characters of ``string`` ("Jum'at" -> "Jum", "(" -> "")."""
    for k, ch in enumerate(string):
        if not is_word_char(ch):
            return string[:k]
    return string


def _automaton(keys: list[str], *, longest: bool = False) -> ahocorasick_rs.AhoCorasick:
    if longest:
        return ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    if len(keys) <= _DFA_LIMIT:
        return ahocorasick_rs.AhoCorasick(keys, implementation=ahocorasick_rs.Implementation.DFA)
    return ahocorasick_rs.AhoCorasick(keys)


class Gazetteer:
    """Terms -> automaton, built once; ``find`` returns ``(start, end, term, canonical)``."""

    def __init__(
        self, terms: Iterable[Term], *, case_sensitive: bool = True, also_upper: bool = False
    ) -> None:
        self.case_sensitive = case_sensitive
        # Built in whole-list steps (comprehensions; one fold and one mask of all the keys
        # joined): every worker process of a corpus run compiles the 50,000-term gazetteer, and
        # a loop taking each term through every step cost twice the automaton's build.
        pairs = list(terms)
        spelt = [term for term, _ in pairs]
        if also_upper:
            spelt = [v for term in spelt for v in (term, term.upper())]
        step = 2 if also_upper else 1
        keys = spelt if case_sensitive else _fold_each(spelt)
        # The first spelling of a key wins (a term file's order decides the canonical form);
        # blank keys are dropped. ``owners``: the (term, canonical) each key stands for.
        if len(dict.fromkeys(keys)) == len(keys) and all(map(str.strip, keys)):
            owners = pairs if step == 1 else [pairs[i // 2] for i in range(len(keys))]
        else:
            first: dict[str, int] = {}
            for i, key in enumerate(keys):
                first.setdefault(key, i)
            keys = [key for key in first if key.strip()]
            owners = [pairs[first[key] // step] for key in keys]
        self.size = len(keys)
        lengths = list(map(len, keys))
        # A term's key in the word mask, and a space after it when it ends with a word character
        # (only then does the next character decide the boundary). All keys masked in one call,
        # then cut apart: the "\n" between two keys is masked like any other separator.
        masked_all = word_mask("\n".join(keys))
        ends = list(accumulate([n + 1 for n in lengths]))
        pieces = [masked_all[end - n - 1 : end - 1] for end, n in zip(ends, lengths, strict=True)]
        masked_keys = [m if m[-1] == " " else m + " " for m in pieces]
        # The third item of a candidate: its term (with also_upper, the term the key came from).
        candidates: list[Candidate] = [
            (key, n, term, canonical)
            for key, n, (term, canonical) in zip(keys, lengths, owners, strict=True)
        ]
        # A key with no word character at all ("&") has no masked form worth searching: such
        # ``bare`` ones are found in the text itself.
        self.bare: list[Candidate] = [
            c for c, m in zip(candidates, pieces, strict=True) if m[0] == " " and not m.strip()
        ]
        self.candidates: list[tuple[Candidate, ...]]
        if not self.bare and len(dict.fromkeys(masked_keys)) == len(masked_keys):
            self.masked_keys = masked_keys
            self.candidates = [(c,) for c in candidates]
        else:
            # Masked key -> its terms, longest first ("Inc." and "Inc" share "Inc ").
            grouped: dict[str, list[Candidate]] = {}
            for mkey, piece, c in zip(masked_keys, pieces, candidates, strict=True):
                if piece[0] != " " or piece.strip():
                    grouped.setdefault(mkey, []).append(c)
            self.masked_keys = list(grouped)
            self.candidates = [
                tuple(c) if len(c) == 1 else tuple(sorted(c, key=lambda c: -c[1]))
                for c in grouped.values()
            ]
        # Whether each masked key starts with a word character (then so does each of its terms).
        self.word_start = [k[0] != " " for k in self.masked_keys]
        # Leftmost-longest hits in the mask end one character after a term that needs a
        # boundary there; a term starting with a non-word character could begin on that
        # character unseen, so such gazetteers always take the every-occurrence search.
        self._longest_ok = not self.bare and all(self.word_start)
        if self.size > SHARE_LIMIT:
            # A big gazetteer is scanned alone: build it now, not on first use.
            _ = self._longest if self._longest_ok else self._every

    @cached_property
    def _longest(self) -> ahocorasick_rs.AhoCorasick:
        return _automaton(self.masked_keys, longest=True)

    @cached_property
    def _every(self) -> ahocorasick_rs.AhoCorasick | None:
        return _automaton(self.masked_keys) if self.masked_keys else None

    def find(self, text: str, folded: str | None = None, masked: str | None = None) -> list[Found]:
        """Non-overlapping matches on word boundaries, leftmost first, longest at each start.

        The third item is the term, or its explanation when the gazetteer was built with
        ``explain``. ``folded`` and ``masked`` (the folded text for a case-insensitive
        gazetteer; ``word_mask`` of what it searches plus a space) are computed when not given.
        """
        if not self.size:
            return []
        haystack = text if self.case_sensitive else (folded if folded is not None else fold(text))
        if masked is None:
            masked = word_mask(haystack) + " "
        if self._longest_ok:
            found = self._find_longest(haystack, masked)
            if found is not None:
                return found
        return self._find_every(haystack, masked)

    def _find_longest(self, haystack: str, masked: str) -> list[Found] | None:
        """The matches from the leftmost-longest hits, or None when a hit fails its checks.

        A hit that starts inside a word ("rian" in "kementerian") is no match, and it may hide
        one that starts after it: the search starts again where that word ends (no match can
        start inside it). More than a few of those in a text, and the caller's search for every
        occurrence is cheaper.
        """
        candidates = self.candidates
        startswith = haystack.startswith
        find = self._longest.find_matches_as_indexes
        out = []
        offset = restarts = 0
        hits = find(masked)
        while True:
            # The hot loop of the engine: every masked key starts with a word character here.
            for index, start, _end in hits:
                start += offset
                if start and masked[start - 1] != " ":
                    break  # it starts inside a word
                for key, length, why, canonical in candidates[index]:
                    if startswith(key, start):
                        out.append((start, start + length, why, canonical))
                        break
                else:
                    return None  # the mask matched, the spelling does not
            else:
                return out
            restarts += 1
            if restarts > _RESTARTS:
                return None
            offset = masked.find(" ", start)  # the end of that word (the mask ends with a space)
            hits = find(masked[offset:])

    def _find_every(self, haystack: str, masked: str) -> list[Found]:
        found: list[tuple[int, int, str, str | None]] = []
        if self._every is not None:
            candidates, word_start = self.candidates, self.word_start
            startswith = haystack.startswith
            for index, start, _end in self._every.find_matches_as_indexes(masked, overlapping=True):
                if start and word_start[index] and masked[start - 1] != " ":
                    continue
                for key, length, why, canonical in candidates[index]:
                    if startswith(key, start):
                        found.append((start, -length, why, canonical))
        for key, length, why, canonical in self.bare:
            at = haystack.find(key)
            while at != -1:
                found.append((at, -length, why, canonical))
                at = haystack.find(key, at + 1)
        return _pick(found)


class PhraseSet:
    """Several gazetteers scanned in one pass per case handling; ``find`` gives each its matches.

    A key shared by several gazetteers is stored once with every owner's entry, so one
    hit serves them all; the boundary check and the longest-match pick stay per gazetteer.
    The terms are searched in the word mask, and so are the regex rules' literal starts, cut
    to their leading word characters ("Jum'at" -> "Jum": the mask keeps those as they are,
    and a match that starts with the whole string starts with that part). Starts that begin
    with another character ("(") and bare terms ("&") take a second automaton, over the text.
    """

    def __init__(self, gazetteers: Sequence[Gazetteer], starts: Sequence[Starts] = ()) -> None:
        self.gazetteers = tuple(gazetteers)
        # Regex rules' literal starts (regex_starts): found where they stand, no boundary check.
        self.starts = tuple(starts)
        self._masked = {cs: self._build_masked(cs) for cs in (True, False)}
        self._plain = {cs: self._build_plain(cs) for cs in (True, False)}
        # Rules whose matches may start at any Unicode digit: besides the ASCII digits (keys of
        # the automaton), a text that is not pure ASCII is searched for the others.
        self._unicode_digits = [slot for slot, s in enumerate(self.starts) if s.digits]

    def _start_strings(self, case_sensitive: bool) -> Iterator[tuple[int, str]]:
        """(slot, string) for every literal start of every regex rule, in this case handling."""
        for slot, starts in enumerate(self.starts):
            strings = set(starts.exact if case_sensitive else starts.folded)
            if case_sensitive and starts.digits:
                strings.update("0123456789")
            for string in strings:
                yield slot, string

    def _build_masked(self, case_sensitive: bool) -> MaskedScan | None:
        # masked key -> (starts with a word character, owners, regex-start slots). A term's
        # masked key ends with a space, a start's never does: the two never share a key.
        merged: dict[str, tuple[bool, list[Owner], list[int]]] = {}
        for slot, g in enumerate(self.gazetteers):
            if g.case_sensitive != case_sensitive:
                continue
            for mkey, terms, word_start in zip(
                g.masked_keys, g.candidates, g.word_start, strict=True
            ):
                owners = merged.setdefault(mkey, (word_start, [], []))[1]
                owners.extend((slot, *term) for term in terms)
        for slot, string in self._start_strings(case_sensitive):
            head = _word_head(string)
            if head:
                merged.setdefault(head, (True, [], []))[2].append(slot)
        if not merged:
            return None
        keys = list(merged)
        return (
            _automaton(keys),
            [merged[k][0] for k in keys],
            [tuple(merged[k][1]) for k in keys],
            [tuple(sorted(set(merged[k][2]))) for k in keys],
        )

    def _build_plain(self, case_sensitive: bool) -> PlainScan | None:
        merged: dict[str, tuple[list[Owner], list[int]]] = {}
        for slot, g in enumerate(self.gazetteers):
            if g.case_sensitive == case_sensitive:
                for term in g.bare:
                    merged.setdefault(term[0], ([], []))[0].append((slot, *term))
        for slot, string in self._start_strings(case_sensitive):
            if not _word_head(string):
                merged.setdefault(string, ([], []))[1].append(slot)
        if not merged:
            return None
        keys = list(merged)
        return (
            _automaton(list(map(encodable, keys))),
            [tuple(merged[k][0]) for k in keys],
            [tuple(sorted(set(merged[k][1]))) for k in keys],
        )

    def find(self, text: str, folded: Callable[[], str]) -> dict[Gazetteer, list[Found]]:
        """Each gazetteer's matches, exactly as ``Gazetteer.find`` would return them."""
        return self.scan(text, folded)[0]

    def scan(
        self, text: str, folded: Callable[[], str], masked: Callable[[bool], str] | None = None
    ) -> tuple[dict[Gazetteer, list[Found]], list[list[int]]]:
        """``find``, and for each of ``starts`` the offsets where its strings begin, in order
        (for a ``bounded`` one, only those where ``\\b`` holds).

        ``masked(case_sensitive)``: the word mask (plus a space) of the text or of the folded
        text, when the caller keeps them (a ``Doc``); computed here otherwise.
        """
        found: list[list[tuple[int, int, str, str | None]]] = [[] for _ in self.gazetteers]
        begins: list[list[int]] = [[] for _ in self.starts]
        for case_sensitive in (True, False):
            in_mask, plain = self._masked[case_sensitive], self._plain[case_sensitive]
            if in_mask is None and plain is None:
                continue
            haystack = text if case_sensitive else folded()
            if in_mask is not None:
                mask = masked(case_sensitive) if masked is not None else word_mask(haystack) + " "
                _scan_masked(in_mask, haystack, mask, found, begins)
            if plain is not None:
                _scan_plain(plain, haystack, found, begins)
        if self._unicode_digits and not text.isascii():
            digits = digit_positions(text)
            for slot in self._unicode_digits:
                begins[slot] += digits
        places = self._places(text, begins)
        return {
            g: _pick(f) if f else [] for g, f in zip(self.gazetteers, found, strict=True)
        }, places

    def _places(self, text: str, begins: list[list[int]]) -> list[list[int]]:
        """Each regex rule's start offsets, sorted, once each; for a ``bounded`` one (it asserts
        ``\\b`` before every start) only those where ``\\b`` holds, tested once per offset for
        every such rule (the digits of a date are shared by several)."""
        places = [sorted(set(b)) for b in begins]
        boundary: dict[int, bool] = {}
        for slot, starts in enumerate(self.starts):
            if starts.bounded and places[slot]:
                kept = []
                for at in places[slot]:
                    ok = boundary.get(at)
                    if ok is None:
                        ok = boundary[at] = BOUNDARY.match(text, at) is not None
                    if ok:
                        kept.append(at)
                places[slot] = kept
        return places


def _scan_masked(
    scan: MaskedScan,
    haystack: str,
    mask: str,
    found: list[list[tuple[int, int, str, str | None]]],
    begins: list[list[int]],
) -> None:
    """One pass of a shared automaton over the word mask of ``haystack``: each hit adds its
    offset to the regex-start slots it serves (``begins``), and to ``found`` the terms of each
    owning gazetteer that are spelt there and start on a word boundary, as
    ``(start, -length, why, canonical)`` (the form ``_pick`` takes)."""
    automaton, word_start, owners, slots = scan
    startswith = haystack.startswith
    for index, start, _end in automaton.find_matches_as_indexes(mask, overlapping=True):
        if slots[index]:
            for slot in slots[index]:
                begins[slot].append(start)
            if not owners[index]:
                continue
        if start and word_start[index] and mask[start - 1] != " ":
            continue  # it starts inside a word
        for slot, key, length, why, canonical in owners[index]:
            if startswith(key, start):
                found[slot].append((start, -length, why, canonical))


def _scan_plain(
    scan: PlainScan,
    haystack: str,
    found: list[list[tuple[int, int, str, str | None]]],
    begins: list[list[int]],
) -> None:
    """``_scan_masked`` for the keys with no word character to mask (bare terms such as "&",
    starts such as "("), searched in ``haystack`` itself: no boundary test."""
    automaton, bare, slots = scan
    try:
        hits = automaton.find_matches_as_indexes(haystack, overlapping=True)
    except UnicodeEncodeError:  # a lone surrogate in the text
        hits = automaton.find_matches_as_indexes(encodable(haystack), overlapping=True)
    for index, start, _end in hits:
        for slot in slots[index]:
            begins[slot].append(start)
        for slot, key, length, why, canonical in bare[index]:
            if haystack.startswith(key, start):  # not just alike once made encodable
                found[slot].append((start, -length, why, canonical))


class PhraseMatcher:
    """A compiled phrase rule."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.make = match_maker(rule)
        self.gazetteer = Gazetteer(
            rule.terms,
            case_sensitive=bool(rule.pattern.get("case_sensitive", True)),
            also_upper=bool(rule.pattern.get("also_upper", False)),
        )
        # A term's explanation, rendered at its first match (not for every term at compile
        # time: a run meets a few thousand of a 50,000-term gazetteer's terms).
        self._whys: dict[str, str] = {}

    def _explain(self, term: str, canonical: str | None) -> str:
        note = f' = "{canonical}"' if canonical else ""
        why = self._whys[term] = f'phrase "{one_line(term)}"{note} in gazetteer {self.rule.name}'
        return why

    def __call__(self, doc: Doc, deadline: object = None) -> list[Match]:
        found = doc.find(self.gazetteer)
        if not found:
            return []
        text, label, make, whys = doc.text, self.rule.label, self.make, self._whys
        return [
            make(start, end, label, text[start:end], whys.get(term) or self._explain(term, canon))
            for start, end, term, canon in found
        ]


KIND = RuleKind(
    name=Kind.PHRASE,
    matcher=PhraseMatcher,
    fields={
        "terms": Field(),
        "terms_file": Field(),
        "case_sensitive": boolean("case_sensitive"),
        "also_upper": boolean("also_upper"),
    },
    needs=(
        needs_one_of("terms", "terms_file", message="a phrase pattern needs terms or terms_file"),
    ),
    terms=TermKeys("terms", "terms_file"),
)
