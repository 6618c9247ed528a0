"""The same CoNLL-U read by spaCy's own converter (``spacy convert``'s conllu_to_docs, MISC
``NE=``) gives the entities our reader gives: same tokens' text, same labels."""

from __future__ import annotations

import pytest

from annotator.core.model import Document
from annotator.io.base import SourceFile
from annotator.io.readers import read_source

conllu_to_docs = pytest.importorskip("spacy.training.converters").conllu_to_docs


def word(i: object, form: str, misc: str = "_") -> str:
    return "\t".join([str(i), form, form.lower(), "X", "_", "_", "0", "dep", "_", misc])


SENTENCES = [
    # IOB2 on the words, SpaceAfter=No, a multiword token tagged on its first part (as spaCy
    # reads tags: from the words, never from the range line).
    [
        "# text = Presiden Joko Widodo tiba di Jakarta.",
        word(1, "Presiden"),
        word(2, "Joko", "NE=B-PER"),
        word(3, "Widodo", "NE=I-PER"),
        word(4, "tiba"),
        word(5, "di"),
        word(6, "Jakarta", "NE=B-LOC|SpaceAfter=No"),
        word(7, "."),
    ],
    [
        word("1-2", "Ke-AS"),
        word(1, "Ke", "NE=B-GPE"),
        word(2, "AS", "NE=I-GPE"),
        word(3, "bersama", "_"),
        word(4, "Bank", "NE=B-ORG"),
        word(5, "Dunia", "NE=I-ORG|SpaceAfter=No"),
        word(6, "!"),
    ],
]


def test_entities_as_spacy_reads_them() -> None:
    text = "\n\n".join("\n".join(s) for s in SENTENCES) + "\n"
    [theirs] = list(conllu_to_docs(text, n_sents=10, no_print=True))
    [ours] = [
        d for d in read_source(SourceFile("s.conllu", text.encode())) if isinstance(d, Document)
    ]
    spacy_ents = [(e.text, e.label_) for e in theirs.ents]
    assert spacy_ents == [
        ("Joko Widodo", "PER"),
        ("Jakarta", "LOC"),
        ("KeAS", "GPE"),  # spaCy joins the parts; we keep the surface form
        ("Bank Dunia", "ORG"),
    ]
    ours_ents = [(s.text, s.label) for s in ours.spans]
    assert ours_ents == [
        ("Joko Widodo", "PER"),
        ("Jakarta", "LOC"),
        ("Ke-AS", "GPE"),
        ("Bank Dunia", "ORG"),
    ]
    assert ours.text == "Presiden Joko Widodo tiba di Jakarta.\nKe-AS bersama Bank Dunia!"
