"""Every occurrence of a document's own words (the names a context rule found, the acronyms it
saw defined) in one pass over the text, whatever their number.

The words differ from one document to the next, so they have no prepared automaton. Searching
the text once per word costs names x text length: a 1 MB article names a few thousand people,
and that was 46,000 ``str.find`` calls over the whole text. One Aho-Corasick automaton built
for the text and read once costs the text plus the hits, never words x text; but building it
costs ~3 us a word, more than a ``str.find`` over an article's few KB. So a short text
(``SHORT_TEXT``), or a few words (``FEW``), is still searched word by word: both bounds are
constants, so either way the work is linear in the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import ahocorasick_rs
import regex

from annotator.rules.doc import is_word_char
from annotator.rules.kinds.phrase import Found, _pick, encodable

# Up to this many words, or on a text up to this long, one ``str.find`` loop per word (measured
# on news text: an automaton of 4 names builds in ~20 us, 4 finds over 5 KB take ~10 us; for 30
# names over 5 KB, 170 us against 95 us; past ~10 KB the automaton wins from a few names on).
FEW = 4
SHORT_TEXT = 10_000

_LETTER_OR_DIGIT = regex.compile(r"[\p{L}\p{N}]")


def occurrences(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Every occurrence of every word, overlapping ones too, as ``(word index, start)``, sorted
    by start then word index. Each word is searched as given (no boundary test)."""
    if len(words) <= FEW or len(text) <= SHORT_TEXT:
        found: list[tuple[int, int]] = []
        for index, word in enumerate(words):
            at = text.find(word)
            while at != -1:
                found.append((at, index))
                at = text.find(word, at + 1)
    else:
        # Built for one pass: the contiguous NFA builds as fast as the default and reads a 1 MB
        # article with ~700 names in 8-15 ms against 17-25 ms (a DFA takes ~7 ms to build).
        automaton = ahocorasick_rs.AhoCorasick(
            [encodable(w) for w in words],
            implementation=ahocorasick_rs.Implementation.ContiguousNFA,
        )
        try:
            hits = automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:  # a lone surrogate in the text (hits are checked below)
            hits = automaton.find_matches_as_indexes(encodable(text), overlapping=True)
        startswith = text.startswith
        found = [(start, index) for index, start, _end in hits if startswith(words[index], start)]
    found.sort()
    return [(index, start) for start, index in found]


def find_names(text: str, terms: Iterable[str]) -> list[Found]:
    """``Gazetteer([(t, None) for t in terms]).find(text)`` for a document's own names
    (case-sensitive), without a gazetteer: every occurrence on word boundaries, then the
    leftmost-longest pick. One pass over the text for any number of names."""
    names = list(dict.fromkeys(t for t in terms if t.strip()))
    n = len(text)
    found: list[tuple[int, int, str, str | None]] = []
    edges = [(is_word_char(t[0]), is_word_char(t[-1])) for t in names]
    for index, start in occurrences(text, names):
        name = names[index]
        word_start, word_end = edges[index]
        if word_start and start > 0 and is_word_char(text[start - 1]):
            continue
        end = start + len(name)
        if word_end and end < n and is_word_char(text[end]):
            continue
        found.append((start, -len(name), name, None))
    return _pick(found)


def bare_occurrences_of(text: str, words: Sequence[str]) -> list[list[int]]:
    """For each word, the starts of ``(?<![\\p{L}\\p{N}])word(?![\\p{L}\\p{N}])`` in ``text``
    (finditer order: a hit ends where the next of the same word may start), in one pass."""
    out: list[list[int]] = [[] for _ in words]
    free_from = [0] * len(words)  # where the word's next hit may start
    n = len(text)
    for index, at in occurrences(text, words):
        if at < free_from[index]:
            continue
        end = at + len(words[index])
        if (at == 0 or not _LETTER_OR_DIGIT.match(text[at - 1])) and (
            end >= n or not _LETTER_OR_DIGIT.match(text[end])
        ):
            out[index].append(at)
            free_from[index] = end
    return out
