"""Benchmark: how good the default ``id-news`` rule pack is on real Indonesian gold corpora,
and how much work its suggestions save a simulated analyst, with and without learning.

Not a test: a script that prints figures. The corpora in ``../shared/corpora/`` are used
for measuring only; nothing here writes their annotations into a term list or a rule pack
(the simulated analyst's learned terms live in memory for the run and are thrown away).

    .venv/bin/python bench/rules_quality.py [--corpora DIR] [--doc-sentences 10]

Decisions (also printed):

* Documents. The corpora have no document boundaries, so consecutive sentences are
  grouped into pseudo-documents of ``--doc-sentences`` (10) sentences. A sentence's text
  is its tokens joined by single spaces; sentences are joined by "\\n"; gold spans are
  code-point offsets into that text. BIO is read leniently: ``B-X`` starts an entity, and so
  does an ``I-X`` after ``O`` or after another type (NERP has a few of those).
* Labels. Only PERSON, ORG and LOC are scored: these corpora do not annotate DATE, ROLE or
  QUOTE, so the pack's suggestions with those labels are left out (as if the project had only
  the three labels), and so are the corpus labels with no counterpart (NERP's EVT, FNB). A
  suggestion that overlaps a gold span of a left-out label (e.g. "DKI" LOC inside the event
  "pilkada DKI") is neither right nor wrong: it is ignored in the scores and in the simulation.
* Scores: exact span match (start, end and label), per label and micro-averaged, on the test
  split. An overlap-based figure (any overlap, same label) is printed too, for information.
* The simulated analyst goes through the documents in order: the test split first, then
  dev, then train (the test split alone is too short for 200 documents; the analyst only
  reads the gold as the "truth" they would type, nothing is trained on it beforehand).
  For each document the engine suggests (rules as they stand when the document is opened);
  then, in text order, each suggestion is
    - accepted (1 action) when (start, end, label) is a gold span;
    - corrected (1 action) when (start, end) is a gold span with another label: the analyst
      changes the label. With learning on this teaches like a reject plus an add: the rule
      that suggested it gets the text as an exception, and the text joins learned-<LABEL>;
    - otherwise rejected (1 action), with learning on "everywhere": the rule that made it
      gets its text as an exception (``Rule.with_exception``); the same rule's other pending
      suggestions with the same text in this document disappear with it (0 actions).
  A partial overlap is just a wrong suggestion: reject (1) and, since the gold span was not
  suggested, an add (2). Every gold span no suggestion covered exactly is added by hand
  (2 actions) and, with learning on, remembered (``add_learned_term`` on learned-<LABEL>).
  Learning takes effect from the next document (suggestions are made when a document is
  opened). The engine is rebuilt only after a document that changed a rule.
  Costs are keyboard actions as in the window: accept (Enter), reject (X) and a label
  correction (a number key) are 1 each; a manual add is 2 (select the span, press the label).
  "No suggestions" is the baseline: every gold entity is one manual add, 2.00 actions each.
  The figure is actions / gold entities over the first 50, 100 and 200 documents.

* The new tools (bench/analyst_sim.py, issue 12): the learning analyst again, (a) with
  "Accept all suggestions" (wrong suggestions are rejected or corrected one by one first, then
  the rest taken with one key when at least 2 are left), (b) with the tagger (the menu command
  "Train the tagger on my spans", one action, every ``--tagger-every`` documents, on the
  documents done so far; its suggestions are one more rule), (c) with both. ``--no-tools``
  prints the old figures only (the tagger's trainings take most of the run).

The last line is
``RESULT rules_quality f1_micro=… actions_per_entity_200_learning=…
actions_per_entity_200_no_learning=… actions_per_entity_manual=2.00
actions_per_entity_200_bulk_accept=… actions_per_entity_200_tagger=…
actions_per_entity_200_bulk_tagger=… nergrit_… nerp_…`` (one line) for the primary corpus,
idner-news-2k, then the new modes of the other two corpora.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import analyst_sim
from analyst_sim import COST, Mode, SimResult, at

from annotator.rules import Engine, Match, Rule, load_pack

PACK = ROOT / "resources" / "rules" / "id-news"
PACK_LABELS = {"PERSON", "ORG", "LOC", "DATE", "ROLE", "QUOTE"}
SCORED = ("PERSON", "ORG", "LOC")
CHECKPOINTS = (50, 100, 200)


@dataclass(frozen=True)
class CorpusSpec:
    name: str
    folder: str
    tab: bool  # TOKEN<TAB>TAG (IndoNLU) or TOKEN POS NER separated by spaces (idner)
    splits: tuple[str, ...]  # test first: scored split, then the rest in simulation order
    labels: dict[str, str | None]  # corpus label -> ours (None: left out)
    note: str


CORPORA = (
    CorpusSpec(
        "idner-news-2k",
        "idner-news-2k",
        False,
        ("test.txt", "dev.txt", "train.txt"),
        {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"},
        "Indonesian news, cased; PER/ORG/LOC map one to one.",
    ),
    CorpusSpec(
        "indonlu-nergrit",
        "indonlu-nergrit",
        True,
        ("test_preprocess.txt", "valid_preprocess.txt", "train_preprocess.txt"),
        # README: PERSON / ORGANISATION (British spelling) / PLACE; PLACE is our LOC.
        {"PERSON": "PERSON", "ORGANISATION": "ORG", "PLACE": "LOC"},
        "general Indonesian text, cased; PLACE -> LOC, ORGANISATION -> ORG.",
    ),
    CorpusSpec(
        "indonlu-nerp",
        "indonlu-nerp",
        True,
        ("test_preprocess.txt", "valid_preprocess.txt", "train_preprocess.txt"),
        # README: PPL person, PLC place, IND "organisation / institution", EVT event, FNB food
        # & beverage. IND is the nearest thing to ORG (it also tags brands, products such as
        # "asus g551", clubs and bands, which our ORG rules do not aim at); EVT and FNB have
        # no counterpart and are left out.
        {"PPL": "PERSON", "PLC": "LOC", "IND": "ORG", "EVT": None, "FNB": None},
        "Indonesian news, ALL LOWER-CASED (the pack's case-sensitive rules mostly cannot fire); "
        "PPL -> PERSON, PLC -> LOC, IND -> ORG (also brands/products); EVT, FNB left out.",
    ),
)


# ---------------------------------------------------------------- reading the corpora


@dataclass
class Doc:
    text: str
    gold: set[tuple[int, int, str]]  # scored spans, our labels
    ignored: list[tuple[int, int]] = field(default_factory=list)  # spans of left-out labels
    split: str = ""


def read_sentences(path: Path, tab: bool) -> list[list[tuple[str, str]]]:
    """(token, tag) lists, one per sentence; CRLF tolerated; the tag is the last column."""
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for number, raw in enumerate(f, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                if current:
                    sentences.append(current)
                    current = []
                continue
            parts = line.split("\t") if tab else line.split()
            if len(parts) < 2:
                raise SystemExit(f"{path}:{number}: expected a token and a tag, got {line!r}")
            token, tag = (parts[0].strip() if tab else parts[0]), parts[-1].strip()
            if not token:
                raise SystemExit(f"{path}:{number}: empty token")
            current.append((token, tag))
    if current:
        sentences.append(current)
    return sentences


def bio_entities(tags: list[str]) -> list[tuple[int, int, str]]:
    """(first token, last token, type): IOB2, lenient about an I- that opens an entity."""
    found: list[tuple[int, int, str]] = []
    open_: list | None = None
    for i, tag in enumerate(tags):
        prefix, _, kind = tag.partition("-")
        if tag == "O" or not kind:
            open_ = None
            continue
        if prefix == "I" and open_ is not None and open_[2] == kind:
            open_[1] = i
            continue
        open_ = [i, i, kind]
        found.append(open_)  # type: ignore[arg-type]
    return [tuple(e) for e in found]  # type: ignore[misc]


def build_docs(
    spec: CorpusSpec, folder: Path, split: str, per_doc: int, unknown: Counter
) -> list[Doc]:
    sentences = read_sentences(folder / split, spec.tab)
    docs: list[Doc] = []
    for first in range(0, len(sentences), per_doc):
        pieces: list[str] = []
        gold: set[tuple[int, int, str]] = set()
        ignored: list[tuple[int, int]] = []
        offset = 0
        for sentence in sentences[first : first + per_doc]:
            tokens = [t for t, _ in sentence]
            starts = []
            pos = offset
            for t in tokens:
                starts.append(pos)
                pos += len(t) + 1
            for a, b, kind in bio_entities([tag for _, tag in sentence]):
                start, end = starts[a], starts[b] + len(tokens[b])
                if kind not in spec.labels:
                    unknown[kind] += 1
                    ignored.append((start, end))
                elif spec.labels[kind] is None:
                    ignored.append((start, end))
                else:
                    gold.add((start, end, spec.labels[kind]))  # type: ignore[arg-type]
            line = " ".join(tokens)
            pieces.append(line)
            offset += len(line) + 1
        text = "\n".join(pieces)
        docs.append(Doc(text, gold, ignored, split))
    return docs


def check_offsets(docs: list[Doc], spec: CorpusSpec) -> None:
    """Gold spans must spell their tokens again (cheap guard against an off-by-one)."""
    for doc in docs:
        for s, e, _ in doc.gold:
            assert 0 <= s < e <= len(doc.text) and doc.text[s] != " " and doc.text[e - 1] != " ", (
                spec.name,
                doc.text[s:e],
            )


# ---------------------------------------------------------------- suggestions


def in_scope(matches: list[Match], doc: Doc) -> list[Match]:
    """Suggestions with a scored label that do not overlap a span of a left-out label."""
    out = []
    for m in matches:
        if m.label not in SCORED:
            continue
        if any(m.start < e and s < m.end for s, e in doc.ignored):
            continue
        out.append(m)
    return out


def score(engine: Engine, docs: list[Doc]) -> dict[str, Counter]:
    """tp/fp/fn per label (exact), and overlap-based tp for predictions and gold."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for doc in docs:
        pred = in_scope(engine.run(doc.text).matches, doc)
        pred_keys = {(m.start, m.end, m.label) for m in pred}
        for s, e, label in pred_keys:
            c = counts[label]
            c["pred"] += 1
            if (s, e, label) in doc.gold:
                c["tp"] += 1
            if any(gl == label and s < ge and gs < e for gs, ge, gl in doc.gold):
                c["pred_overlap_ok"] += 1
        for s, e, label in doc.gold:
            c = counts[label]
            c["gold"] += 1
            if any(pl == label and s < pe and ps < e for ps, pe, pl in pred_keys):
                c["gold_overlap_found"] += 1
    return counts


def prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def print_scores(counts: dict[str, Counter]) -> float:
    print(
        f"    {'label':<8} {'gold':>6} {'pred':>6} {'tp':>6} {'P':>7} {'R':>7} {'F1':>7}"
        f"   {'overlap P/R/F1':>20}"
    )
    total: Counter = Counter()
    for label in (*SCORED, "micro"):
        c = total if label == "micro" else counts.get(label, Counter())
        if label != "micro":
            total.update(c)
        p, r, f = prf(c["tp"], c["pred"], c["gold"])
        op = c["pred_overlap_ok"] / c["pred"] if c["pred"] else 0.0
        orr = c["gold_overlap_found"] / c["gold"] if c["gold"] else 0.0
        of = 2 * op * orr / (op + orr) if op + orr else 0.0
        print(
            f"    {label:<8} {c['gold']:>6} {c['pred']:>6} {c['tp']:>6} {p:>7.3f} {r:>7.3f}"
            f" {f:>7.3f}   {op:>6.3f} {orr:>6.3f} {of:>6.3f}"
        )
    return prf(total["tp"], total["pred"], total["gold"])[2]


# ---------------------------------------------------------------- the simulated analyst


def simulate(rules: list[Rule], docs: list[Doc], learning: bool) -> SimResult:
    """The analyst of the first columns: one key per suggestion, learning on or off."""
    mode = Mode("learning" if learning else "no learning", learning=learning)
    return analyst_sim.simulate(rules, docs, mode, in_scope, SCORED)


# ---------------------------------------------------------------- the analyst's new tools

# Prefixes of the RESULT keys of each corpus (idner-news-2k's keys keep the old names' style).
SHORT = {"idner-news-2k": "", "indonlu-nergrit": "nergrit_", "indonlu-nerp": "nerp_"}


def tool_modes(args: argparse.Namespace) -> list[Mode]:
    tagger = {
        "tagger_every": args.tagger_every,
        "tagger_priority": args.tagger_priority,
        "tagger_confidence": args.tagger_confidence,
    }
    return [
        Mode("+ bulk accept", bulk=True),
        Mode("+ tagger", **tagger),
        Mode("+ bulk + tagger", bulk=True, **tagger),
        Mode(
            "+ bulk + tagger + induced",
            bulk=True,
            induce=analyst_sim.induced_proposals,
            induce_every=args.tagger_every,
            **tagger,
        ),
    ]


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--doc-sentences", type=int, default=10)
    ap.add_argument("--only", help="one corpus name")
    ap.add_argument(
        "--tagger-every", type=int, default=10, help="retrain the tagger every K documents"
    )
    ap.add_argument("--no-tools", action="store_true", help="the old figures only")
    ap.add_argument("--tagger-priority", type=int, default=12)
    ap.add_argument("--tagger-confidence", type=float, default=0.5)
    args = ap.parse_args()

    if not args.corpora.is_dir():
        print(f"no gold corpora at {args.corpora}: nothing to measure")
        return 0

    t0 = time.perf_counter()
    rules, problems = load_pack(PACK, known_labels=PACK_LABELS)
    if problems:
        for p in problems:
            print(f"pack problem: {p}")
    print(
        f"pack id-news: {len(rules)} rules ({len(problems)} problems), "
        f"loaded in {time.perf_counter() - t0:.2f} s"
    )
    print(
        f"pseudo-documents: {args.doc_sentences} consecutive sentences each "
        "(the corpora have no document boundaries); text = tokens joined by single spaces, "
        "sentences by newlines"
    )
    print(
        f"scored labels: {', '.join(SCORED)}; the pack's DATE, ROLE and QUOTE suggestions are "
        "left out (these corpora do not annotate them)"
    )
    print(
        "exact = same start, end and label; overlap = any overlap with the same label "
        "(for information)"
    )
    print(
        "simulation: accept / correct label / reject = 1 action (one key), a manual add = 2 "
        "(select the span, press the label); partial overlap = reject + add; documents in order "
        "test, dev, train; learning applies from the next document"
    )
    print(
        "'from suggestions' is the share of gold entities the analyst got by accepting or "
        "correcting a suggestion instead of marking the span by hand"
    )

    primary: dict[str, float] = {}
    figures: dict[str, float] = {}  # the new modes' figures at 200 documents, every corpus
    for spec in CORPORA:
        if args.only and spec.name != args.only:
            continue
        folder = args.corpora / spec.folder
        if not folder.is_dir():
            print(f"\n== {spec.name}: not found at {folder}, skipped")
            continue
        t_corpus = time.perf_counter()
        unknown: Counter = Counter()
        splits = {
            split: build_docs(spec, folder, split, args.doc_sentences, unknown)
            for split in spec.splits
            if (folder / split).is_file()
        }
        test_split = spec.splits[0]
        if test_split not in splits:
            print(f"\n== {spec.name}: no {test_split}, skipped")
            continue
        all_docs = [d for split in spec.splits for d in splits.get(split, [])]
        check_offsets(all_docs, spec)
        test_docs = splits[test_split]
        print(f"\n== {spec.name} ({spec.note})")
        if unknown:
            print(f"   corpus labels not in the mapping (left out): {dict(unknown)}")
        n_ignored = sum(len(d.ignored) for d in test_docs)
        print(
            f"   scores on {test_split}: {len(test_docs)} pseudo-documents, "
            f"{sum(len(d.gold) for d in test_docs)} scored gold entities"
            + (f", {n_ignored} left-out entities" if n_ignored else "")
        )
        engine = Engine(rules)
        f1 = print_scores(score(engine, test_docs))

        sim_docs = all_docs[: max(CHECKPOINTS)]
        print(
            f"   simulated analyst over the first {len(sim_docs)} pseudo-documents "
            f"(of {len(all_docs)}; order {', '.join(s for s in spec.splits if s in splits)})"
        )
        on = simulate(rules, sim_docs, learning=True)
        off = simulate(rules, sim_docs, learning=False)
        print(
            f"    {'docs':>5} {'entities':>8} {'manual':>7} {'no learning':>12} {'learning':>9}"
            f"   {'from suggestions off/on':>23}"
            f"   learning: accept/correct/reject/add   no learning: accept/correct/reject/add"
        )
        for n in CHECKPOINTS:
            a_on, a_off = at(on, n), at(off, n)
            if a_on is None or a_off is None:
                print(f"    {n:>5}  (corpus has only {len(sim_docs)} documents)")
                continue
            k1, k0 = a_on[3], a_off[3]
            got_off = (k0["accept"] + k0["correct"]) / a_off[0] if a_off[0] else 0.0
            got_on = (k1["accept"] + k1["correct"]) / a_on[0] if a_on[0] else 0.0
            print(
                f"    {n:>5} {a_on[0]:>8} {float(COST['add']):>7.2f}"
                f" {a_off[2]:>12.3f} {a_on[2]:>9.3f}"
                f"   {got_off:>14.3f} / {got_on:.3f}"
                f"   {k1['accept']:>6}/{k1['correct']}/{k1['reject']}/{k1['add']}"
                f"{'':>22}{k0['accept']}/{k0['correct']}/{k0['reject']}/{k0['add']}"
            )
        print(
            f"    learning changed the rules after {on.rebuilds} documents: "
            f"{on.exceptions} exceptions, {on.learned_terms} learned terms "
            f"({time.perf_counter() - t_corpus:.1f} s for this corpus)"
        )
        tools = {}
        if not args.no_tools:
            tools = analyst_sim.print_modes(
                rules, sim_docs, on, tool_modes(args), in_scope, SCORED, CHECKPOINTS
            )
        if spec.name == "idner-news-2k":
            a_on, a_off = at(on, 200), at(off, 200)
            primary = {
                "f1": f1,
                "on": a_on[2] if a_on else float("nan"),
                "off": a_off[2] if a_off else float("nan"),
            }
        figures.update({f"{SHORT[spec.name]}{key}": value for key, value in tools.items()})

    print(f"\ntotal {time.perf_counter() - t0:.1f} s")
    if primary:
        print(
            f"RESULT rules_quality f1_micro={primary['f1']:.3f} "
            f"actions_per_entity_200_learning={primary['on']:.3f} "
            f"actions_per_entity_200_no_learning={primary['off']:.3f} "
            f"actions_per_entity_manual=2.00 "
            + " ".join(f"{key}={value:.3f}" for key, value in figures.items())
        )
    else:
        print("RESULT rules_quality primary corpus idner-news-2k not found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
