"""Benchmark: the rule engine against spaCy's PhraseMatcher on the same texts and terms.

Not a test. 2,000 generated news articles (~4 KB each); a 50,000-term gazetteer rule.
Measures, in one run:
- building the 50k-term gazetteer (goal <= 0.5 s);
- the gazetteer stage alone (tokenizing nothing, one phrase rule) (goal >= 3x PhraseMatcher);
- the whole default id-news pack plus the 50k-term rule (goal >= 1.5x PhraseMatcher);
- spaCy ``blank("id")`` tokenizer + PhraseMatcher with the same 50k terms (tokenizing included,
  as our engine's figures include everything it does per document).
"Suggest with the database writes" needs the store and is left to the workspace benchmark.
The last line is ``RESULT rules_speed engine_mb_s=… spacy_pm_mb_s=… ratio=…`` (ours / spaCy's).

    .venv/bin/python bench/rules_speed.py [--docs 2000] [--terms 50000] [--no-spacy]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.rules import Engine, load_pack, parse_rule
from annotator.rules.engine import compile_rule

SYLLABLES = ["ka", "ri", "ma", "su", "to", "no", "ha", "le", "wi", "ja", "de", "ba", "pu", "ra", "sen", "gi", "lo", "mi", "an", "ti", "ko", "da", "ne", "ru", "sa", "bu", "la", "yo", "fa", "ze", "ni"]
FILLER = ["pemerintah", "kementerian", "mengatakan", "bahwa", "kerja", "sama", "dengan", "negara", "lain", "akan", "terus", "ditingkatkan", "dalam", "rangka", "menjaga", "stabilitas", "keamanan", "kawasan", "serta", "mendorong", "pertumbuhan", "ekonomi", "nasional", "yang", "lebih", "baik", "menurut", "juru", "bicara", "kepada", "wartawan"]
FIXED = ["Presiden Rusia Vladimir Putin", "Menteri luar negeri AS John Kerry", "Sabtu (24/10)",
         "Amerika Serikat (AS)", "Tentara Pembebasan Suriah (FSA)", "sejak 2011", "Timur Tengah",
         "3 November 2015", "Reuters", "Al Jazeera", "Gubernur Jawa Barat Ridwan Kamil"]


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
    """Articles of about ``size`` characters: filler sentences with gazetteer terms, entities, quotes."""
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


def throughput(label: str, seconds: float, texts: list[str]) -> float:
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{label:<44} {seconds:7.3f} s  {mb / seconds:7.2f} MB/s  {len(texts) / seconds:8.0f} docs/s")
    return mb / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--terms", type=int, default=50_000)
    parser.add_argument("--no-spacy", action="store_true")
    args = parser.parse_args()

    rng = random.Random(20151025)
    terms = make_terms(args.terms, rng)
    texts = make_articles(args.docs, terms, rng)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{len(texts)} articles, {mb:.2f} MB, {len(terms)} terms")

    big = parse_rule({"name": "gazetteer-50k", "label": "PERSON", "kind": "phrase",
                      "pattern": {"terms": terms}})
    t0 = time.perf_counter()
    compile_rule(big)
    print(f"{'build 50k-term gazetteer':<44} {time.perf_counter() - t0:7.3f} s")

    gazetteer_only = Engine([big])
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
    engine_mb_s = throughput("engine: id-news pack + 50k gazetteer", time.perf_counter() - t0, texts)
    print(f"{'':<44} {n_matches} matches")

    spacy_mb_s = float("nan")
    if not args.no_spacy:
        try:
            import spacy
            from spacy.matcher import PhraseMatcher
        except ImportError:
            print("spaCy is not installed: .venv/bin/pip install 'spacy>=3.7' (or use --no-spacy)")
        else:
            nlp = spacy.blank("id")
            t0 = time.perf_counter()
            matcher = PhraseMatcher(nlp.vocab)
            matcher.add("TERMS", list(nlp.tokenizer.pipe(terms)))
            print(f"{'build spaCy PhraseMatcher':<44} {time.perf_counter() - t0:7.3f} s")
            t0 = time.perf_counter()
            n_matches = sum(len(matcher(doc)) for doc in nlp.tokenizer.pipe(texts))
            throughput("spaCy tokenizer + PhraseMatcher, cold", time.perf_counter() - t0, texts)
            print(f"{'':<44} {n_matches} matches (all, overlapping)")
            # The second pass has the tokenizer's per-word cache warm, as ours has its automata
            # built: the fairer (and for us harder) comparison, used in the RESULT line.
            t0 = time.perf_counter()
            n_matches = sum(len(matcher(doc)) for doc in nlp.tokenizer.pipe(texts))
            spacy_mb_s = throughput("spaCy tokenizer + PhraseMatcher, warm",
                                    time.perf_counter() - t0, texts)
            print(f"gazetteer stage alone: {gaz_mb_s / spacy_mb_s:.1f}x PhraseMatcher (goal >= 3x)")
            print(f"whole pack: {engine_mb_s / spacy_mb_s:.1f}x PhraseMatcher (goal >= 1.5x)")
    ratio = engine_mb_s / spacy_mb_s
    print(f"RESULT rules_speed engine_mb_s={engine_mb_s:.2f} spacy_pm_mb_s={spacy_mb_s:.2f} "
          f"ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
