"""Inter-annotator agreement over a corpus: per label and overall, per pair and for all.

Input: one ``AgreementDocument`` a document (its text, tokens and every annotator's spans).
Output: an ``AgreementReport`` with
- a row per label (and one ``overall``) per pair of annotators: exact-span P/R/F1, partial-overlap
  F1 (same label, overlapping ranges, matched one to one), Cohen's kappa on tokens;
- a row per label for all annotators when there are more than two: Fleiss' kappa and
  Krippendorff's alpha (nominal) on tokens (with exactly two, the pair row carries them);
- the pair matrix (overall exact F1 and kappa per pair);
- the disagreements: every range some annotator marked that not all of them marked alike.

Decisions, so the figures can be checked by hand:
- A document counts for a comparison only when every annotator compared has it (assigned to
  them, or spans of theirs in it): a pair row counts the documents both have, an all-annotators
  row the documents all have.
- Tokens are the app's tokenizer's. A token takes the label of a span that overlaps it. When
  spans of one layer overlap with different labels, the overall (multi-class) token label is the
  longest span's (then the earliest, then the label's name): one label a token. A label's own
  row is binary (that label, or not), and there a token is the label's when any span of that
  label overlaps it, so overlaps lose nothing per label.
- Overall exact and partial F1 are micro-averaged: the labels' matches and counts summed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from annotator.core.agreement_stats import (
    OUTSIDE,
    Score,
    cohen_kappa_of,
    exact_matches,
    fleiss_kappa,
    krippendorff_alpha,
    overlap_matches,
)
from annotator.core.tokenize import Token, tokenize

OVERALL = "overall"
ALL = "all"
KWIC_CONTEXT = 40

AnnotatedSpan = tuple[int, int, str]  # start, end, label


@dataclass(frozen=True)
class AgreementDocument:
    """One document and what each annotator who has it marked (an empty list counts)."""

    id: int
    title: str
    text: str
    layers: Mapping[str, Sequence[AnnotatedSpan]]
    tokens: Sequence[Token] | None = None  # None: tokenized here

    def token_list(self) -> Sequence[Token]:
        return tokenize(self.text) if self.tokens is None else self.tokens


@dataclass(frozen=True)
class AgreementRow:
    """One line of the table: a label (or ``overall``) for a pair, or for all annotators."""

    label: str
    annotators: tuple[str, ...]
    exact: Score | None
    partial: Score | None
    cohen: float | None
    fleiss: float | None
    alpha: float | None
    documents: int
    spans: tuple[int, ...]  # per annotator, in ``annotators`` order

    @property
    def pair(self) -> str:
        return " / ".join(self.annotators) if len(self.annotators) == 2 else ALL


@dataclass(frozen=True)
class Disagreement:
    """A range not marked alike by every annotator who has the document."""

    document_id: int
    title: str
    start: int
    end: int
    labels: Mapping[str, str]  # annotator -> label(s) on exactly this range; "" = none
    left: str
    text: str
    right: str


@dataclass(frozen=True)
class AgreementReport:
    annotators: tuple[str, ...]
    labels: tuple[str, ...]
    rows: tuple[AgreementRow, ...]
    disagreements: tuple[Disagreement, ...]
    documents: int  # documents at least two compared annotators have
    matrix: Mapping[tuple[str, str], tuple[float | None, float | None]] = field(
        default_factory=dict
    )  # (a, b) -> (overall exact F1, overall Cohen's kappa), both orders

    def rows_for(self, label: str) -> list[AgreementRow]:
        return [row for row in self.rows if row.label == label]


def fmt(value: float | None, digits: int = 3) -> str:
    """A figure for a table or a CSV cell: "n/a" when undefined."""
    return "n/a" if value is None else f"{value:.{digits}f}"


def compute_agreement(
    documents: Iterable[AgreementDocument],
    annotators: Sequence[str],
    labels: Sequence[str] = (),
) -> AgreementReport:
    """The report for ``annotators`` (two or more) on ``documents``; ``labels`` () = all used."""
    names = tuple(dict.fromkeys(annotators))
    wanted = set(labels)
    docs = [_restricted(doc, names, wanted) for doc in documents]
    docs = [doc for doc in docs if len(doc.layers) >= 2]
    used = sorted({span[2] for doc in docs for layer in doc.layers.values() for span in layer})
    report_labels = tuple(dict.fromkeys([*labels, *used])) if labels else tuple(used)
    tables = [_TokenTable(doc) for doc in docs]
    rows: list[AgreementRow] = []
    matrix: dict[tuple[str, str], tuple[float | None, float | None]] = {}
    groups: list[tuple[str, ...]] = [tuple(pair) for pair in combinations(names, 2)]
    if len(names) > 2:
        groups.append(names)
    for label in (*report_labels, OVERALL):
        for group in groups:
            row = _row(label, group, docs, tables, multi=len(names) == 2 or len(group) > 2)
            rows.append(row)
            if label == OVERALL and len(group) == 2:
                figures = (row.exact.f1 if row.exact else None, row.cohen)
                matrix[group] = matrix[(group[1], group[0])] = figures
    return AgreementReport(
        annotators=names,
        labels=report_labels,
        rows=tuple(rows),
        disagreements=tuple(d for doc in docs for d in _disagreements(doc)),
        documents=len(docs),
        matrix=matrix,
    )


def _restricted(
    doc: AgreementDocument, names: Sequence[str], labels: set[str]
) -> AgreementDocument:
    layers = {
        name: [span for span in doc.layers[name] if not labels or span[2] in labels]
        for name in names
        if name in doc.layers
    }
    return AgreementDocument(doc.id, doc.title, doc.text, layers, doc.tokens)


class _TokenTable:
    """Each annotator's label for each token of one document (multi-class, and per label)."""

    def __init__(self, doc: AgreementDocument) -> None:
        self.tokens = doc.token_list()
        self.overall: dict[str, list[str]] = {}
        self.by_label: dict[str, dict[str, list[bool]]] = {}
        self._columns: dict[tuple[str, str], list[str]] = {}
        starts = [t.start for t in self.tokens]
        for name, spans in doc.layers.items():
            overall = [OUTSIDE] * len(self.tokens)
            rank = [(-1, 0, "")] * len(self.tokens)  # longest, then earliest, then by name
            marks: dict[str, list[bool]] = {}
            for start, end, label in spans:
                flags = marks.setdefault(label, [False] * len(self.tokens))
                for i in _covered(self.tokens, starts, start, end):
                    flags[i] = True
                    key = (end - start, -start, label)
                    if overall[i] == OUTSIDE or _better(key, rank[i]):
                        overall[i], rank[i] = label, key
            self.overall[name] = overall
            self.by_label[name] = marks

    def column(self, name: str, label: str) -> list[str]:
        if label == OVERALL:
            return self.overall[name]
        key = (name, label)
        if key not in self._columns:  # a label's column serves every pair and the all row
            flags = self.by_label[name].get(label)
            self._columns[key] = (
                [OUTSIDE] * len(self.tokens)
                if flags is None
                else [label if flag else OUTSIDE for flag in flags]
            )
        return self._columns[key]


def _better(key: tuple[int, int, str], than: tuple[int, int, str]) -> bool:
    # Longer wins, then the earlier start (-start larger), then the smaller label name.
    return (key[0], key[1]) > (than[0], than[1]) or (
        (key[0], key[1]) == (than[0], than[1]) and key[2] < than[2]
    )


def _covered(tokens: Sequence[Token], starts: list[int], start: int, end: int) -> range:
    """Indexes of the tokens that overlap [start, end)."""
    first = bisect_right(starts, start) - 1
    if first < 0 or tokens[first].end <= start:
        first += 1
    last = bisect_left(starts, end)
    return range(max(first, 0), last)


def _row(
    label: str,
    group: tuple[str, ...],
    docs: Sequence[AgreementDocument],
    tables: Sequence[_TokenTable],
    multi: bool,
) -> AgreementRow:
    shared = [i for i, doc in enumerate(docs) if all(name in doc.layers for name in group)]
    spans = tuple(
        sum(1 for i in shared for s in docs[i].layers[name] if label in (OVERALL, s[2]))
        for name in group
    )
    exact = partial = None
    cohen = None
    if len(group) == 2:
        a, b = group
        exact, partial = Score(0, 0, 0), Score(0, 0, 0)
        for i in shared:
            for each in _labels_of(docs[i], group, label):
                ra, rb = _ranges(docs[i], a, each), _ranges(docs[i], b, each)
                exact += Score(exact_matches(ra, rb), len(ra), len(rb))
                partial += Score(overlap_matches(ra, rb), len(ra), len(rb))
        pairs: Counter[tuple[str, ...]] = Counter()
        for i in shared:
            pairs.update(zip(tables[i].column(a, label), tables[i].column(b, label), strict=True))
        cohen = cohen_kappa_of(pairs)
    fleiss = alpha = None
    if multi:
        # Counted by pattern (the labels of one token, an annotator each): see fleiss_kappa.
        patterns: Counter[tuple[str, ...]] = Counter()
        for i in shared:
            patterns.update(zip(*(tables[i].column(name, label) for name in group), strict=True))
        fleiss = fleiss_kappa(patterns)
        alpha = krippendorff_alpha(patterns)
    return AgreementRow(label, group, exact, partial, cohen, fleiss, alpha, len(shared), spans)


def _labels_of(doc: AgreementDocument, group: Sequence[str], label: str) -> set[str]:
    if label != OVERALL:
        return {label}
    return {s[2] for name in group for s in doc.layers[name]}


def _ranges(doc: AgreementDocument, name: str, label: str) -> list[tuple[int, int]]:
    return [(s[0], s[1]) for s in doc.layers[name] if s[2] == label]


def _disagreements(doc: AgreementDocument) -> list[Disagreement]:
    marked: dict[tuple[int, int], dict[str, list[str]]] = {}
    for name, spans in doc.layers.items():
        for start, end, label in spans:
            marked.setdefault((start, end), {}).setdefault(name, []).append(label)
    found = []
    for (start, end), by_name in sorted(marked.items()):
        labels = {name: "+".join(sorted(by_name.get(name, []))) for name in doc.layers}
        if len(set(labels.values())) == 1:
            continue  # everyone marked this range with the same label(s)
        left, text, right = kwic(doc.text, start, end)
        found.append(Disagreement(doc.id, doc.title, start, end, labels, left, text, right))
    return found


def kwic(text: str, start: int, end: int, context: int = KWIC_CONTEXT) -> tuple[str, str, str]:
    """Left context, the range, right context, on one line (line breaks become spaces)."""

    def flat(part: str) -> str:
        return " ".join(part.split("\n"))

    return (
        flat(text[max(0, start - context) : start]),
        flat(text[start:end]),
        flat(text[end : end + context]),
    )


TABLE_HEADER = (
    "label",
    "pair",
    "exact P",
    "exact R",
    "exact F1",
    "partial F1",
    "Cohen kappa",
    "Fleiss kappa",
    "alpha",
    "documents",
    "spans",
)


def table_rows(report: AgreementReport) -> list[tuple[str, ...]]:
    """The table as text cells (TABLE_HEADER's columns): what the CLI prints and the CSV holds.

    Precision and recall take the pair's first annotator as the reference.
    """
    return [
        (
            row.label,
            row.pair,
            fmt(row.exact.precision if row.exact else None),
            fmt(row.exact.recall if row.exact else None),
            fmt(row.exact.f1 if row.exact else None),
            fmt(row.partial.f1 if row.partial else None),
            fmt(row.cohen),
            fmt(row.fleiss),
            fmt(row.alpha),
            str(row.documents),
            " ".join(f"{name}={n}" for name, n in zip(row.annotators, row.spans, strict=True)),
        )
        for row in report.rows
    ]


def matrix_rows(report: AgreementReport) -> list[tuple[str, ...]]:
    """The pair matrix: a line per annotator, a cell per other one ("F1 / kappa")."""
    names = report.annotators
    lines = [("", *names)]
    for a in names:
        cells = []
        for b in names:
            if a == b:
                cells.append("-")
            else:
                f1, kappa = report.matrix.get((a, b), (None, None))
                cells.append(f"{fmt(f1, 2)} / {fmt(kappa, 2)}")
        lines.append((a, *cells))
    return lines


def disagreement_labels(item: Disagreement) -> str:
    """ "ana=PERSON budi=- citra=ORG": each annotator's label on the range, - for none."""
    return " ".join(f"{name}={label or '-'}" for name, label in item.labels.items())
