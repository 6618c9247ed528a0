"""Doc's token arrays (built without match objects) are exactly the core tokenizer's tokens."""

from __future__ import annotations

import random

from annotator.core.tokenize import tokenize
from annotator.rules.doc import Doc

TEXTS = [
    "",
    " ",
    "a",
    " a ",
    "\n\n",
    "\u0301x\u0301 y\u0301",
    "😀😀 ok\r\n\tİstanbul ßtraße",
    'REPUBLIKA.CO.ID, JAKARTA -- 1.500.000,00 pada 24/10 “kata” ’’ "x" (AS) kelompok-kelompok',
    "Presiden Rusia Vladimir Putin\nmengatakan,  \u00a0 \u2003 hal itu.\r\n",
]


def test_doc_spans_equal_core_tokens() -> None:
    rng = random.Random(3)
    pieces = [
        "Kota",
        "Bandung",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\t",
        ",",
        ".",
        "-",
        "'",
        "’",
        "(",
        ")",
        "\u0301",
        "😀",
        "24/10",
        "1.500",
        "al-Assad",
        "İ",
        "ß",
        '"',
        "“",
        "”",
        "\u00a0",
    ]
    texts = TEXTS + [
        "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(500)
    ]
    for text in texts:
        doc = Doc(text)
        tokens = tokenize(text)
        assert doc.starts == [t.start for t in tokens], text
        assert doc.ends == [t.end for t in tokens], text
        assert doc.words == [t.text for t in tokens], text
        assert doc.tokens == tokens
        for pool in (frozenset({"Kota"}), frozenset({",", "Bandung", "absent"}), frozenset()):
            assert doc.positions_of(pool) == [i for i, w in enumerate(doc.words) if w in pool]
