"""Context rules: the label of a span decided by what stands beside it.

Three built-in types, chosen by ``pattern["type"]``:
- ``after_trigger``: capitalised tokens right after a trigger phrase ("Presiden",
  "Menteri luar negeri") are the rule's label (PERSON); place or organisation
  names between them ("Presiden AS Barrack Obama") are skipped; the trigger itself
  can be marked with ``trigger_label`` (ROLE).
- ``acronym``: "Long Form Words (ACR)": the acronym takes the label of the long form
  when an earlier stage matched exactly that long form, else the rule's label (and
  then the long form gets it too); every bare occurrence of the acronym in the
  document gets the same label, before the definition as well, because headlines
  use the acronym before the body defines it.
- ``quote``: a direct quotation, ``"`` or ``“`` up to ``"``, ``”``, ``’’`` or ``''`` on
  one line, with an attribution verb within ``window`` tokens after it or before it.
  The span includes the quote marks (they show exactly what was quoted), not the verb.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from typing import Any

import regex

from annotator.rules.doc import Deadline, Doc
from annotator.rules.kinds.phrase import Gazetteer, find_few
from annotator.rules.kinds.registry import Kind, RuleKind, TermKeys
from annotator.rules.model import Match, PatternError, Rule, new_match, one_line

TYPES = ("after_trigger", "acronym", "quote")
# Parameters each type accepts (besides "type"); values are the defaults.
PARAMS: dict[str, dict[str, Any]] = {
    "after_trigger": {
        "triggers": (),
        "triggers_file": None,
        "case_sensitive": False,
        "trigger_label": None,
        "max_tokens": 4,
        "connectors": ("bin", "binti", "van", "de", "der", "von", "da", "al", "el"),
        "skip_labels": ("LOC", "ORG", "ROLE"),
        "max_skips": 2,
        "repeat_names": False,
    },
    "acronym": {
        "min_letters": 2,
        "max_words": 8,
        "label_long_form": True,
        "connectors": ("dan", "untuk", "bagi", "of", "and", "for", "the", "de", "di", "&"),
    },
    "quote": {
        "verbs": (
            "ujar",
            "kata",
            "katanya",
            "ucapnya",
            "tutur",
            "tuturnya",
            "jelasnya",
            "mengatakan",
            "menurut",
            "ungkapnya",
            "tegasnya",
            "said",
            "says",
        ),
        "window": 4,
        "max_chars": 2000,
    },
}

_PREFIXED_NAME = regex.compile(r"^(?:al|el|ad|as|ar|an|at|ash|bin|ibn|d|o)[-'’]\p{Lu}")


def _name_like(word: str) -> bool:
    """A capitalised word, or a prefixed name ("al-Assad"): remembered per word."""
    like = (word[0].isupper() and word[0].isalpha()) or bool(_PREFIXED_NAME.match(word))
    if len(_NAME_LIKE) >= 50_000:
        _NAME_LIKE.clear()
    _NAME_LIKE[word] = like
    return like


_NAME_LIKE: dict[str, bool] = {}
_ACRONYM = regex.compile(r"\((\p{Lu}[\p{L}\d&.\-]{1,11})\)")
_QUOTE = regex.compile(r"[\"“](?=\S)[^\"“”\n]{1,%d}?(?<=\S)(?:[\"”]|’’|'')")
# For finding what _QUOTE and the bare-acronym pattern find without running them over the
# whole text: the character tests are the regex module's own, so the answers are the same.
_SPACE = regex.compile(r"\s")
_LETTER_OR_DIGIT = regex.compile(r"[\p{L}\p{N}]")
_BODY_ENDS = regex.compile(r"[\"“”\n]")


def quote_spans(text: str, max_chars: int) -> list[tuple[int, int]]:
    """The spans of ``_QUOTE % max_chars`` in ``text`` (finditer order), without the regex.

    The pattern: an opening mark, a body of 1..max_chars characters up to the next ``"“”`` or
    line break, lazily, ending on a non-space, then a closing ``"``, ``”``, ``’’`` or ``\'\'``.
    A closing ``’’`` / ``\'\'`` can only lie inside the body's reach, a ``"`` / ``”`` only
    where the body has to stop; the earliest valid closing wins (the lazy body).
    """
    spans: list[tuple[int, int]] = []
    n = len(text)
    pos = 0
    straight, curly = text.find('"'), text.find("“")  # the next opening marks of each kind
    while True:
        if straight != -1 and straight < pos:
            straight = text.find('"', pos)
        if curly != -1 and curly < pos:
            curly = text.find("“", pos)
        if straight == -1 and curly == -1:
            return spans
        s = curly if straight == -1 or curly != -1 and curly < straight else straight
        pos = s + 1
        if pos >= n or text[pos] in '"“”\n' or _SPACE.match(text[pos]):
            continue
        stop = _BODY_ENDS.search(text, pos)
        k = n if stop is None else stop.start()  # the body lies in text[s+1:k] at most
        reach = s + 1 + max_chars  # the latest place a closing mark may start
        best = -1
        width = 0
        if k <= reach and k < n and text[k] in '"”' and not _SPACE.match(text[k - 1]):
            best, width = k, 1
        limit = min(k, reach + 2)
        for closing in ("’’", "''"):
            j = text.find(closing, s + 2, limit)
            while j != -1 and _SPACE.match(text[j - 1]):
                j = text.find(closing, j + 1, limit)
            if j != -1 and (best == -1 or j < best):
                best, width = j, 2
        if best != -1:
            spans.append((s, best + width))
            pos = best + width


def acronyms_in(text: str) -> list[Any]:
    """``_ACRONYM.finditer(text)``: the pattern starts with "(" and has no other inside, so
    matching at each "(" (found by ``str.find``) gives the same matches, without the scan."""
    found = []
    at = text.find("(")
    while at != -1:
        m = _ACRONYM.match(text, at)
        if m is not None:
            found.append(m)
        at = text.find("(", at + 1)
    return found


def bare_occurrences(text: str, word: str) -> list[int]:
    """Starts of ``(?<![\\p{L}\\p{N}])word(?![\\p{L}\\p{N}])`` in ``text`` (finditer order),
    found by ``str.find``."""
    out: list[int] = []
    n, size = len(text), len(word)
    at = text.find(word)
    while at != -1:
        end = at + size
        if (at == 0 or not _LETTER_OR_DIGIT.match(text[at - 1])) and (
            end >= n or not _LETTER_OR_DIGIT.match(text[end])
        ):
            out.append(at)
            at = text.find(word, end)
        else:
            at = text.find(word, at + 1)
    return out


def check_params(pattern: Mapping[str, Any]) -> None:
    """Raise PatternError on an unknown type, an unknown parameter or a wrong value type."""
    kind = pattern.get("type")
    if kind not in TYPES:
        raise PatternError(f"context type must be one of {', '.join(TYPES)}, not {kind!r}")
    allowed = PARAMS[kind]
    for key, value in pattern.items():
        if key == "type":
            continue
        if key not in allowed:
            raise PatternError(
                f"unknown parameter {key!r} for context type {kind} "
                f"(known: {', '.join(sorted(allowed))})"
            )
        default = allowed[key]
        if isinstance(default, bool) and not isinstance(value, bool):
            raise PatternError(f"{key} must be true or false")
        if (
            isinstance(default, int)
            and not isinstance(default, bool)
            and (not isinstance(value, int) or isinstance(value, bool) or value < 0)
        ):
            raise PatternError(f"{key} must be a non-negative integer")
        if isinstance(default, tuple) and not (
            isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
        ):
            raise PatternError(f"{key} must be a list of strings")
        if key in ("triggers_file", "trigger_label") and not isinstance(value, str):
            raise PatternError(f"{key} must be a string")
    if kind == "after_trigger" and not (pattern.get("triggers") or pattern.get("triggers_file")):
        raise PatternError("after_trigger needs triggers or triggers_file")


class ContextMatcher:
    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.type = rule.pattern["type"]
        self.params = {**PARAMS[self.type], **rule.pattern}
        if self.type == "after_trigger":
            self.triggers = Gazetteer(rule.terms, case_sensitive=self.params["case_sensitive"])
            self.connectors = {c.lower() for c in self.params["connectors"]}
            self.skip_labels = set(self.params["skip_labels"])
            self.role_labels = {self.params["trigger_label"] or "ROLE"}
            self._whys: dict[str, tuple[str, str]] = {}
        if self.type == "quote":
            self.verbs = {v.lower() for v in self.params["verbs"]}
            self.quote_re = regex.compile(_QUOTE.pattern % self.params["max_chars"])
            self.max_chars = self.params["max_chars"]

    def __call__(self, doc: Doc, deadline: Deadline) -> list[Match]:
        return getattr(self, "_" + self.type)(doc, deadline)

    def _match(self, doc: Doc, start: int, end: int, label: str, why: str) -> Match:
        r = self.rule
        return new_match(
            (
                start,
                end,
                label,
                doc.text[start:end],
                r.name,
                r.version,
                why,
                r.priority,
                r.allow_overlap,
            )
        )

    # -- after_trigger -------------------------------------------------------------------------
    def _name_like(self, doc: Doc, i: int) -> bool:
        return _name_like(doc.words[i])

    def _after_trigger(self, doc: Doc, deadline: Deadline) -> list[Match]:
        found = doc.find(self.triggers)
        if not found:
            return []  # no trigger, no name (and no repeated name)
        p, words, text = self.params, doc.words, doc.text
        starts, ends, breaks = doc.starts, doc.ends, doc.break_before
        n = len(words)
        skip_labels = self.skip_labels
        max_skips, max_tokens = p["max_skips"], p["max_tokens"]
        connectors = self.connectors
        earlier_at = doc.earlier_starting_at
        earlier_starts = doc.earlier_starts
        labelled = doc.labelled
        role_labels = self.role_labels
        left = bisect.bisect_left
        out: list[Match] = []
        names: dict[str, str] = {}
        for t_start, t_end, _term, _canon in found:
            # "kata" inside "kata-kata" is on a character boundary but not a whole token.
            k = left(starts, t_start)
            if k >= n or starts[k] != t_start:
                continue
            k = left(ends, t_end, k)
            if k >= n or ends[k] != t_end:
                continue
            i = k + 1  # the token after the trigger
            # "Menteri Koordinator Politik Hukum dan Keamanan Tedjo ...": a longer title that an
            # earlier stage found at the trigger covers the words after it; the name comes after.
            at_trigger = earlier_at(t_start) if t_start in earlier_starts else None
            if at_trigger:
                longer = max([t_end, *(m.end for m in at_trigger if m.label in role_labels)])
                if longer != t_end:
                    t_end = longer
                    i = left(starts, t_end)
            skips = 0
            # "Presiden AS Barrack Obama": step over the place or body the title belongs to.
            while i < n and not breaks[i] and skips < max_skips and starts[i] in earlier_starts:
                here = earlier_at(starts[i])
                step = here[-1]
                if step.label not in skip_labels:
                    break
                i = left(starts, step.end)
                skips += 1
            if i >= n or "\n" in text[t_end : starts[i]]:
                continue
            first = j = i
            last = -1
            while j < n and j - first < max_tokens:
                if j > first and breaks[j]:
                    break
                if j in labelled:
                    break  # a date, a place: the name ended
                w = words[j]
                like = _NAME_LIKE.get(w)
                if like is None:
                    like = _name_like(w)
                if like:
                    last = j
                elif not (j > first and w.lower() in connectors):
                    break
                j += 1
            if last < first:
                continue
            start, end = starts[first], ends[last]
            trigger = text[t_start:t_end]
            whys = self._whys.get(trigger)
            if whys is None:  # the explanations of a trigger, written once
                if len(self._whys) >= 10_000:
                    self._whys.clear()
                shown = one_line(trigger)
                whys = self._whys[trigger] = (
                    f'title "{shown}" + capitalised words',
                    f'title "{shown}" before a name',
                )
            why = whys[0]
            out.append(self._match(doc, start, end, self.rule.label, why))
            names.setdefault(text[start:end], why)
            if last > first:  # "Lavrov" alone later in the article, after "Sergey Lavrov"
                names.setdefault(words[last], why)
            if p["trigger_label"]:
                out.append(self._match(doc, t_start, t_end, p["trigger_label"], whys[1]))
        if p["repeat_names"]:
            out += self._repeats(doc, names)
        return out

    def _repeats(self, doc: Doc, names: dict[str, str]) -> list[Match]:
        """Bare mentions of names found after a title, elsewhere in the same document."""
        wanted = {n: why for n, why in names.items() if len(n) >= 3 and not n.isupper()}
        if not wanted:
            return []
        found = find_few(doc.text, wanted)
        out = []
        for start, end, name, _ in found:
            i = doc.token_at(start)
            if i is None or i in doc.labelled:
                continue
            if self._name_goes_on(doc, end):
                continue  # "Budi" inside "Budi Gunawan" is another person's name
            out.append(
                self._match(
                    doc, start, end, self.rule.label, f'name "{one_line(name)}" seen after a title'
                )
            )
        return out

    def _name_goes_on(self, doc: Doc, end: int) -> bool:
        """Whether a capitalised word follows ``end`` on the same line, continuing the name."""
        j = doc.token_at(end) if end < len(doc.text) and not doc.text[end].isspace() else None
        if j is None:
            rest = doc.text[end : end + 3]
            stripped = rest.lstrip(" ")
            if not stripped or stripped[0] in "\r\n" or len(rest) - len(stripped) > 1:
                return False
            j = doc.token_at(end + len(rest) - len(stripped))
        return j is not None and self._name_like(doc, j)

    # -- acronym -------------------------------------------------------------------------------
    def _acronym(self, doc: Doc, deadline: Deadline) -> list[Match]:
        p, words, text = self.params, doc.words, doc.text
        connectors = set(p["connectors"])
        defined: dict[str, tuple[str, str]] = {}
        out: list[Match] = []
        for m in acronyms_in(text):
            acr = m.group(1)
            letters = [c for c in acr if c.isupper()]
            if len(letters) < p["min_letters"] or acr in defined:
                continue
            before = m.start()  # the long form ends here, spaces aside
            while before and text[before - 1].isspace():
                before -= 1
            j = doc.token_ending_at(before)
            if j is None:
                continue
            run: list[int] = []  # token indices of the long form, right to left
            while j >= 0 and len(run) < p["max_words"] * 2:
                tok = words[j]
                if tok[0].isupper() and tok[0].isalpha() or tok.lower() in connectors and run:
                    run.append(j)
                else:
                    break
                if doc.break_before[j]:
                    break
                j -= 1
            while run and words[run[-1]].lower() in connectors:
                run.pop()
            content = [w for w in run if words[w].lower() not in connectors]
            if not content:
                continue
            take = self._long_form_size(doc, content, letters)
            if take is None:
                continue
            first_tok = content[take - 1]
            lf_start, lf_end = doc.starts[first_tok], doc.ends[content[0]]
            label = self.rule.label
            known = doc.earlier_spanning(lf_start, lf_end)
            if known:
                label = known[0].label
            long_form = text[lf_start:lf_end]
            defined[acr] = (label, long_form)
            if not known and p["label_long_form"]:
                out.append(
                    self._match(
                        doc, lf_start, lf_end, label, f'long form of acronym "{acr}" ({label})'
                    )
                )
        for acr, (label, long_form) in defined.items():
            why = f'acronym "{acr}" of "{one_line(long_form)}" ({label})'
            size = len(acr)
            for at in bare_occurrences(text, acr):
                out.append(self._match(doc, at, at + size, label, why))
        return out

    @staticmethod
    def _long_form_size(doc: Doc, content: list[int], letters: list[str]) -> int | None:
        """How many capitalised words (from the right) form the long form, or None if unsure."""
        initials = [doc.words[w][0].upper() for w in content]
        k = len(letters)
        if k <= len(initials) and list(reversed(initials[:k])) == letters:
            return k  # "Komisi Pemberantasan Korupsi (KPK)"
        # Translated acronyms ("Tentara Pembebasan Suriah (FSA)") do not spell their initials:
        # trust the run only when it is long enough to be a name, not "Jakarta (ANTARA)".
        if len(content) >= 2:
            return min(len(content), k)
        return None

    # -- quote ---------------------------------------------------------------------------------
    def _quote(self, doc: Doc, deadline: Deadline) -> list[Match]:
        window = self.params["window"]
        out: list[Match] = []
        spans = (
            quote_spans(doc.text, self.max_chars)
            if self.max_chars >= 1
            else [m.span() for m in self.quote_re.finditer(doc.text)]
        )
        for start, end in spans:
            deadline.check()
            verb, where = self._attribution(doc, start, end, window)
            if verb is None:
                continue
            why = f'quotation {where} "{verb}"'
            out.append(self._match(doc, start, end, self.rule.label, why))
        return out

    def _attribution(self, doc: Doc, start: int, end: int, window: int) -> tuple[str | None, str]:
        words = doc.words
        after = bisect.bisect_left(doc.starts, end)
        for i in range(after, min(after + window, len(words))):
            if doc.break_before[i] or words[i] in ('"', "“"):
                break
            if words[i].lower() in self.verbs:
                return words[i], "followed by"
        before = bisect.bisect_left(doc.starts, start) - 1
        for i in range(before, max(before - window, -1), -1):
            if words[i].lower() in self.verbs:
                return words[i], "preceded by"
            if doc.break_before[i] or words[i] in ('"', "”", "’’"):
                break
        return None, ""


def _always(pattern: Mapping[str, Any]) -> bool:
    return True


KIND = RuleKind(
    name=Kind.CONTEXT,
    matcher=ContextMatcher,
    checks=(check_params,),
    terms=TermKeys("triggers", "triggers_file"),
    second_stage=_always,
)
