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
  use the acronym before the body defines it. A long form an earlier stage found ending
  at the bracket is taken whole, whatever its initials (and then an acronym with one
  capital, "(Polres)", is accepted too). With the rule's label, a place (``region_labels``)
  right after the bracket, or after a bare occurrence, belongs to the span: "Palang Merah
  Indonesia (PMI) Cilacap", "PMI Cilacap" are one body each.
- ``quote``: a direct quotation, ``"`` or ``“`` up to ``"``, ``”``, ``’’`` or ``''`` on
  one line, with an attribution verb within ``window`` tokens after it or before it.
  The span includes the quote marks (they show exactly what was quoted), not the verb.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

import regex

from annotator.rules.doc import Deadline, Doc
from annotator.rules.kinds.context_scan import (
    _NAME_LIKE,
    _QUOTE,
    _name_like,
    acronyms_in,
    quote_spans,
)
from annotator.rules.kinds.occurrences import bare_occurrences_of, find_names
from annotator.rules.kinds.phrase import Gazetteer
from annotator.rules.kinds.registry import Kind, RuleKind, TermKeys
from annotator.rules.model import Match, PatternError, Rule, match_maker, one_line

# Words in brackets after a name that are not its acronym (a company's legal form).
_NOT_ACRONYMS = frozenset({"Persero", "Tbk", "Purn", "Purnawirawan", "Ltd", "Inc"})


def _is_bare_acronym(word: str) -> bool:
    """Capital letters only, 2 to 6 of them: "BI", "BPBD"."""
    return 2 <= len(word) <= 6 and word.isalpha() and word.isupper()


class ContextType(StrEnum):
    """The built-in context types (``pattern["type"]``; the values are what rules store)."""

    AFTER_TRIGGER = "after_trigger"
    ACRONYM = "acronym"
    QUOTE = "quote"


TYPES = tuple(ContextType)
# Parameters each type accepts (besides "type"); values are the defaults, and a value must
# have its default's type (``_VALUE_TYPES``).
PARAMS: dict[str, dict[str, Any]] = {
    ContextType.AFTER_TRIGGER: {
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
    ContextType.ACRONYM: {
        "min_letters": 2,
        "max_words": 8,
        "label_long_form": True,
        "connectors": ("dan", "untuk", "bagi", "of", "and", "for", "the", "de", "di", "&"),
        "region_labels": ("LOC",),
    },
    ContextType.QUOTE: {
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
        _check_value(key, allowed[key], value)
    if kind == ContextType.AFTER_TRIGGER and not (
        pattern.get("triggers") or pattern.get("triggers_file")
    ):
        raise PatternError("after_trigger needs triggers or triggers_file")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_strings(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


# (the default is of this type, a value fits it, the reason when not): the first row whose
# default test holds decides.
_VALUE_TYPES: tuple[tuple[Callable[[Any], bool], Callable[[Any], bool], str], ...] = (
    (lambda d: isinstance(d, bool), lambda v: isinstance(v, bool), "must be true or false"),
    (_is_int, lambda v: _is_int(v) and v >= 0, "must be a non-negative integer"),
    (lambda d: isinstance(d, tuple), _is_strings, "must be a list of strings"),
    (lambda d: d is None, lambda v: isinstance(v, str), "must be a string"),
)


def _check_value(key: str, default: Any, value: Any) -> None:
    """A parameter's value has the type of its default (a string where the default is None)."""
    for of_type, fits, reason in _VALUE_TYPES:
        if of_type(default):
            if not fits(value):
                raise PatternError(f"{key} {reason}")
            return


class ContextMatcher:
    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.make = match_maker(rule)
        self.type = ContextType(rule.pattern["type"])
        self.params = {**PARAMS[self.type], **rule.pattern}
        if self.type == ContextType.AFTER_TRIGGER:
            self.triggers = Gazetteer(rule.terms, case_sensitive=self.params["case_sensitive"])
            self.connectors = {c.lower() for c in self.params["connectors"]}
            self.skip_labels = set(self.params["skip_labels"])
            self.role_labels = {self.params["trigger_label"] or "ROLE"}
            self.max_skips, self.max_tokens = self.params["max_skips"], self.params["max_tokens"]
            self._whys: dict[str, tuple[str, str]] = {}
        if self.type == ContextType.QUOTE:
            self.verbs = {v.lower() for v in self.params["verbs"]}
            self.quote_re = regex.compile(_QUOTE.pattern % self.params["max_chars"])
            self.max_chars = self.params["max_chars"]
        runs = {
            ContextType.AFTER_TRIGGER: self._after_trigger,
            ContextType.ACRONYM: self._acronym,
            ContextType.QUOTE: self._quote,
        }
        self._run: Callable[[Doc, Deadline], list[Match]] = runs[self.type]

    def __call__(self, doc: Doc, deadline: Deadline) -> list[Match]:
        return self._run(doc, deadline)

    def _match(self, doc: Doc, start: int, end: int, label: str, why: str) -> Match:
        return self.make(start, end, label, doc.text[start:end], why)

    # -- after_trigger -------------------------------------------------------------------------
    def _name_like(self, doc: Doc, i: int) -> bool:
        return _name_like(doc.words[i])

    def _after_trigger(self, doc: Doc, deadline: Deadline) -> list[Match]:
        """The name after each trigger (and the trigger, with ``trigger_label``); with
        ``repeat_names``, the bare mentions of those names elsewhere too."""
        found = doc.find(self.triggers)
        if not found:
            return []  # no trigger, no name (and no repeated name)
        starts, ends, text = doc.starts, doc.ends, doc.text
        n, left = len(starts), bisect.bisect_left
        earlier_starts = doc.earlier_starts
        label, trigger_label = self.rule.label, self.params["trigger_label"]
        out: list[Match] = []
        names: dict[str, str] = {}
        # Inline, not in helpers, the tests most triggers stop at (a call costs here).
        for t_start, t_end, _term, _canon in found:
            deadline.check()  # a long article has thousands of triggers
            # Whole tokens only: "kata" inside "kata-kata" is on a character boundary.
            k = left(starts, t_start)
            if k >= n or starts[k] != t_start:
                continue
            k = left(ends, t_end, k)
            if k >= n or ends[k] != t_end:
                continue
            i = k + 1  # the token after the trigger
            if t_start in earlier_starts:
                t_end, i = self._past_longer_title(doc, t_start, t_end, i)
            first = i
            if i < n and (starts[i] in earlier_starts or doc.words[i].isupper()):
                first = self._past_places(doc, i)
            last = self._name_end(doc, t_end, first)
            if last < 0:
                continue
            start, end = starts[first], ends[last]
            whys = self._explanations(text[t_start:t_end])
            out.append(self._match(doc, start, end, label, whys[0]))
            names.setdefault(text[start:end], whys[0])
            if last > first:  # "Lavrov" alone later in the article, after "Sergey Lavrov"
                names.setdefault(doc.words[last], whys[0])
            if trigger_label:
                out.append(self._match(doc, t_start, t_end, trigger_label, whys[1]))
        if self.params["repeat_names"]:
            out += self._repeats(doc, names, deadline)
        return out

    def _past_longer_title(self, doc: Doc, t_start: int, t_end: int, i: int) -> tuple[int, int]:
        """(end of the title, token after it): a longer title an earlier stage found at the
        trigger ("Menteri Koordinator Politik Hukum dan Keamanan Tedjo ...") covers the words
        after it; the name comes after that. Unchanged when there is none."""
        longer = max(
            [
                t_end,
                *(m.end for m in doc.earlier_starting_at(t_start) if m.label in self.role_labels),
            ]
        )
        if longer == t_end:
            return t_end, i
        return longer, bisect.bisect_left(doc.starts, longer)

    def _past_places(self, doc: Doc, i: int) -> int:
        """The token the name may start at: ``i``, or after up to ``max_skips`` earlier matches
        of the skipped labels starting there ("Presiden AS Barrack Obama"), on the same line.
        A body's acronym in brackets after it ("Badan ... (BPBD) Cilacap Tri Komara") is
        passed with it, and a bare acronym before a name counts as a skip ("Gubernur BI Agus
        Martowardojo": the acronym is defined elsewhere, later than this stage)."""
        starts, breaks, earlier_starts = doc.starts, doc.break_before, doc.earlier_starts
        words = doc.words
        n = len(starts)
        skips = 0
        while i < n and not breaks[i] and skips < self.max_skips:
            if starts[i] in earlier_starts:
                step = doc.earlier_starting_at(starts[i])[-1]
                if step.label not in self.skip_labels:
                    break
                i = bisect.bisect_left(starts, step.end)
                if i + 2 < n and words[i] == "(" and words[i + 2] == ")":
                    i = i + 3 if not (breaks[i + 1] or breaks[i + 2]) else i
                if i + 1 < n and words[i] == "," and not breaks[i + 1]:
                    i += 1  # an apposition: "Sekjen Partai Demokrat, Amir Syamsuddin,"
            elif _is_bare_acronym(words[i]) and i + 1 < n and not breaks[i + 1]:
                if not self._name_like(doc, i + 1):
                    break
                i += 1
            else:
                break
            skips += 1
        return i

    def _name_end(self, doc: Doc, t_end: int, first: int) -> int:
        """The last token of the name starting at token ``first``, or -1 when there is none.

        The name is on the trigger's line, at most ``max_tokens`` tokens of name-like words
        (connectors allowed inside it), ends at a line break or a token an earlier stage
        labelled (a date, a place), and ends on a name-like word.
        """
        words, starts, breaks, labelled = doc.words, doc.starts, doc.break_before, doc.labelled
        n = len(words)
        if first >= n or "\n" in doc.text[t_end : starts[first]]:
            return -1
        connectors, end = self.connectors, min(n, first + self.max_tokens)
        last = -1
        for j in range(first, end):
            if j > first and breaks[j] or j in labelled:
                break
            w = words[j]
            like = _NAME_LIKE.get(w)
            if like is None:
                like = _name_like(w)
            if like:
                last = j
            elif not (j > first and w.lower() in connectors):
                break
        return last

    def _explanations(self, trigger: str) -> tuple[str, str]:
        """(why of the name, why of the trigger) for a trigger text, written once per text."""
        whys = self._whys.get(trigger)
        if whys is None:
            if len(self._whys) >= 10_000:
                self._whys.clear()
            shown = one_line(trigger)
            whys = self._whys[trigger] = (
                f'title "{shown}" + capitalised words',
                f'title "{shown}" before a name',
            )
        return whys

    def _repeats(self, doc: Doc, names: dict[str, str], deadline: Deadline) -> list[Match]:
        """Bare mentions of names found after a title, elsewhere in the same document."""
        wanted = {n: why for n, why in names.items() if len(n) >= 3 and not n.isupper()}
        if not wanted:
            return []
        found = find_names(doc.text, wanted)
        out = []
        for start, end, name, _ in found:
            deadline.check()
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
        p, text = self.params, doc.text
        defined: dict[str, tuple[str, str]] = {}
        out: list[Match] = []
        for m in acronyms_in(text):
            deadline.check()
            acr = m.group(1)
            letters = [c for c in acr if c.isupper()]
            if acr in defined or acr in _NOT_ACRONYMS:
                continue
            before = m.start()  # the long form ends here, spaces aside
            while before and text[before - 1].isspace():
                before -= 1
            run = self._capitalised_run(doc, before)
            if not run:
                continue
            known_long = self._known_long_form(doc, run, before)
            if known_long is not None and known_long.label == self.rule.label:
                # An earlier stage named the body ending at the bracket: that is the long form,
                # whatever its initials ("Persatuan Sepak Bola Seluruh Indonesia (PSSI)").
                lf_start, lf_end, label, known = known_long.start, before, known_long.label, True
            elif len(letters) < p["min_letters"]:
                continue  # "(Polres)", "(Unsoed)": only after a body an earlier stage knows
            else:
                take = self._long_form_size(doc, run, letters)
                if take is None:
                    continue
                lf_start, lf_end = doc.starts[run[take - 1]], doc.ends[run[0]]
                spanning = doc.earlier_spanning(lf_start, lf_end)
                known = bool(spanning)
                label = spanning[0].label if spanning else self.rule.label
            long_form = text[lf_start:lf_end]
            defined[acr] = (label, long_form)
            region_end = self._region_after(doc, m.end()) if label == self.rule.label else -1
            if region_end > 0:
                # "Palang Merah Indonesia (PMI) Cilacap": the body of that region, one span.
                why = f'long form of acronym "{acr}" with its region ({label})'
                out.append(self._match(doc, lf_start, region_end, label, why))
            elif not known and p["label_long_form"]:
                why = f'long form of acronym "{acr}" ({label})'
                out.append(self._match(doc, lf_start, lf_end, label, why))
        bare = bare_occurrences_of(text, list(defined))
        for (acr, (label, long_form)), places in zip(defined.items(), bare, strict=True):
            why = f'acronym "{acr}" of "{one_line(long_form)}" ({label})'
            size = len(acr)
            for at in places:
                deadline.check()
                end = at + size
                if label == self.rule.label:  # "BPBD Cilacap": the acronym with its region
                    end = max(end, self._region_after(doc, end))
                out.append(self._match(doc, at, end, label, why))
        return out

    def _capitalised_run(self, doc: Doc, before: int) -> list[int]:
        """Token indices (right to left) of the capitalised words and inner connectors ending
        at offset ``before`` on one line, without connectors at the left edge."""
        words, connectors = doc.words, set(self.params["connectors"])
        j = doc.token_ending_at(before)
        if j is None:
            return []
        run: list[int] = []
        while j >= 0 and len(run) < self.params["max_words"] * 2:
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
        return [w for w in run if words[w].lower() not in connectors]

    @staticmethod
    def _known_long_form(doc: Doc, run: list[int], before: int) -> Match | None:
        """The longest earlier match that starts at a word of ``run`` and ends at ``before``."""
        for w in reversed(run):  # leftmost word first: the longest
            spanning = doc.earlier_spanning(doc.starts[w], before)
            if spanning:
                return spanning[0]
        return None

    def _region_after(self, doc: Doc, end: int) -> int:
        """The end of a place an earlier stage found one space after ``end`` (on the same
        line), or -1."""
        text = doc.text
        at = end + 1
        if at >= len(text) or text[end] != " " or at not in doc.earlier_starts:
            return -1
        regions = self.params["region_labels"]
        places = [m.end for m in doc.earlier_starting_at(at) if m.label in regions]
        return max(places) if places else -1

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
