"""CoNLL columns: the DKPro and doccano samples, IOB1/IOB2/BIOES, documents, bad columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.io.base import Notice, ReadOptions, SourceFile
from annotator.io.readers import read_source
from annotator.io.readers.conll import tag_spans

DATA = Path(__file__).resolve().parents[1] / "data" / "conll"


def read_file(name: str) -> list:
    return list(read_source(SourceFile(name, (DATA / name).read_bytes())))


def read_text(text: str, name: str = "in.conll") -> list:
    return list(read_source(SourceFile(name, text.encode())))


def docs(items: list) -> list[Document]:
    found = [i for i in items if isinstance(i, Document)]
    for doc in found:
        for span in doc.spans:
            assert doc.text[span.start : span.end] == span.text
    return found


def spans(doc: Document) -> list[tuple[int, int, str, str]]:
    return [(s.start, s.end, s.label, s.text) for s in doc.spans]


def test_conll2003_four_columns_iob1() -> None:
    [doc] = docs(read_file("dkpro-conll2003-en-orig.conll"))
    assert doc.text == "U.N. official Ekeus heads for Baghdad ."
    assert spans(doc) == [
        (0, 4, "ORG", "U.N."),
        (14, 19, "PER", "Ekeus"),
        (30, 37, "LOC", "Baghdad"),
    ]
    assert doc.metadata == {"format": "conll"}
    assert doc.title == doc.text
    assert doc.source == "dkpro-conll2003-en-orig.conll"


def test_germeval_index_column_comment_and_nested_layer() -> None:
    [doc] = docs(read_file("dkpro-germeval2014-nested.conll"))
    assert doc.text.startswith("Aufgrund seiner Initiative fand 2001/2002 in Stuttgart ,")
    assert "http" not in doc.text
    assert doc.text.endswith("„ Troia - Traum und Wirklichkeit “ .")
    assert spans(doc) == [
        (45, 54, "LOC", "Stuttgart"),
        (57, 69, "LOC", "Braunschweig"),
        (74, 78, "LOC", "Bonn"),
        (122, 139, "LOCpart", "Troia-Ausstellung"),
        (150, 180, "OTH", "Troia - Traum und Wirklichkeit"),
        (150, 155, "LOC", "Troia"),  # the nested layer
    ]


def test_doccano_example_two_sentences_no_final_newline() -> None:
    [doc] = docs(read_file("doccano-example.conll"))
    assert doc.text == "JAPAN GET\nNadim Ladki"
    assert spans(doc) == [(0, 5, "LOC", "JAPAN"), (10, 21, "PER", "Nadim Ladki")]


def test_doccano_trailing_blank_lines() -> None:
    [doc] = docs(read_file("doccano-labeling.trailing.conll"))
    assert doc.text == "SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT ."
    assert spans(doc) == [(9, 14, "LOC", "JAPAN"), (31, 36, "PER", "CHINA")]


def test_doccano_invalid_wrong_column_count() -> None:
    items = read_file("doccano-labeling.invalid.conll")
    assert items == [
        Problem("doccano-labeling.invalid.conll", "expected 2 tab-separated columns, found 1", 1)
    ]


DOCS = """-DOCSTART- -X- O

Jakarta PROPN B-LOC
hari NOUN O

Joko PROPN B-PER
Widodo PROPN I-PER
-DOCSTART- -X- O

Bandung PROPN B-LOC
rusak O

-DOCSTART- -X- O
Presiden NOUN O
Prabowo PROPN B-PER
"""


def test_docstart_splits_documents_and_a_bad_one_is_refused_alone() -> None:
    items = read_text(DOCS)
    first, third = docs(items)
    assert first.text == "Jakarta hari\nJoko Widodo"
    assert spans(first) == [(0, 7, "LOC", "Jakarta"), (13, 24, "PER", "Joko Widodo")]
    assert first.metadata == {"format": "conll", "document": 1}
    assert third.text == "Presiden Prabowo"
    assert spans(third) == [(9, 16, "PER", "Prabowo")]
    assert third.metadata["document"] == 3
    assert [i for i in items if isinstance(i, Problem)] == [
        Problem("in.conll", "expected 3 whitespace-separated columns, found 2", 11)
    ]


def test_crlf_space_separated_three_columns_like_idner() -> None:
    text = (
        "Berikut PROPN O\r\nadalah AUX O\r\nIndonesia PROPN B-LOC\r\n\r\n"
        "Soal PROPN O\r\nPDI PROPN B-ORG\r\n"
    )
    [doc] = docs(read_text(text, "train.txt"))
    assert doc.text == "Berikut adalah Indonesia\nSoal PDI"
    assert spans(doc) == [(15, 24, "LOC", "Indonesia"), (30, 33, "ORG", "PDI")]


def test_tab_separated_two_columns_like_nergrit() -> None:
    text = "Kontribusinya\tO\nlima\tO\nGrammy\tB-EVENT\nAwards\tI-EVENT\n,\tO\n"
    [doc] = docs(read_text(text, "train_preprocess.txt"))
    assert doc.text == "Kontribusinya lima Grammy Awards ,"
    assert spans(doc) == [(19, 32, "EVENT", "Grammy Awards")]


def test_comments_skipped_but_hash_token_kept() -> None:
    text = "# sent_id = 1\n#\tO\nJakarta\tB-LOC\n"
    [doc] = docs(read_text(text))
    assert doc.text == "# Jakarta"
    assert spans(doc) == [(2, 9, "LOC", "Jakarta")]


def test_bioes_tags() -> None:
    text = "Joko\tB-PER\nWidodo\tE-PER\ndi\tO\nSolo\tS-LOC\nBank\tB-ORG\nDunia\tE-ORG\n"
    [doc] = docs(read_text(text))
    assert spans(doc) == [
        (0, 11, "PER", "Joko Widodo"),
        (15, 19, "LOC", "Solo"),
        (20, 30, "ORG", "Bank Dunia"),
    ]


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["B-PER", "I-PER", "O", "B-LOC"], [(0, 1, "PER"), (3, 3, "LOC")]),
        (["I-ORG", "I-ORG", "I-PER", "O", "I-LOC"], [(0, 1, "ORG"), (2, 2, "PER"), (4, 4, "LOC")]),
        (["B-PER", "B-PER", "I-PER"], [(0, 0, "PER"), (1, 2, "PER")]),
        (
            ["S-LOC", "B-ORG", "I-ORG", "E-ORG", "U-PER"],
            [(0, 0, "LOC"), (1, 3, "ORG"), (4, 4, "PER")],
        ),
        (["B-LOCpart", "I-LOCpart"], [(0, 1, "LOCpart")]),
        (["PER", "PER", "O", "LOC"], [(0, 1, "PER"), (3, 3, "LOC")]),
        (["O", "O"], []),
    ],
)
def test_tag_spans(tags: list[str], expected: list[tuple[int, int, str]]) -> None:
    assert tag_spans(tags) == expected


def test_no_columns_at_all() -> None:
    items = list(read_source(SourceFile("a.conll", b"just\nwords\n")))
    assert items == [Problem("a.conll", "not CoNLL columns: need a token column and a tag column")]


def test_binary_and_empty() -> None:
    assert read_text("", "e.conll") == [Problem("e.conll", "empty file (no text)")]
    [problem] = list(read_source(SourceFile("b.conll", b"\x00\x00B-PER")))
    assert "binary" in problem.reason


def sentences(count: int, start: int = 0) -> str:
    return "".join(f"Kalimat\tO\nke-{i}\tB-NUM\n\n" for i in range(start, start + count))


def test_without_docstart_groups_of_at_most_fifty_sentences_said_in_a_notice() -> None:
    items = read_text(sentences(120), "a.conll")
    found = docs(items)
    assert [d.text.count("\n") + 1 for d in found] == [50, 50, 20]
    assert found[1].text.startswith("Kalimat ke-50\nKalimat ke-51")
    assert spans(found[2])[0] == (8, 14, "NUM", "ke-100")
    assert [d.metadata["document"] for d in found] == [1, 2, 3]
    assert [str(i) for i in items if isinstance(i, Notice)] == [
        "a.conll: no -DOCSTART-: 3 documents of at most 50 sentences; --doc-sentences N to change"
    ]


def test_without_docstart_two_blank_lines_end_a_document() -> None:
    found = docs(read_text(sentences(3) + "\n" + sentences(2, 3)))
    assert [d.text for d in found] == [
        "Kalimat ke-0\nKalimat ke-1\nKalimat ke-2",
        "Kalimat ke-3\nKalimat ke-4",
    ]


@pytest.mark.parametrize(("per_doc", "sizes"), [(30, [30, 30, 30, 30]), (7, [7] * 17 + [1])])
def test_doc_sentences_option_cuts_exactly(per_doc: int, sizes: list[int]) -> None:
    items = list(
        read_source(
            SourceFile("a.conll", sentences(120).encode()),
            options=ReadOptions(doc_sentences=per_doc),
        )
    )
    assert [d.text.count("\n") + 1 for d in docs(items)] == sizes
    assert not [i for i in items if isinstance(i, Notice)]


def test_doc_sentences_zero_keeps_the_file_one_document() -> None:
    text = sentences(60) + "\n\n" + sentences(60)
    source = SourceFile("a.conll", text.encode())
    [doc] = docs(list(read_source(source, options=ReadOptions(doc_sentences=0))))
    assert doc.text.count("\n") == 119
    assert len(doc.spans) == 120


def test_without_docstart_a_bad_line_refuses_its_group_only() -> None:
    text = sentences(50) + "bad line here\n\n" + sentences(10)
    items = read_text(text)
    assert [d.text.count("\n") + 1 for d in docs(items)] == [50]
    assert [i for i in items if isinstance(i, Problem)] == [
        Problem("in.conll", "expected 2 tab-separated columns, found 1", 151)
    ]


def test_docstart_documents_are_not_cut_at_fifty_sentences() -> None:
    [doc] = docs(read_text("-DOCSTART-\tO\n\n" + sentences(80)))
    assert doc.text.count("\n") == 79
