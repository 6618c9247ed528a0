"""What every rule of one run sees: the text, its tokens (built once, shared), earlier matches."""

from __future__ import annotations

import bisect
import re
import time
from functools import cached_property, partial
from itertools import accumulate, chain, compress, islice
from operator import itemgetter, le
from typing import TYPE_CHECKING

from annotator.core.tokenize import _TOKEN_RE, Token
from annotator.rules.model import Match

if TYPE_CHECKING:
    from annotator.rules.kinds.phrase import Gazetteer, PhraseSet
    from annotator.rules.kinds.regex_starts import Starts


_SPLIT_RE = re.compile(f"({_TOKEN_RE.pattern})", _TOKEN_RE.flags)
# Match fields (a Match is a tuple): start, end, label, and (start, end).
_START, _END, _LABEL, _START_END = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(0, 1)


class RuleTimeout(Exception):
    """Raised inside a matcher when its rule ran past its time budget on this document."""


# A rule's time budget covers a document of up to this many characters and grows in proportion
# beyond: every rule kind is linear in the text, so a budget fixed per document would stop a
# sound rule on a long article (1 MB takes ten times as long as 100 KB), not a runaway one.
BUDGET_CHARS = 100_000


class Deadline:
    """A per-rule, per-document time budget that loops check cheaply."""

    __slots__ = ("_end", "limit")

    def __init__(self, seconds: float) -> None:
        self.limit = seconds
        self._end = time.perf_counter() + seconds

    @classmethod
    def for_text(cls, seconds: float, text: str) -> Deadline:
        """``seconds`` per rule on a text of up to ``BUDGET_CHARS`` characters, in proportion
        on a longer one."""
        return cls(seconds * max(1.0, len(text) / BUDGET_CHARS))

    def restart(self) -> None:
        """The same budget again, from now (one Deadline serves every rule of a run in turn)."""
        self._end = time.perf_counter() + self.limit

    def remaining(self) -> float:
        return max(self._end - time.perf_counter(), 0.0)

    def check(self) -> None:
        if time.perf_counter() > self._end:
            raise RuleTimeout(f"stopped after {self.limit:g} s on this document")


def is_word_char(ch: str) -> bool:
    # Letters, digits and combining marks continue a word; "Iran" must not match inside "Iranian".
    return ch.isalnum() or ch == "_" or "\u0300" <= ch <= "\u036f"


# word_mask: characters 0-255 map to themselves or to a space in one bytes.translate; above
# 255, a text is masked that way only when every such character is a non-word one (curly
# quotes, dashes), else by a regex substitution (slower, exact for any text).
_WORD_LATIN1 = bytes(c if is_word_char(chr(c)) else 0x20 for c in range(256))
_WORD_BEYOND_LATIN1 = re.compile(r"[^\W\x00-\xff]|[\u0300-\u036f]")
_NOT_WORD = re.compile(r"[^\w\u0300-\u036f]")


def word_mask(text: str) -> str:
    """``text`` with every character that is not a word character (``is_word_char``) made a
    space, same length: a term's boundaries can then be part of what an automaton matches."""
    if text.isascii() or _WORD_BEYOND_LATIN1.search(text) is None:
        return text.encode("latin-1", "replace").translate(_WORD_LATIN1).decode("latin-1")
    return _NOT_WORD.sub(" ", text)


def fold(text: str) -> str:
    """Case-fold without changing the length: offsets in the folded text are offsets in ``text``."""
    folded = text.casefold()
    if len(folded) == len(text):
        return folded
    # Rare: a character whose fold is longer ("ß" -> "ss", "İ" -> "i̇"); fold it alone or keep it.
    out = []
    for ch in text:
        f = ch.casefold()
        if len(f) != 1:
            f = ch.lower()
        out.append(f if len(f) == 1 else ch)
    return "".join(out)


if TYPE_CHECKING:
    computed_once = cached_property
else:

    class computed_once:
        """``functools.cached_property`` without the lock Python 3.11 takes on every first use
        (a dozen per document, the engine's fixed cost): the value goes in the instance dict,
        which then answers every later read. Documents are not shared between threads."""

        def __init__(self, func):
            self.func = func
            self.name = func.__name__
            self.__doc__ = func.__doc__

        def __set_name__(self, owner, name):
            self.name = name

        def __get__(self, instance, owner=None):
            if instance is None:
                return self
            value = instance.__dict__[self.name] = self.func(instance)
            return value


class Doc:
    """One document prepared for matching; tokens and lookups are computed on first use."""

    def __init__(
        self, text: str, phrases: PhraseSet | None = None, anchors: frozenset[str] | None = None
    ) -> None:
        self.text = text
        self.earlier: list[Match] = []
        # The engine's shared gazetteer scan, run on first use for every gazetteer in it.
        self.phrases = phrases
        # Every anchor word of the engine's token rules: their positions are found in one pass.
        self.anchors = anchors

    @computed_once
    def _scan(
        self,
    ) -> tuple[dict[Gazetteer, list[tuple[int, int, str, str | None]]], dict[Starts, list[int]]]:
        phrases = self.phrases
        if phrases is None:
            return {}, {}
        found, begins = phrases.scan(self.text, lambda: self.folded, self._masked_for)
        return found, dict(zip(phrases.starts, begins, strict=True))

    def find(self, gazetteer: Gazetteer) -> list[tuple[int, int, str, str | None]]:
        """``gazetteer.find`` on this text, from the shared scan when the gazetteer is in it."""
        found = self._scan[0].get(gazetteer)
        if found is None:
            if gazetteer.case_sensitive:
                found = gazetteer.find(self.text, masked=self.masked)
            else:
                found = gazetteer.find(self.text, self.folded, self.masked_folded)
        return found

    @computed_once
    def masked(self) -> str:
        """``word_mask`` of the text and one more space (a term may end where the text does)."""
        return word_mask(self.text) + " "

    @computed_once
    def masked_folded(self) -> str:
        """``masked`` for the folded text."""
        return word_mask(self.folded) + " "

    def _masked_for(self, case_sensitive: bool) -> str:
        return self.masked if case_sensitive else self.masked_folded

    def regex_starts(self, starts: Starts) -> list[int] | None:
        """Where a regex rule's matches may begin (its literal ``starts``), from the shared scan;
        None when the scan does not cover that rule (it must then search the whole text)."""
        return self._scan[1].get(starts)

    @computed_once
    def _spans(self) -> tuple[list[int], list[int], list[str]]:
        # The core tokenizer's own pattern, without building a Token object per token:
        # matchers only need parallel arrays, and this is most of a run's fixed cost.
        # One split with the token pattern as its only group: [gap, token, gap, token, ..., gap].
        # The running sum of the pieces' lengths gives every start and end in C, with no match
        # object per token (hundreds of them alive at once set off the garbage collector).
        parts = _SPLIT_RE.split(self.text)
        offsets = list(accumulate(map(len, parts)))
        return offsets[0:-1:2], offsets[1::2], parts[1::2]

    @computed_once
    def tokens(self) -> list[Token]:
        """The core tokenizer's tokens (same offsets as ``starts``/``words``/``ends``)."""
        return [Token(s, e, w) for s, e, w in zip(*self._spans, strict=True)]

    # Plain attributes after the first use (computed_once leaves them in the instance dict):
    # matchers read these in their inner loops.
    @computed_once
    def words(self) -> list[str]:
        return self._spans[2]

    @computed_once
    def starts(self) -> list[int]:
        return self._spans[0]

    @computed_once
    def ends(self) -> list[int]:
        return self._spans[1]

    @computed_once
    def word_positions(self) -> dict[str, list[int]]:
        """Each distinct token text -> the indices where it occurs, in order."""
        positions: dict[str, list[int]] = {}
        get = positions.get
        for i, w in enumerate(self.words):
            found = get(w)
            if found is None:
                positions[w] = [i]
            else:
                found.append(i)
        return positions

    @computed_once
    def _anchor_positions(self) -> dict[str, list[int]]:
        """``word_positions`` for the engine's anchor words only (one pass in C, few hits)."""
        words = self.words
        positions: dict[str, list[int]] = {}
        get = positions.get
        anchors = self.anchors or frozenset()
        for i in compress(range(len(words)), map(anchors.__contains__, words)):
            w = words[i]
            found = get(w)
            if found is None:
                positions[w] = [i]
            else:
                found.append(i)
        return positions

    def positions_of(self, pool: frozenset[str]) -> list[int]:
        """Indices of the tokens whose text is in ``pool``, in order."""
        anchors = self.anchors
        if anchors is not None and pool <= anchors:
            positions = self._anchor_positions
        else:
            positions = self.word_positions
        if len(pool) > len(positions):
            found = [p for w, p in positions.items() if w in pool]
        else:
            found = [p for w in pool if (p := positions.get(w)) is not None]
        if not found:
            return []
        if len(found) == 1:
            return list(found[0])
        return sorted([i for p in found for i in p])

    @computed_once
    def folded(self) -> str:
        """The text case-folded at equal length, shared by every case-insensitive rule."""
        return fold(self.text)

    @computed_once
    def line_of(self) -> list[int]:
        """The line number of each token (lines are what token patterns never cross)."""
        return list(accumulate(self.break_before))

    @computed_once
    def break_before(self) -> list[bool]:
        """``break_before[i]``: a line break separates token i from token i-1 (no match crosses)."""
        text, starts = self.text, self.starts
        breaks = [False] * len(starts)
        if breaks:
            breaks[0] = True
        # Tokens never contain a line break, so each one falls between two tokens.
        at = text.find("\n")
        while at != -1:
            i = bisect.bisect_right(starts, at)
            if i < len(breaks):
                breaks[i] = True
            at = text.find("\n", at + 1)
        return breaks

    def token_at(self, offset: int) -> int | None:
        """Index of the token starting exactly at ``offset``."""
        starts = self.starts
        i = bisect.bisect_left(starts, offset)
        return i if i < len(starts) and starts[i] == offset else None

    def token_ending_at(self, offset: int) -> int | None:
        ends = self.ends
        i = bisect.bisect_left(ends, offset)
        return i if i < len(ends) and ends[i] == offset else None

    def set_earlier(self, matches: list[Match]) -> None:
        """Matches of earlier stages, for LABEL constraints and context rules."""
        for name in (
            "_labelled_as",
            "labelled",
            "_earlier_keys",
            "_earlier_tokens",
            "earlier_starts",
        ):
            self.__dict__.pop(name, None)
        keys = list(map(_START_END, matches))
        if all(map(le, keys, islice(keys, 1, None))):  # already in order (the engine's resolve)
            self.earlier = list(matches)
            self.__dict__["_earlier_keys"] = keys
        else:
            self.earlier = sorted(matches, key=_START_END)

    @computed_once
    def _earlier_keys(self) -> list[tuple[int, int]]:
        """(start, end) of each earlier match, in order (they are sorted by it): for bisection."""
        return list(map(_START_END, self.earlier))

    @computed_once
    def earlier_starts(self) -> set[int]:
        """The offsets where some earlier match starts."""
        return set(map(_START, self.earlier))

    def earlier_starting_at(self, start: int) -> list[Match]:
        """The earlier matches that start at ``start``, in (start, end) order."""
        if start not in self.earlier_starts:  # most places: answered without bisection
            return []
        keys = self._earlier_keys
        lo = bisect.bisect_left(keys, (start,))
        if lo == len(keys) or keys[lo][0] != start:
            return []
        return self.earlier[lo : bisect.bisect_left(keys, (start + 1,), lo)]

    def earlier_spanning(self, start: int, end: int) -> list[Match]:
        """The earlier matches of exactly ``[start, end)``, in order."""
        keys = self._earlier_keys
        lo = bisect.bisect_left(keys, (start, end))
        if lo == len(keys) or keys[lo] != (start, end):
            return []
        return self.earlier[lo : bisect.bisect_right(keys, (start, end), lo)]

    @computed_once
    def _earlier_tokens(self) -> list[range]:
        """The tokens lying wholly inside each earlier match, in order (built in C: no loop)."""
        earlier = self.earlier
        los = map(partial(bisect.bisect_left, self.starts), map(_START, earlier))
        his = map(partial(bisect.bisect_right, self.ends), map(_END, earlier))
        return list(map(range, los, his))

    @computed_once
    def _labelled_as(self) -> dict[str, set[int]]:
        return {}

    def tokens_labelled(self, label: str) -> set[int]:
        """The tokens inside an earlier match of ``label`` (worked out per label on first use)."""
        found = self._labelled_as.get(label)
        if found is None:
            found = self._labelled_as[label] = set(
                chain.from_iterable(
                    compress(self._earlier_tokens, map(label.__eq__, map(_LABEL, self.earlier)))
                )
            )
        return found

    @computed_once
    def labelled(self) -> set[int]:
        """The tokens inside some earlier match (of any label)."""
        return set(chain.from_iterable(self._earlier_tokens))
