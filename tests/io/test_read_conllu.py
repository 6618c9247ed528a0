"""CoNLL-U / CoNLL-X reading: text, multiword tokens, documents, entity keys, bad lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.io.base import Notice, ReadOptions, SourceFile
from annotator.io.readers import detect_format, read_source

DATA = Path(__file__).resolve().parents[1] / "data" / "conllu"


def read(text: str, name: str = "in.conllu", options: ReadOptions | None = None) -> list:
    source = SourceFile(name, text.encode())
    return list(read_source(source, options=options or ReadOptions()))


def docs(items: list) -> list[Document]:
    found = [i for i in items if isinstance(i, Document)]
    for doc in found:
        for span in doc.spans:
            assert doc.text[span.start : span.end] == span.text
    return found


def notices(items: list) -> list[str]:
    return [i.message for i in items if isinstance(i, Notice)]


def spans(doc: Document) -> list[tuple[int, int, str, str]]:
    return [(s.start, s.end, s.label, s.text) for s in doc.spans]


def word(i: object, form: str, misc: str = "_", *extra: str) -> str:
    return "\t".join([str(i), form, form.lower(), "X", "_", "_", "0", "dep", "_", misc, *extra])


def test_hand_written_newdoc_text_multiword_and_a_bad_document() -> None:
    items = list(read_source(SourceFile("news.conllu", (DATA / "hand-news.conllu").read_bytes())))
    first, third = docs(items)
    assert first.text == "Joko Widodo tiba di Jakarta.\nKe-AS lagi!"
    assert spans(first) == [
        (0, 11, "PER", "Joko Widodo"),
        (20, 27, "LOC", "Jakarta"),
        (29, 34, "LOC", "Ke-AS"),  # the multiword token's surface form, its parts skipped
    ]
    assert (first.uid, first.title) == ("news-1", "news-1")
    assert first.metadata == {"format": "conllu", "document": 1}
    assert (third.text, spans(third)) == ("Prabowo", [(0, 7, "PER", "Prabowo")])
    assert third.uid is None and third.metadata["document"] == 3
    assert [i for i in items if isinstance(i, Problem)] == [
        Problem("news.conllu", "ID 3 out of order: expected 2", 22)
    ]


def test_text_rebuilt_from_tokens_with_space_after_no() -> None:
    text = "\n".join(
        [
            word(1, "Kata", "SpaceAfter=No"),
            word(2, '"', "_"),
            word("3-4", "Bank-Dunia", "NE=B-ORG|SpaceAfter=No"),
            word(3, "Bank"),
            word(4, "Dunia"),
            word("4.1", "elided"),
            word(5, "."),
            "",
        ]
    )
    [doc] = docs(read(text))
    assert doc.text == 'Kata" Bank-Dunia.'
    assert spans(doc) == [(6, 16, "ORG", "Bank-Dunia")]


def test_multiword_tag_on_its_first_part() -> None:
    text = "\n".join([word("1-2", "AS-nya"), word(1, "AS", "NE=S-LOC"), word(2, "nya"), ""])
    [doc] = docs(read(text))
    assert spans(doc) == [(0, 6, "LOC", "AS-nya")]


def test_text_comment_that_does_not_match_tokens_is_rebuilt_and_said() -> None:
    text = "# text = Something else\n" + word(1, "Jakarta", "NE=B-LOC") + "\n"
    items = read(text)
    [doc] = docs(items)
    assert (doc.text, spans(doc)) == ("Jakarta", [(0, 7, "LOC", "Jakarta")])
    assert notices(items) == [
        "line 1: '# text' does not match the tokens: text rebuilt from the tokens (1 sentence(s))"
    ]


def test_text_comment_keeps_its_spacing() -> None:
    text = "# text = Di  Bali ,ya\n" + "\n".join(
        [word(1, "Di"), word(2, "Bali", "NE=B-LOC"), word(3, ","), word(4, "ya"), ""]
    )
    [doc] = docs(read(text))
    assert (doc.text, spans(doc)) == ("Di  Bali ,ya", [(4, 8, "LOC", "Bali")])


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["B-PER", "I-PER", "O"], [(0, 9, "PER", "Joko Wido")]),  # IOB2
        (["I-PER", "I-PER", "I-LOC"], [(0, 9, "PER", "Joko Wido"), (10, 14, "LOC", "Solo")]),
        (["B-PER", "E-PER", "S-LOC"], [(0, 9, "PER", "Joko Wido"), (10, 14, "LOC", "Solo")]),
    ],
)
def test_iob1_iob2_bioes_in_misc(tags: list[str], expected: list) -> None:
    forms = ["Joko", "Wido", "Solo"]
    text = "\n".join(word(i, f, f"NE={t}") for i, (f, t) in enumerate(zip(forms, tags), 1))
    [doc] = docs(read(text + "\n"))
    assert spans(doc) == expected


def test_configurable_key_and_other_misc_keys_ignored() -> None:
    text = word(1, "Bali", "Entity=B-LOC|NE=B-PER") + "\n"
    [doc] = docs(read(text, options=ReadOptions(conllu_ner_key="Entity")))
    assert spans(doc) == [(0, 4, "LOC", "Bali")]
    [doc] = docs(read(text))
    assert spans(doc) == [(0, 4, "PER", "Bali")]


def test_eleventh_column_holds_entities() -> None:
    text = "\n".join([word(1, "Joko", "_", "B-PER"), word(2, "Widodo", "_", "I-PER"), ""])
    items = read(text, "in.conll")
    [doc] = docs(items)
    assert spans(doc) == [(0, 11, "PER", "Joko Widodo")]
    assert notices(items) == ["CoNLL-U / CoNLL-X columns: read as CoNLL-U"]


def test_no_entities_imports_the_text_and_says_so() -> None:
    items = read(word(1, "Halo", "SpaceAfter=No") + "\n" + word(2, "!") + "\n")
    [doc] = docs(items)
    assert (doc.text, doc.spans) == ("Halo!", ())
    assert notices(items) == [
        (
            "CoNLL-U: no entity tags (MISC NE=... or an 11th column): imported the text only;"
            " --ner-key KEY names another MISC key"
        )
    ]


def test_conllu_in_a_conll_file_is_not_read_as_garbage_tags() -> None:
    """Before: spans labelled '_' and 'SpaceAfter=No'."""
    text = "# text = Jokowi.\n" + word(1, "Jokowi", "SpaceAfter=No") + "\n" + word(2, ".") + "\n"
    items = read(text, "ud.conll")
    [doc] = docs(items)
    assert (doc.text, doc.spans, doc.metadata["format"]) == ("Jokowi.", (), "conllu")


def test_conllx_space_separated_without_comments() -> None:
    rows = ["1 Ani Ani N N _ 2 SUBJ _ _", "2 datang datang V V _ 0 ROOT _ _", ""]
    [doc] = docs(read("\n".join(rows), "x.conll"))
    assert doc.text == "Ani datang"


def test_other_column_files_without_tags_are_refused_with_line() -> None:
    text = "# a comment\nJokowi\tNNP\t_\nhadir\tVB\tSpaceAfter=No\n"
    assert read(text, "odd.conll") == [
        Problem("odd.conll", "not CoNLL NER columns: column 3 holds no O/B-/I- tags (e.g. '_')", 2)
    ]


BAD = [
    (word(1, "A") + "\n1\tB\t_\n", "expected 10 tab-separated columns, found 3", 2),
    (word(2, "A") + "\n", "ID 2 out of order: expected 1", 1),
    (word("x", "A") + "\n", "bad ID 'x': need 3, 1-2 or 1.1", 1),
    (word("1-1", "A") + "\n", "bad multiword range 1-1", 1),
    (word(1, "A") + "\n" + word("3.1", "B") + "\n", "empty node 3.1 out of order", 2),
    (word(1, "") + "\n", "empty FORM", 1),
]


@pytest.mark.parametrize(("bad", "reason", "line"), BAD)
def test_bad_line_refuses_its_document_only(bad: str, reason: str, line: int) -> None:
    good = "# newdoc id = good\n" + word(1, "Bali", "NE=B-LOC") + "\n"
    items = read(good + "\n# newdoc id = bad\n" + bad + "\n" + good)
    assert [d.uid for d in docs(items)] == ["good", "good"]
    assert [i for i in items if isinstance(i, Problem)] == [Problem("in.conllu", reason, line + 4)]


def sentences(count: int, blank: str = "\n") -> str:
    return "".join(
        f"# text = Kalimat {i}.\n{word(1, 'Kalimat')}\n{word(2, f'{i}.')}\n{blank}"
        for i in range(count)
    )


def test_without_newdoc_groups_of_fifty_sentences_and_a_notice() -> None:
    items = read(sentences(120))
    found = docs(items)
    assert [d.text.count("\n") + 1 for d in found] == [50, 50, 20]
    assert found[1].text.startswith("Kalimat 50.\nKalimat 51.")
    assert notices(items)[-1] == (
        "no # newdoc: 3 documents of at most 50 sentences; --doc-sentences N to change"
    )


def test_without_newdoc_two_blank_lines_end_a_document() -> None:
    found = docs(read(sentences(3) + "\n" + sentences(2)))
    assert [d.text for d in found] == [
        "Kalimat 0.\nKalimat 1.\nKalimat 2.",
        "Kalimat 0.\nKalimat 1.",
    ]


@pytest.mark.parametrize(("per_doc", "sizes"), [(30, [30, 30, 30, 30]), (0, [120])])
def test_doc_sentences_option(per_doc: int, sizes: list[int]) -> None:
    items = read(sentences(120), options=ReadOptions(doc_sentences=per_doc))
    assert [d.text.count("\n") + 1 for d in docs(items)] == sizes
    assert not any("newdoc" in n for n in notices(items))


def test_newpar_joins_sentences_of_a_paragraph_with_a_space() -> None:
    text = (
        "# newpar\n# text = Satu.\n"
        + word(1, "Satu.")
        + "\n\n# text = Dua.\n"
        + word(1, "Dua.")
        + "\n\n# newpar\n# text = Tiga.\n"
        + word(1, "Tiga.")
        + "\n"
    )
    [doc] = docs(read(text))
    assert doc.text == "Satu. Dua.\nTiga."


def test_conllu_suffix_and_content_detection() -> None:
    assert detect_format(SourceFile("a.conllu", b"")) == "conllu"
    content = (word(1, "A") + "\n" + word(2, "B") + "\n").encode()
    assert detect_format(SourceFile("treebank.txt", content)) == "conllu"


def test_trailing_spaces_and_underscore_tags_are_not_labels() -> None:
    text = "\n".join([word(1, "Bali", "NE=B-LOC") + "  ", word(2, "x", "NE=_"), ""])
    [doc] = docs(read(text))
    assert spans(doc) == [(0, 4, "LOC", "Bali")]
