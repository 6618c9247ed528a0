"""Benchmark: read a generated 13,000-sentence CoNLL file and CoNLL-U file (readers only).

Not a test. Prints MB/s, sentences/s and the documents made (the default grouping: at most 50
sentences a document, as neither file has -DOCSTART- or # newdoc).

    .venv/bin/python bench/conll_read.py [--sentences 13000]
"""

from __future__ import annotations

import argparse
import random
import time

from annotator.core.model import Document
from annotator.io.base import SourceFile
from annotator.io.readers import read_source

WORDS = ["pemerintah", "mengatakan", "bahwa", "kerja", "sama", "dengan", "negara", "akan"]
NAMES = [("Joko", "Widodo", "PER"), ("Bank", "Dunia", "ORG"), ("Jawa", "Timur", "LOC")]


def sentences(count: int, rng: random.Random) -> list[list[tuple[str, str]]]:
    """Sentences of (token, IOB2 tag), about 15 tokens and one or two entities each."""
    out = []
    for _ in range(count):
        tokens: list[tuple[str, str]] = []
        while len(tokens) < 15:
            if rng.random() < 0.1:
                first, last, label = rng.choice(NAMES)
                tokens += [(first, f"B-{label}"), (last, f"I-{label}")]
            else:
                tokens.append((rng.choice(WORDS), "O"))
        out.append(tokens + [(".", "O")])
    return out


def conll(data: list[list[tuple[str, str]]]) -> str:
    return "".join("".join(f"{t}\t{g}\n" for t, g in s) + "\n" for s in data)


def conllu(data: list[list[tuple[str, str]]]) -> str:
    blocks = []
    for n, sentence in enumerate(data, start=1):
        rows = [f"# sent_id = {n}"]
        for i, (token, tag) in enumerate(sentence, start=1):
            misc = "_" if tag == "O" else f"NE={tag}"
            rows.append(f"{i}\t{token}\t{token}\tX\t_\t_\t0\tdep\t_\t{misc}")
        blocks.append("\n".join(rows) + "\n\n")
    return "".join(blocks)


def measure(name: str, text: str, count: int) -> None:
    data = text.encode()
    start = time.perf_counter()
    docs = [d for d in read_source(SourceFile(name, data)) if isinstance(d, Document)]
    took = time.perf_counter() - start
    spans = sum(len(d.spans) for d in docs)
    print(
        f"{name}: {len(data) / 1e6:.1f} MB, {count} sentences -> {len(docs)} documents,"
        f" {spans} spans in {took:.2f} s ({len(data) / 1e6 / took:.1f} MB/s,"
        f" {count / took:,.0f} sentences/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=13000)
    args = parser.parse_args()
    data = sentences(args.sentences, random.Random(14))
    measure("gen.conll", conll(data), args.sentences)
    measure("gen.conllu", conllu(data), args.sentences)


if __name__ == "__main__":
    main()
