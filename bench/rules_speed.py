"""Benchmark: the rule engine against spaCy's PhraseMatcher on the same texts and terms.

Not a test. 2,000 generated news articles (~4 KB each); a 50,000-term gazetteer rule.
Measures, in one run:
- building the 50k-term gazetteer (goal <= 0.5 s);
- the gazetteer stage alone (tokenizing nothing, one phrase rule) (goal >= 3x PhraseMatcher);
- the whole default id-news pack plus the 50k-term rule (goal >= 1.5x PhraseMatcher);
- one ~5 KB article with the default pack (median of 50 runs after warm-up): opening a document
  in the GUI calls suggest(), goal well under 50 ms;
- spaCy ``blank("id")`` tokenizer + PhraseMatcher with the same 50k terms (tokenizing included,
  as our engine's figures include everything it does per document).

How spaCy is measured. The pattern docs are made with a *separate* ``blank("id")`` pipeline's
tokenizer, never with the tokenizer that reads the texts. The reason: spaCy's tokenizer caches
at most ``max_cache_size`` (10,000) whitespace-separated chunks and stops caching when full;
tokenizing the 50,000 patterns with the same tokenizer fills that cache with pattern words, so
afterwards every common word of the texts goes through the affix regexes again (0.4-0.5 MB/s
here, 5x slower: the earlier figure of this benchmark). A user building the matcher with
``nlp.make_doc`` and then running ``nlp`` hits exactly that, but it is a trap, not
PhraseMatcher's speed. Default settings otherwise. The RESULT uses a warm tokenizer: one that
has first read other articles from the same generator (a quarter as many), as in a
long-running process. Also printed: a fresh tokenizer (cold), the same texts a second time (an
upper bound: their own chunks are then cached) and PhraseMatcher alone on pre-tokenized docs.
"Suggest with the database writes" runs the same texts through the workspace (engine, then
the suggestions stored in a temporary database).

How the ratio is taken. The two sides are timed once each, one after the other, as above;
on this shared 2-core machine the load of other work changes between those two long stages,
and the ratio with it (from 1.4 to 1.7 between runs of the same code). So they are timed a
second time, turn about: the same texts in chunks of 100, each chunk by both sides in
alternating order, spaCy set up exactly as before (warm tokenizer, patterns from another
pipeline). Whatever load there is then weighs on both alike; RESULT takes this alternating
measurement (one pass: in a second, spaCy's tokenizer would read texts it has cached).

The last line is ``RESULT rules_speed engine_mb_s=… engine_docs_s=… gazetteer_mb_s=… single_5kb_ms=…
with_db_mb_s=… spacy_pm_mb_s=… ratio=…``: whole pack and spaCy from the alternating run, ratio =
ours / spaCy's. Without spaCy (``--no-spacy``) the whole-pack figures are the sequential ones.

Whole process (``--whole-process``, or ``--only-whole-process`` for just this part): the same
texts in a database, ``annotator suggest --jobs 1`` and ``--jobs N`` (N: the cores) timed as
subprocesses (start-up, reading the rules, compiling them in each worker, every write), against
the engine alone in this process (compiled beforehand) and spaCy's ``blank("id")`` tokenizer
alone (warm, as above) over the same texts, in the same run. ``--root`` runs another checkout's
``annotator`` (the code before a change); one without ``--jobs`` is run once without it.

    .venv/bin/python bench/rules_speed.py [--docs 2000] [--terms 50000] [--no-spacy]
        [--whole-process | --only-whole-process] [--root PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.rules import Engine, load_pack, parse_rule

SYLLABLES = [
    "ka",
    "ri",
    "ma",
    "su",
    "to",
    "no",
    "ha",
    "le",
    "wi",
    "ja",
    "de",
    "ba",
    "pu",
    "ra",
    "sen",
    "gi",
    "lo",
    "mi",
    "an",
    "ti",
    "ko",
    "da",
    "ne",
    "ru",
    "sa",
    "bu",
    "la",
    "yo",
    "fa",
    "ze",
    "ni",
]
FILLER = [
    "pemerintah",
    "kementerian",
    "mengatakan",
    "bahwa",
    "kerja",
    "sama",
    "dengan",
    "negara",
    "lain",
    "akan",
    "terus",
    "ditingkatkan",
    "dalam",
    "rangka",
    "menjaga",
    "stabilitas",
    "keamanan",
    "kawasan",
    "serta",
    "mendorong",
    "pertumbuhan",
    "ekonomi",
    "nasional",
    "yang",
    "lebih",
    "baik",
    "menurut",
    "juru",
    "bicara",
    "kepada",
    "wartawan",
]
FIXED = [
    "Presiden Rusia Vladimir Putin",
    "Menteri luar negeri AS John Kerry",
    "Sabtu (24/10)",
    "Amerika Serikat (AS)",
    "Tentara Pembebasan Suriah (FSA)",
    "sejak 2011",
    "Timur Tengah",
    "3 November 2015",
    "Reuters",
    "Al Jazeera",
    "Gubernur Jawa Barat Ridwan Kamil",
]


def make_terms(n: int, rng: random.Random) -> list[str]:
    """n distinct capitalised names of 1-3 made-up words ("Kari Tonoha")."""
    seen: set[str] = set()
    while len(seen) < n:
        words = [
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            for _ in range(rng.choice((1, 2, 2, 3)))
        ]
        seen.add(" ".join(words))
    return sorted(seen)


def make_articles(n: int, terms: list[str], rng: random.Random, size: int = 4000) -> list[str]:
    """Articles of about ``size`` characters: filler sentences with terms, entities, quotes."""
    articles = []
    for _ in range(n):
        parts: list[str] = []
        length = 0
        while length < size:
            words = rng.choices(FILLER, k=rng.randint(8, 18))
            for _ in range(rng.randint(1, 3)):
                words.insert(rng.randrange(len(words)), rng.choice(terms))
            if rng.random() < 0.5:
                words.insert(rng.randrange(len(words)), rng.choice(FIXED))
            sentence = " ".join(words)
            sentence = sentence[0].upper() + sentence[1:] + "."
            if rng.random() < 0.1:
                sentence = f'"{sentence}" ujar {rng.choice(terms)}.'
            parts.append(sentence)
            length += len(sentence) + 1
        articles.append(" ".join(parts))
    return articles


def article_5kb(rng: random.Random, terms: list[str]) -> str:
    """One article of about 5 KB, in paragraphs like a real one."""
    paragraphs = make_articles(5, terms, rng, size=1000)
    return "\n\n".join(paragraphs)


def throughput(label: str, seconds: float, texts: list[str]) -> float:
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(
        f"{label:<44} {seconds:7.3f} s  {mb / seconds:7.2f} MB/s"
        f"  {len(texts) / seconds:8.0f} docs/s"
    )
    return mb / seconds


def spacy_figures(
    spacy, phrase_matcher, terms: list[str], texts: list[str], warm_texts: list[str]
) -> float:
    """spaCy's tokenizer + PhraseMatcher as a careful user runs it; returns the MB/s for RESULT."""
    print(f"spaCy {spacy.__version__}, blank('id') tokenizer, PhraseMatcher(attr='ORTH')")
    nlp = spacy.blank("id")
    # Patterns from another pipeline's tokenizer: see the module docstring (tokenizer cache).
    patterns_nlp = spacy.blank("id")
    t0 = time.perf_counter()
    matcher = phrase_matcher(nlp.vocab)
    matcher.add("TERMS", list(patterns_nlp.tokenizer.pipe(terms)))
    print(f"{'build spaCy PhraseMatcher':<44} {time.perf_counter() - t0:7.3f} s")

    def timed(label: str, tokenizer) -> tuple[float, int]:
        t0 = time.perf_counter()
        n = sum(len(matcher(doc)) for doc in tokenizer.pipe(texts))
        return throughput(label, time.perf_counter() - t0, texts), n

    timed("spaCy tokenizer + PhraseMatcher, cold", spacy.blank("id").tokenizer)
    # Steady state: a tokenizer that has already read other articles from the same source
    # (its cache holds the common words), as in a long-running process. Used in RESULT.
    for _ in nlp.tokenizer.pipe(warm_texts):
        pass
    mb_s, n_matches = timed("spaCy tokenizer + PhraseMatcher, warm", nlp.tokenizer)
    print(f"{'':<44} {n_matches} matches (all, overlapping)")
    # For information only: the same texts once more (their own chunks cached) and the
    # matcher alone on docs tokenized beforehand.
    timed("  (same texts again: upper bound)", nlp.tokenizer)
    docs = list(nlp.tokenizer.pipe(texts))
    t0 = time.perf_counter()
    sum(len(matcher(doc)) for doc in docs)
    throughput("  (PhraseMatcher alone, pre-tokenized)", time.perf_counter() - t0, texts)
    return mb_s


def alternating(
    engine: Engine, spacy, phrase_matcher, terms: list[str], texts: list[str], warm_texts: list[str]
) -> tuple[float, float, float]:
    """The whole pack and spaCy timed turn about over chunks of 100 texts (see the module
    docstring); returns (engine MB/s, engine docs/s, spaCy MB/s)."""
    nlp, patterns_nlp = spacy.blank("id"), spacy.blank("id")
    matcher = phrase_matcher(nlp.vocab)
    matcher.add("TERMS", list(patterns_nlp.tokenizer.pipe(terms)))
    for _ in nlp.tokenizer.pipe(warm_texts):
        pass

    def run_engine(chunk: list[str]) -> None:
        for t in chunk:
            engine.run(t)

    def run_spacy(chunk: list[str]) -> None:
        for doc in nlp.tokenizer.pipe(chunk):
            matcher(doc)

    seconds = {"engine": 0.0, "spacy": 0.0}
    chunks = [texts[i : i + 100] for i in range(0, len(texts), 100)]
    for k, chunk in enumerate(chunks):
        sides = [("engine", run_engine), ("spacy", run_spacy)]
        for name, run in sides if k % 2 == 0 else sides[::-1]:
            t0 = time.perf_counter()
            run(chunk)
            seconds[name] += time.perf_counter() - t0
    print("turn about, chunks of 100 texts:")
    engine_mb_s = throughput("  engine: id-news pack + 50k gazetteer", seconds["engine"], texts)
    spacy_mb_s = throughput("  spaCy tokenizer + PhraseMatcher, warm", seconds["spacy"], texts)
    return engine_mb_s, len(texts) / seconds["engine"], spacy_mb_s


def with_database(texts: list[str], big_rule) -> float:
    """Suggest over the same texts through the workspace: engine plus the suggestion writes."""
    import json
    import tempfile

    from annotator.rules import dump_rule
    from annotator.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="annotator-rules-speed-") as tmp:
        corpus = Path(tmp) / "articles.jsonl"
        corpus.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
        with Workspace.open(Path(tmp) / "bench.sqlite", annotator="bench") as ws:
            ws.import_paths([corpus])
            ws.store.rules.save([dump_rule(big_rule, inline_terms=True)])
            ws.engine()  # build it outside the timing, as the window does once
            t0 = time.perf_counter()
            report = ws.suggest_corpus()
            seconds = time.perf_counter() - t0
            print(f"{'':<44} {report.added} suggestions stored in {report.documents} documents")
    return throughput("workspace: suggest with the database writes", seconds, texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--terms", type=int, default=50_000)
    parser.add_argument("--no-spacy", action="store_true")
    parser.add_argument("--whole-process", action="store_true")
    parser.add_argument("--only-whole-process", action="store_true")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()

    rng = random.Random(20151025)
    terms = make_terms(args.terms, rng)
    texts = make_articles(args.docs, terms, rng)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{len(texts)} articles, {mb:.2f} MB, {len(terms)} terms")

    big = parse_rule(
        {"name": "gazetteer-50k", "label": "PERSON", "kind": "phrase", "pattern": {"terms": terms}}
    )
    if args.whole_process or args.only_whole_process:
        from suggest_process import whole_process

        whole_process(texts, big, terms, args.root)
        if args.only_whole_process:
            return
    t0 = time.perf_counter()
    gazetteer_only = Engine([big])  # compiles the rule: builds its automaton
    print(f"{'build 50k-term gazetteer':<44} {time.perf_counter() - t0:7.3f} s  (goal <= 0.5 s)")

    t0 = time.perf_counter()
    n_matches = sum(len(gazetteer_only.run(t).matches) for t in texts)
    gaz_mb_s = throughput("engine: 50k gazetteer only", time.perf_counter() - t0, texts)
    print(f"{'':<44} {n_matches} matches")

    pack, problems = load_pack(ROOT / "resources" / "rules" / "id-news")
    assert not problems, problems
    engine = Engine([*pack, big])
    engine.run(texts[0])  # the first call builds automata
    t0 = time.perf_counter()
    n_matches = sum(len(engine.run(t).matches) for t in texts)
    seconds = time.perf_counter() - t0
    engine_mb_s = throughput("engine: id-news pack + 50k gazetteer", seconds, texts)
    engine_docs_s = len(texts) / seconds
    print(f"{'':<44} {n_matches} matches")

    # One ~5 KB article with the default pack, as the GUI runs it when a document opens.
    default = Engine(pack)
    article = article_5kb(random.Random(5), terms)
    for _ in range(5):
        default.run(article)
    times = []
    for _ in range(50):
        t0 = time.perf_counter()
        default.run(article)
        times.append(time.perf_counter() - t0)
    single_ms = statistics.median(times) * 1000
    print(
        f"{'one article, default pack':<44} {single_ms:7.2f} ms  "
        f"({len(article.encode('utf-8')) / 1000:.1f} KB, median of 50; goal well under 50 ms)"
    )
    db_mb_s = with_database(texts, big)

    spacy_mb_s = float("nan")
    if args.no_spacy:
        print("spaCy comparison skipped (--no-spacy)")
    else:
        try:
            import spacy
            from spacy.matcher import PhraseMatcher
        except ImportError:
            print(
                "spaCy comparison skipped: spaCy is not installed "
                "(.venv/bin/pip install 'spacy>=3.7', or use --no-spacy)"
            )
        else:
            warm_texts = make_articles(max(len(texts) // 4, 50), terms, random.Random(1))
            sequential_spacy = spacy_figures(spacy, PhraseMatcher, terms, texts, warm_texts)
            print(f"{'  one after the other: ratio':<44} {engine_mb_s / sequential_spacy:7.2f}")
            engine_mb_s, engine_docs_s, spacy_mb_s = alternating(
                engine, spacy, PhraseMatcher, terms, texts, warm_texts
            )
            print(f"gazetteer stage alone: {gaz_mb_s / spacy_mb_s:.1f}x PhraseMatcher (goal >= 3x)")
            print(f"whole pack: {engine_mb_s / spacy_mb_s:.2f}x PhraseMatcher (goal >= 1.5x)")
    ratio = engine_mb_s / spacy_mb_s
    print(
        f"RESULT rules_speed engine_mb_s={engine_mb_s:.2f} engine_docs_s={engine_docs_s:.0f} "
        f"gazetteer_mb_s={gaz_mb_s:.2f} single_5kb_ms={single_ms:.2f} with_db_mb_s={db_mb_s:.2f} "
        f"spacy_pm_mb_s={spacy_mb_s:.2f} ratio={ratio:.2f}"
    )


if __name__ == "__main__":
    main()
