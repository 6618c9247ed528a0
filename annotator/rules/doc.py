"""What every rule of one run sees: the text, its tokens (built once, shared) and earlier matches."""

from __future__ import annotations

import bisect
import time
from functools import cached_property
from itertools import accumulate
from typing import TYPE_CHECKING

from annotator.core.tokenize import _TOKEN_RE, Token
from annotator.rules.model import Match

if TYPE_CHECKING:
    from annotator.rules.kinds.phrase import Gazetteer, PhraseSet


class RuleTimeout(Exception):
    """Raised inside a matcher when its rule ran past its time budget on this document."""


class Deadline:
    """A per-rule, per-document time budget that loops check cheaply."""

    __slots__ = ("_end", "limit")

    def __init__(self, seconds: float) -> None:
        self.limit = seconds
        self._end = time.perf_counter() + seconds

    def remaining(self) -> float:
        return max(self._end - time.perf_counter(), 0.0)

    def check(self) -> None:
        if time.perf_counter() > self._end:
            raise RuleTimeout(f"stopped after {self.limit:g} s on this document")


def is_word_char(ch: str) -> bool:
    # Letters, digits and combining marks continue a word; "Iran" must not match inside "Iranian".
    return ch.isalnum() or ch == "_" or "\u0300" <= ch <= "\u036f"


def fold(text: str) -> str:
    """Case-fold without changing the length, so offsets in the folded text are offsets in ``text``."""
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


class Doc:
    """One document prepared for matching; tokens and lookups are computed on first use."""

    def __init__(self, text: str, phrases: PhraseSet | None = None) -> None:
        self.text = text
        self.earlier: list[Match] = []
        # The engine's shared gazetteer scan, run on first use for every gazetteer in it.
        self.phrases = phrases

    @cached_property
    def _found(self) -> dict[Gazetteer, list[tuple[int, int, str, str | None]]]:
        if self.phrases is None:
            return {}
        return self.phrases.find(self.text, lambda: self.folded)

    def find(self, gazetteer: Gazetteer) -> list[tuple[int, int, str, str | None]]:
        """``gazetteer.find`` on this text, from the shared scan when the gazetteer is in it."""
        found = self._found.get(gazetteer)
        if found is None:
            found = gazetteer.find(self.text, None if gazetteer.case_sensitive else self.folded)
        return found

    @cached_property
    def _spans(self) -> tuple[list[int], list[int], list[str]]:
        # The core tokenizer's own pattern, without building a Token object per token:
        # matchers only need parallel arrays, and this is most of a run's fixed cost.
        found = list(_TOKEN_RE.finditer(self.text))
        return [m.start() for m in found], [m.end() for m in found], [m.group() for m in found]

    @cached_property
    def tokens(self) -> list[Token]:
        """The core tokenizer's tokens (same offsets as ``starts``/``ends``/``words``)."""
        return [Token(s, e, w) for s, e, w in zip(*self._spans)]

    @property
    def words(self) -> list[str]:
        return self._spans[2]

    @cached_property
    def folded(self) -> str:
        """The text case-folded at equal length, shared by every case-insensitive rule."""
        return fold(self.text)

    @property
    def starts(self) -> list[int]:
        return self._spans[0]

    @property
    def ends(self) -> list[int]:
        return self._spans[1]

    @cached_property
    def line_of(self) -> list[int]:
        """The line number of each token (lines are what token patterns never cross)."""
        return list(accumulate(self.break_before))

    @cached_property
    def break_before(self) -> list[bool]:
        """``break_before[i]``: a line break separates token i from token i-1 (matches stop there)."""
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
        i = bisect.bisect_left(self.starts, offset)
        return i if i < len(self.starts) and self.starts[i] == offset else None

    def token_ending_at(self, offset: int) -> int | None:
        i = bisect.bisect_left(self.ends, offset)
        return i if i < len(self.ends) and self.ends[i] == offset else None

    def tokens_in(self, start: int, end: int) -> range:
        """Indices of the tokens lying wholly inside ``[start, end)``."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_right(self.ends, end)
        return range(lo, max(lo, hi))

    def set_earlier(self, matches: list[Match]) -> None:
        """Matches of earlier stages, for LABEL constraints and context rules."""
        self.earlier = sorted(matches, key=lambda m: (m.start, m.end))
        self.__dict__.pop("_label_tokens", None)
        self.__dict__.pop("_earlier_by_end", None)

    @cached_property
    def _label_tokens(self) -> dict[str, set[int]]:
        by_label: dict[str, set[int]] = {}
        starts, ends = self.starts, self.ends
        left, right = bisect.bisect_left, bisect.bisect_right
        for m in self.earlier:
            lo = left(starts, m.start)
            hi = right(ends, m.end)
            found = by_label.get(m.label)
            if found is None:
                found = by_label[m.label] = set()
            if hi > lo:
                found.update(range(lo, hi))
        return by_label

    def tokens_labelled(self, label: str) -> set[int]:
        return self._label_tokens.get(label, set())

    def labelled_token(self, i: int) -> str | None:
        """The label of an earlier match containing token i, if any."""
        for label, idx in self._label_tokens.items():
            if i in idx:
                return label
        return None

    @cached_property
    def _earlier_by_end(self) -> dict[int, list[Match]]:
        found: dict[int, list[Match]] = {}
        for m in self.earlier:
            found.setdefault(m.end, []).append(m)
        return found

    def earlier_ending_at(self, end: int) -> list[Match]:
        return self._earlier_by_end.get(end, [])
